#!/usr/bin/env python3
"""Generate the imaging fixtures (Tests/Fixtures/imaging) from a fixed seed.

Run once with Pillow and numpy in a venv and libvips' `vips` on PATH
(`apt-get install libvips-tools`); the Swift tests only read the files.

Every expected value here comes from numpy (the source arrays and closed-form
conversions), Pillow (JPEG decoding with `draft`, `ImageOps.exif_transpose`,
CMYK -> RGB) or libvips (`thumbnail` outputs and sizes), never from LabelKit.

Files (raw files are interleaved 8-bit samples, row-major, no header):
  png/<name>.png + png/<name>.raw     PNG variants and the 8-bit pixels they must decode to
  jpeg/photo_203x151.jpg              a photo-like JPEG (4:2:0); jpeg/photo_d<d>.raw Pillow's
                                      decode at 1/d (draft), d = 1, 2, 4, 8
  jpeg/gray.jpg + gray.raw            grayscale JPEG, Pillow's decode
  jpeg/cmyk.jpg + cmyk.raw            Adobe CMYK JPEG, Pillow's decode converted to RGB
  orientation/o<n>_<le|be>.jpg        the same JPEG scan with EXIF orientation n (APP1 written here,
                                      little- or big-endian); orientation/o<n>.raw = Pillow's
                                      exif_transpose of it
  orientation/corrupt_exif.jpg        APP1 Exif whose IFD offset points past the segment
  bomb_100000x100000.png              a hand-written header claiming 100000 x 100000 RGB
  bomb_65000x65000.jpg                a real small JPEG whose SOF0 claims 65000 x 65000
  quality/photo_1200x800.jpg          photo-like source; quality/vips_256.png = `vips thumbnail ... 256`
  quality/alpha_480x320.png           RGBA source; quality/vips_alpha_120.png = `vips thumbnail ... 120`
  geometry.json                       libvips thumbnail output sizes for sources x targets x fits
  manifest.json                       what each case is (sizes, channels, files)
"""

import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(4)
manifest = {"png": [], "jpeg": [], "orientation": [], "quality": []}


def out(*parts):
    path = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- PNG writer
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def pack_rows(samples, bit_depth):
    """samples: (h, w*channels) integers -> list of row bytes (no filter byte)."""
    rows = []
    for row in samples:
        if bit_depth == 16:
            rows.append(b"".join(struct.pack(">H", int(v)) for v in row))
        elif bit_depth == 8:
            rows.append(bytes(int(v) for v in row))
        else:
            per = 8 // bit_depth
            out_row = bytearray()
            for i in range(0, len(row), per):
                byte = 0
                for j in range(per):
                    v = int(row[i + j]) if i + j < len(row) else 0
                    byte |= v << (8 - bit_depth * (j + 1))
                out_row.append(byte)
            rows.append(bytes(out_row))
    return rows


def png_bytes(samples, width, height, channels, bit_depth, color_type, interlace=False, extra=b""):
    """samples: numpy (h, w, channels) of raw sample values. Rows use filter 0 (None)."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    raw = bytearray()
    if not interlace:
        for row in pack_rows(samples.reshape(height, width * channels), bit_depth):
            raw += b"\x00" + row
    else:
        for x0, y0, dx, dy in ADAM7:
            sub = samples[y0::dy, x0::dx]
            if sub.shape[0] == 0 or sub.shape[1] == 0:
                continue
            for row in pack_rows(sub.reshape(sub.shape[0], sub.shape[1] * channels), bit_depth):
                raw += b"\x00" + row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b""))


def add_png(name, data, expected, note):
    write(out("png", name + ".png"), data)
    write(out("png", name + ".raw"), expected.astype(np.uint8).tobytes())
    h, w, c = expected.shape
    manifest["png"].append({"name": name, "width": w, "height": h, "channels": c, "note": note})


def make_pngs():
    w, h = 37, 23  # odd sizes: partial Adam7 passes, partial bytes for low bit depths
    rgb16 = rng.integers(0, 65536, size=(h, w, 3))
    add_png("rgb16", png_bytes(rgb16, w, h, 3, 16, 2), rgb16 >> 8, "16-bit RGB -> high bytes")
    rgba16 = rng.integers(0, 65536, size=(h, w, 4))
    add_png("rgba16_interlaced", png_bytes(rgba16, w, h, 4, 16, 6, interlace=True), rgba16 >> 8,
            "16-bit RGBA, Adam7")
    gray16 = rng.integers(0, 65536, size=(h, w, 1))
    add_png("gray16", png_bytes(gray16, w, h, 1, 16, 0), gray16 >> 8, "16-bit gray -> high byte")
    gray8 = rng.integers(0, 256, size=(h, w, 1))
    add_png("gray8", png_bytes(gray8, w, h, 1, 8, 0), gray8, "8-bit gray")
    add_png("gray8_interlaced", png_bytes(gray8, w, h, 1, 8, 0, interlace=True), gray8, "8-bit gray, Adam7")
    for bits in (1, 2, 4):
        g = rng.integers(0, 1 << bits, size=(h, w, 1))
        add_png(f"gray{bits}", png_bytes(g, w, h, 1, bits, 0), g * 255 // ((1 << bits) - 1),
                f"{bits}-bit gray scaled to 0...255")
    ga = rng.integers(0, 256, size=(h, w, 2))
    add_png("gray_alpha8", png_bytes(ga, w, h, 2, 8, 4), ga, "8-bit gray + alpha")
    rgb = rng.integers(0, 256, size=(h, w, 3))
    add_png("rgb8_interlaced", png_bytes(rgb, w, h, 3, 8, 2, interlace=True), rgb, "8-bit RGB, Adam7")
    rgba = rng.integers(0, 256, size=(h, w, 4))
    add_png("rgba8", png_bytes(rgba, w, h, 4, 8, 6), rgba, "8-bit RGBA")
    # Palette (4-bit indices, 11 colours), with and without tRNS (first 5 entries translucent).
    palette = rng.integers(0, 256, size=(11, 3))
    alphas = np.array([0, 40, 80, 120, 200], dtype=np.int64)
    idx = rng.integers(0, 11, size=(h, w, 1))
    plte = chunk(b"PLTE", bytes(int(v) for v in palette.flatten()))
    add_png("palette4", png_bytes(idx, w, h, 1, 4, 3, extra=plte), palette[idx[..., 0]], "4-bit palette -> RGB")
    trns = chunk(b"tRNS", bytes(int(v) for v in alphas))
    full_alpha = np.concatenate([alphas, np.full(11 - len(alphas), 255)])
    expected = np.concatenate([palette[idx[..., 0]], full_alpha[idx[..., 0]][..., None]], axis=2)
    add_png("palette4_trns_interlaced", png_bytes(idx, w, h, 1, 4, 3, interlace=True, extra=plte + trns), expected,
            "4-bit palette + tRNS -> RGBA, Adam7")
    # Gray and RGB with a tRNS colour key.
    key = 77
    g = rng.integers(70, 85, size=(h, w, 1))
    expected = np.concatenate([g, np.where(g == key, 0, 255)], axis=2)
    add_png("gray8_trns", png_bytes(g, w, h, 1, 8, 0, extra=chunk(b"tRNS", struct.pack(">H", key))), expected,
            "gray + tRNS key -> gray + alpha")
    c = rng.integers(0, 2, size=(h, w, 3)) * 200
    keyc = (200, 0, 200)
    hit = np.all(c == np.array(keyc), axis=2)
    expected = np.concatenate([c, np.where(hit, 0, 255)[..., None]], axis=2)
    add_png("rgb8_trns", png_bytes(c, w, h, 3, 8, 2, extra=chunk(b"tRNS", struct.pack(">HHH", *keyc))), expected,
            "RGB + tRNS key -> RGBA")
    # A truncated file (cut inside IDAT) and one with a broken IHDR CRC.
    good = png_bytes(rgb, w, h, 3, 8, 2)
    write(out("png", "truncated.png"), good[: len(good) // 2])
    bad = bytearray(good)
    bad[29] ^= 0xFF  # last byte of the IHDR CRC
    write(out("png", "bad_crc.png"), bytes(bad))
    # Decompression bomb: 100000 x 100000 RGB, a few bytes.
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))
    write(out("bomb_100000x100000.png"), bomb)


# ------------------------------------------------------------- JPEG helpers
def photo(width, height, seed):
    """Smooth gradients, soft blobs, edges and mild noise: photograph-like content."""
    r = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    img = np.zeros((height, width, 3))
    for ch in range(3):
        img[..., ch] = 110 + 60 * np.sin(x / (37 + 11 * ch) + ch) * np.cos(y / (53 - 7 * ch))
    for _ in range(12):
        cx, cy = r.uniform(0, width), r.uniform(0, height)
        rad = r.uniform(0.05, 0.25) * min(width, height)
        color = r.uniform(-90, 90, size=3)
        blob = np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (2 * rad * rad)))
        img += blob[..., None] * color
    # a few hard edges (rectangles) and fine texture
    for _ in range(6):
        x0, y0 = int(r.uniform(0, width * 0.8)), int(r.uniform(0, height * 0.8))
        img[y0 : y0 + int(height * 0.15), x0 : x0 + int(width * 0.1)] += r.uniform(-60, 60, size=3)
    img += 6 * (np.sin(x * 0.9) * np.sin(y * 0.7))[..., None]
    img += r.normal(0, 4, size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def exif_app1(orientation, big_endian):
    """An APP1 segment: Exif header, TIFF header, IFD0 with Orientation (and one more tag)."""
    e = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, 8)
    entries = [
        struct.pack(e + "HHI", 0x010F, 2, 4) + b"Cam\x00",  # Make, ASCII, inline
        struct.pack(e + "HHIHH", 0x0112, 3, 1, orientation, 0),
    ]
    tiff += struct.pack(e + "H", len(entries)) + b"".join(entries) + struct.pack(e + "I", 0)
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def insert_after_soi(jpeg, segment):
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def raw_of(im):
    return np.asarray(im).astype(np.uint8).tobytes()


def make_jpegs():
    src = Image.fromarray(photo(203, 151, 7))
    buf = io.BytesIO()
    src.save(buf, "JPEG", quality=90, subsampling=2)
    data = buf.getvalue()
    write(out("jpeg", "photo_203x151.jpg"), data)
    scales = []
    for d in (1, 2, 4, 8):
        im = Image.open(io.BytesIO(data))
        want = (-(-203 // d), -(-151 // d))
        if d > 1:
            im.draft("RGB", (203 // d, 151 // d))  # draft picks the scale from floor sizes
        im = im.convert("RGB")
        assert im.size == want, (im.size, want)
        write(out("jpeg", f"photo_d{d}.raw"), raw_of(im))
        scales.append({"denominator": d, "width": im.size[0], "height": im.size[1], "raw": f"jpeg/photo_d{d}.raw"})
    manifest["jpeg"].append({"name": "photo_203x151.jpg", "width": 203, "height": 151, "channels": 3,
                             "scales": scales})
    gray = Image.fromarray(photo(64, 48, 8)[..., 1])
    buf = io.BytesIO()
    gray.save(buf, "JPEG", quality=85)
    write(out("jpeg", "gray.jpg"), buf.getvalue())
    im = Image.open(io.BytesIO(buf.getvalue()))
    assert im.mode == "L"
    write(out("jpeg", "gray.raw"), raw_of(im))
    manifest["jpeg"].append({"name": "gray.jpg", "width": 64, "height": 48, "channels": 1, "raw": "jpeg/gray.raw"})
    cmyk = Image.fromarray(photo(48, 32, 9)).convert("CMYK")
    buf = io.BytesIO()
    cmyk.save(buf, "JPEG", quality=92)
    write(out("jpeg", "cmyk.jpg"), buf.getvalue())
    im = Image.open(io.BytesIO(buf.getvalue()))
    assert im.mode == "CMYK"
    write(out("jpeg", "cmyk.raw"), raw_of(im.convert("RGB")))
    manifest["jpeg"].append({"name": "cmyk.jpg", "width": 48, "height": 32, "channels": 3, "raw": "jpeg/cmyk.raw",
                             "note": "Adobe CMYK; expected = Pillow convert('RGB')"})
    write(out("jpeg", "truncated.jpg"), data[: len(data) * 2 // 3])

    # Orientation: one asymmetric scan (40 x 24, a bright corner block and a bar), 8 tags, both byte orders.
    base = photo(40, 24, 10)
    base[:6, :10] = [250, 30, 30]
    base[18:, 30:] = [20, 20, 240]
    buf = io.BytesIO()
    Image.fromarray(base).save(buf, "JPEG", quality=95)
    scan = buf.getvalue()
    for n in range(1, 9):
        expected = None
        for big in (False, True):
            data = insert_after_soi(scan, exif_app1(n, big))
            name = f"o{n}_{'be' if big else 'le'}.jpg"
            write(out("orientation", name), data)
            im = Image.open(io.BytesIO(data))
            assert im.getexif().get(0x0112) == n
            t = ImageOps.exif_transpose(im).convert("RGB")
            if expected is None:
                expected = t
                write(out("orientation", f"o{n}.raw"), raw_of(t))
            else:
                assert raw_of(t) == raw_of(expected)
        manifest["orientation"].append({"orientation": n, "width": expected.size[0], "height": expected.size[1],
                                        "files": [f"orientation/o{n}_le.jpg", f"orientation/o{n}_be.jpg"],
                                        "raw": f"orientation/o{n}.raw"})
    # Corrupt EXIF: IFD0 offset far past the end; orientation must be ignored.
    tiff = b"II" + struct.pack("<HI", 42, 0x7FFFFFF0)
    body = b"Exif\x00\x00" + tiff
    write(out("orientation", "corrupt_exif.jpg"), insert_after_soi(scan, b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body))
    im = Image.open(io.BytesIO(scan)).convert("RGB")
    write(out("orientation", "o1_plain.raw"), raw_of(im))

    # JPEG bomb: the small scan with SOF0 dimensions patched to 65000 x 65000.
    b = bytearray(scan)
    i = b.index(b"\xff\xc0")
    b[i + 5 : i + 9] = struct.pack(">HH", 65000, 65000)
    write(out("bomb_65000x65000.jpg"), bytes(b))


# ------------------------------------------------------------- libvips refs
def vips(*args):
    subprocess.run(["vips", *args], check=True, capture_output=True)


def make_quality():
    src = Image.fromarray(photo(1200, 800, 11))
    path = out("quality", "photo_1200x800.jpg")
    src.save(path, "JPEG", quality=85)
    vips("thumbnail", path, out("quality", "vips_256.png"), "256")
    ref = Image.open(out("quality", "vips_256.png"))
    manifest["quality"].append({"source": "quality/photo_1200x800.jpg", "reference": "quality/vips_256.png",
                                "size": 256, "width": ref.size[0], "height": ref.size[1]})
    # RGBA: a soft disc of colour on transparency, smooth so the PNG stays small.
    y, x = np.mgrid[0:320, 0:480].astype(np.float64)
    rgba = np.zeros((320, 480, 4))
    rgba[..., 0] = 128 + 100 * np.sin(x / 40)
    rgba[..., 1] = 128 + 100 * np.cos(y / 30)
    rgba[..., 2] = (x + y) / 800 * 255
    d = np.sqrt((x - 240) ** 2 + (y - 160) ** 2)
    rgba[..., 3] = np.clip((150 - d) * 4, 0, 255)
    path = out("quality", "alpha_480x320.png")
    Image.fromarray(np.clip(rgba, 0, 255).astype(np.uint8), "RGBA").save(path)
    vips("thumbnail", path, out("quality", "vips_alpha_120.png"), "120")
    ref = Image.open(out("quality", "vips_alpha_120.png"))
    manifest["quality"].append({"source": "quality/alpha_480x320.png", "reference": "quality/vips_alpha_120.png",
                                "size": 120, "width": ref.size[0], "height": ref.size[1]})


def make_geometry():
    sources = [(6000, 4000), (4000, 3000), (1200, 800), (800, 1200), (1000, 1000), (333, 211), (211, 333), (7, 3),
               (640, 480), (1920, 1080), (100, 37), (3000, 2)]
    targets = [(256, 256), (256, 128), (100, 300), (64, 64), (1, 1), (500, 500)]
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for (w, h) in sources:
            src = os.path.join(tmp, f"s_{w}x{h}.png")
            Image.new("L", (w, h)).save(src)
            def size_of(args):
                dst = os.path.join(tmp, "t.png")
                vips("thumbnail", src, dst, *args)
                with Image.open(dst) as im:
                    return im.size
            for (tw, th) in targets:
                for fit, extra in (("fit", []), ("fill", ["--crop", "centre"]), ("force", ["--size", "force"])):
                    ow, oh = size_of([str(tw), "--height", str(th), *extra])
                    cases.append({"source": [w, h], "target": [tw, th], "fit": fit, "output": [ow, oh]})
            for tw in (256, 50):
                ow, oh = size_of([str(tw), "--height", "10000000"])
                cases.append({"source": [w, h], "target": [tw, None], "fit": "fit", "output": [ow, oh]})
                ow, oh = size_of(["10000000", "--height", str(tw)])
                cases.append({"source": [w, h], "target": [None, tw], "fit": "fit", "output": [ow, oh]})
    with open(out("geometry.json"), "w") as f:
        json.dump({"about": "libvips thumbnail output sizes (vips " + subprocess.run(["vips", "--version"],
                   capture_output=True, text=True).stdout.strip() + ")", "cases": cases}, f, indent=0)


if __name__ == "__main__":
    make_pngs()
    make_jpegs()
    make_quality()
    make_geometry()
    import PIL
    manifest["versions"] = {"pillow": PIL.__version__, "numpy": np.__version__,
                            "vips": subprocess.run(["vips", "--version"], capture_output=True, text=True).stdout.strip()}
    with open(out("manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("ok", file=sys.stderr)
