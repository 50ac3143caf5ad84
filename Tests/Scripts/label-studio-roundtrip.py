#!/usr/bin/env python3
"""Round trip through a real Label Studio server: import, export, compare with `labelkit export`.

Starts Label Studio (PyPI label-studio==1.23.2, installed into .venv-labelstudio by
`make label-studio`) once on 127.0.0.1 on a free port, in a temporary data directory, with a user
and a legacy API token made on the command line and local-files serving on a temporary folder.
Then, through the REST API (Authorization: Token ...):

1. writes three small non-square images (160x96 PNG, 120x72 JPEG, 96x160 PNG), creates two
   projects over them (every image control: BrushLabels, BitmaskLabels, PolygonLabels,
   RectangleLabels, EllipseLabels and KeyPointLabels with model_index attributes; the second
   without KeyPointLabels, since Label Studio's YOLO and COCO exports switch rules when a config
   has keypoints), attaches a Local Storage to each so that /data/local-files/?d=images/...
   serves the images, and imports tasks whose annotations hold every shape: rectangles (also
   rotated, and on whole pixels), ellipses, polygons, keypoints (children of rectangles by
   parentID, and one without a parent), brushes (label-studio-sdk mask2rle; hard and
   anti-aliased alphas) and bitmasks;
2. checks that the images are served, that `labelkit rle encode --format ls` gives mask2rle's
   bytes, and that every imported result comes back from the JSON export unchanged;
3. exports JSON, COCO, YOLO, YOLO_OBB, VOC, BRUSH_TO_PNG and BRUSH_TO_NUMPY through
   /api/projects/{id}/export (zips unpacked), runs `labelkit export` on the JSON export (with
   --config, the project's labeling config, for YOLO, COCO and VOC) and compares:
   - brush PNG names and pixels (BRUSH_TO_PNG vs --to png --annotations all);
   - without keypoints: YOLO class names and ids and unrotated boxes to 1e-6 (--to yolo),
     YOLO-OBB corners;
   - with keypoints: Label Studio's YOLO export is its pose layout, compared with --to yolo-pose:
     classes.txt and label file names identical, every line identical to 1e-6 with the same
     number of values (rotated rectangles: class and keypoints; the box is a `note:`);
   - COCO bboxes of unrotated rectangles and polygons; --converter-compatible COCO against Label
     Studio's: shapes, categories (with keypoints: a `default` category at the largest id + 1
     listing the keypoint labels in config order, their own categories removed) and one
     keypoint annotation per annotation (model_index order, int(round()) pixels, v = 2, bbox of
     the visible points);
   - VOC: file names (Label Studio's <8 hex>__ prefix stripped), rectangle names in order,
     Label Studio's boxes as it truncates them, labelkit's as floor/ceil of the true box (also
     rotated rectangles, ellipses, polygons, brushes, bitmasks), both identical where the true
     box is on whole pixels (elsewhere the difference is a `note:`);
   - BRUSH_TO_NUMPY arrays.
   Rotated shapes in YOLO/COCO, labelkit's own keypoint COCO and tasks with several annotations
   are reported as `note:` lines. VOC and BRUSH_TO_NUMPY are `pending:` when `labelkit export
   --help` does not list `voc` / `numpy`.
4. checks LabelKit's importers against the server: from labelkit's own exports of the JSON
   exports it builds datasets and imports them with --config into fresh projects (same config,
   Local Storage attached, tasks POSTed as labelkit wrote them):
   - YOLO (project without keypoints): `export --to yolo` -> classes.txt, labels/ and the real
     images in images/ -> `import yolo --image-root /data/local-files/?d=images`;
   - VOC (project with every control): `export --to voc` -> Annotations/*.xml -> `import voc`;
   - COCO (both projects): `export --to coco` -> `import coco` (and, where the COCO file has
     keypoints, whether every point with v > 0 becomes a keypointlabels result);
   - brush masks: the brush PNGs of `export --to png` -> `import-masks` (RLE against
     label-studio-sdk image2rle of the same PNG).
   For each: what the importer wrote (YOLO lines and VOC boxes to 1e-9), Label Studio accepts it
   (201, task and annotation counts), every result comes back from the JSON export unchanged
   (1e-9, ids aside), and Label Studio's own export of the imported project gives back labelkit's
   files and the original project's boxes: YOLO lines (1e-6), VOC boxes (identical on whole
   pixels; Label Studio's int() of a product an ulp below a whole pixel is a `note:`), the COCO
   import's rectangles and polygons in the JSON export (1e-6), BRUSH_TO_PNG pixels (identical
   for 0/255 masks; anti-aliased masks equal the original thresholded at > 128, as mask PNG
   imports are binary). When `import yolo --config` refuses labelkit's classes.txt the rest runs
   on `import yolo --from-name rect --to-name image`.

Prints one `ok:` / `FAIL:` line per check and `N passed, M failed, K pending` last. Exit 0 when
nothing failed, 1 when a check failed, 2 when the run could not be set up (the server did not
start, the API refused the token, the binary is missing). Without the venv (no network when it
was installed) it prints `skipped: ...` and exits 0.

The first run migrates an empty database (about a minute on two cores) and keeps it in
.venv-labelstudio/migrated-db/; later runs copy it and start in a few seconds.

    python3 Tests/Scripts/label-studio-roundtrip.py .build/debug/labelkit [--keep DIR] [-v]
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VENV = ROOT / ".venv-labelstudio"
REEXEC_FLAG = "LABEL_STUDIO_ROUNDTRIP_REEXEC"
TOL = 1e-6


def _venv_from_argv() -> Path:
    for i, arg in enumerate(sys.argv):
        if arg == "--venv" and i + 1 < len(sys.argv):
            return Path(sys.argv[i + 1]).resolve()
        if arg.startswith("--venv="):
            return Path(arg.split("=", 1)[1]).resolve()
    return DEFAULT_VENV


def _ensure_python() -> None:
    """Re-executes under the Label Studio venv; prints skipped and exits 0 without it."""
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        return
    venv = _venv_from_argv()
    python = venv / "bin" / "python"
    if not (venv / "bin" / "label-studio").exists() or not python.exists():
        print(f"skipped: Label Studio is not installed in {venv} "
              f"(make label-studio installs Tests/Scripts/labelstudio-requirements.txt from PyPI)")
        sys.exit(0)
    if Path(sys.prefix).resolve() != venv and not os.environ.get(REEXEC_FLAG):
        os.environ[REEXEC_FLAG] = "1"
        os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
        from label_studio_sdk.converter.brush import mask2rle  # noqa: F401
    except Exception as error:  # a broken or partial install
        print(f"skipped: the Label Studio venv {venv} is incomplete ({error})")
        sys.exit(0)


_ensure_python()

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402


class SetupError(Exception):
    """The run could not be made (exit 2)."""


# ----------------------------------------------------------------------------------------------
# Reporting


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.pending = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok: {name}" + (f" ({detail})" if detail else ""), flush=True)
        else:
            self.failed += 1
            print(f"FAIL: {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    def pend(self, text: str) -> None:
        self.pending += 1
        print(f"pending: {text}", flush=True)

    @staticmethod
    def note(text: str) -> None:
        print(f"note: {text}", flush=True)

    def summary(self) -> str:
        return f"{self.passed} passed, {self.failed} failed, {self.pending} pending"


def short(value, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."


def fmt(numbers) -> str:
    return "[" + ", ".join(f"{v:.6g}" for v in numbers) + "]"


def exit_detail(proc) -> str:
    return f"exit {proc.returncode}: {proc.stderr.strip()[:500]}"


def close(a, b, tol: float = TOL) -> bool:
    if len(a) != len(b):
        return False
    return all(abs(float(x) - float(y)) <= tol for x, y in zip(a, b))


# ----------------------------------------------------------------------------------------------
# Test data: images, labeling configs, tasks

IMAGES = [  # file name, width, height, Pillow format
    ("a.png", 160, 96, "PNG"),
    ("b.jpg", 120, 72, "JPEG"),
    ("c.png", 96, 160, "PNG"),
]

# Labels only some controls use, so that the sets of "all labels of the config", "rectangle
# labels" and "labels in the annotations" differ: Car is a rectangle label nobody uses, Tree a
# brush label nobody uses, Bird an ellipse label nobody uses. RectangleLabels lists Dog before Cat.
# KeyPointLabels lists Nose before Tail but numbers them the other way (model_index), so that
# "config order" (COCO's keypoint names) and "model_index order" (YOLO pose triplets, COCO
# keypoint values) differ.
CONFIG_ALL = """<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="brush" toName="image">
    <Label value="Cat"/><Label value="Dog"/><Label value="Tree"/>
  </BrushLabels>
  <BitmaskLabels name="bitmask" toName="image">
    <Label value="Cat"/><Label value="Dog"/>
  </BitmaskLabels>
  <PolygonLabels name="poly" toName="image">
    <Label value="Cat"/><Label value="Dog"/>
  </PolygonLabels>
  <RectangleLabels name="rect" toName="image">
    <Label value="Dog"/><Label value="Cat"/><Label value="Car"/>
  </RectangleLabels>
  <EllipseLabels name="ell" toName="image">
    <Label value="Cat"/><Label value="Dog"/><Label value="Bird"/>
  </EllipseLabels>
  <KeyPointLabels name="kp" toName="image">
    <Label value="Nose" model_index="1"/><Label value="Tail" model_index="0"/>
  </KeyPointLabels>
</View>
"""
# model_index: Label Studio's COCO export raises "No keypoint order found" without it, and its
# YOLO export (pose layout) writes no keypoint triplets.

CONFIG_NO_KP = re.sub(r"\s*<KeyPointLabels.*?</KeyPointLabels>", "", CONFIG_ALL, flags=re.S)

BRUSH_FROM_NAME = "brush"


def yy_xx(h: int, w: int):
    return np.mgrid[0:h, 0:w].astype(np.float64)


def mask_block(h: int, w: int, y0: int, y1: int, x0: int, x1: int) -> np.ndarray:
    m = np.zeros((h, w), np.uint8)
    m[y0:y1, x0:x1] = 255
    return m


def mask_soft_disc(h: int, w: int, cy: float, cx: float, r: float) -> np.ndarray:
    """A disc with an anti-aliased rim: alphas 1..254 on its edge, as browsers draw brushes."""
    yy, xx = yy_xx(h, w)
    d = np.hypot(yy + 0.5 - cy, xx + 0.5 - cx)
    alpha = np.clip((r - d) * 90.0 + 128.0, 0, 255)
    return np.rint(alpha).astype(np.uint8)


def mask_ring(h: int, w: int, cy: float, cx: float, r_out: float, r_in: float) -> np.ndarray:
    yy, xx = yy_xx(h, w)
    d = np.hypot(yy + 0.5 - cy, xx + 0.5 - cx)
    return (((d <= r_out) & (d >= r_in)) * 255).astype(np.uint8)


def bitmask_data_url(mask: np.ndarray) -> str:
    """The BitmaskLabels value: a PNG data URL, opaque black inside, transparent outside."""
    h, w = mask.shape
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., 3] = np.where(mask > 0, 255, 0)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def result(rid: str, rtype: str, from_name: str, w: int, h: int, value: dict, **extra) -> dict:
    item = {
        "id": rid,
        "type": rtype,
        "from_name": from_name,
        "to_name": "image",
        "original_width": w,
        "original_height": h,
        "image_rotation": 0,
        "value": value,
    }
    item.update(extra)
    return item


def rect(rid, w, h, x, y, rw, rh, rot, label):
    return result(rid, "rectanglelabels", "rect", w, h,
                  {"x": x, "y": y, "width": rw, "height": rh, "rotation": rot, "rectanglelabels": [label]})


def ellipse(rid, w, h, x, y, rx, ry, rot, label):
    return result(rid, "ellipselabels", "ell", w, h,
                  {"x": x, "y": y, "radiusX": rx, "radiusY": ry, "rotation": rot, "ellipselabels": [label]})


def polygon(rid, w, h, points, label):
    return result(rid, "polygonlabels", "poly", w, h,
                  {"points": points, "closed": True, "polygonlabels": [label]})


def keypoint(rid, w, h, x, y, label, parent=None):
    extra = {"parentID": parent} if parent else {}
    return result(rid, "keypointlabels", "kp", w, h,
                  {"x": x, "y": y, "width": 1.25, "keypointlabels": [label]}, **extra)


def brush(rid, w, h, rle, label):
    return result(rid, "brushlabels", BRUSH_FROM_NAME, w, h, {"format": "rle", "rle": rle, "brushlabels": [label]})


def bitmask(rid, w, h, mask, label):
    return result(rid, "bitmasklabels", "bitmask", w, h,
                  {"imageDataURL": bitmask_data_url(mask), "bitmasklabels": [label]})


def make_masks() -> dict[str, np.ndarray]:
    return {
        "a_block": mask_block(96, 160, 10, 30, 20, 60),
        "a_soft": mask_soft_disc(96, 160, 60.0, 120.0, 14.3),
        "a_ring": mask_ring(96, 160, 48.0, 40.0, 20.0, 9.0),
        "a_bitmask": mask_block(96, 160, 70, 90, 5, 25),
        "b_soft": mask_soft_disc(72, 120, 30.2, 40.7, 11.0),
        "c_block": mask_block(160, 96, 100, 150, 10, 50),
        "c_soft": mask_soft_disc(160, 96, 40.0, 60.0, 18.5),
        "c_bitmask": mask_ring(160, 96, 120.0, 70.0, 15.0, 5.0),
    }


def make_tasks(rles: dict[str, list[int]], masks: dict[str, np.ndarray], keypoints: bool) -> list[dict]:
    """Three tasks; the last has two annotations (Label Studio's brush export writes both)."""
    a = [
        rect("ra1", 160, 96, 10, 20, 30, 40, 0, "Dog"),
        rect("ra2", 160, 96, 50, 20, 20, 30, 30, "Cat"),
        rect("ra3", 160, 96, 62.5, 8.333333333333334, 17.1875, 21.875, 0, "Cat"),
        rect("ra4", 160, 96, 12.5, 62.5, 25, 25, 0, "Dog"),  # on whole pixels: 20, 60, 60, 84
        ellipse("ea1", 160, 96, 70, 60, 10, 15, 20, "Cat"),
        ellipse("ea2", 160, 96, 25, 75, 8.75, 12.5, 0, "Dog"),
        polygon("pa1", 160, 96, [[10, 10], [30, 12.5], [20.625, 40], [12, 33.3]], "Dog"),
        brush("ba1", 160, 96, rles["a_block"], "Cat"),
        brush("ba2", 160, 96, rles["a_soft"], "Dog"),
        brush("ba3", 160, 96, rles["a_ring"], "Cat"),
        bitmask("ma1", 160, 96, masks["a_bitmask"], "Dog"),
    ]
    b = [
        rect("rb1", 120, 72, 5, 10, 40, 25, 0, "Cat"),
        rect("rb2", 120, 72, 70, 30, 15, 20, 120, "Dog"),
        rect("rb3", 120, 72, 25, 12.5, 50, 25, 0, "Cat"),  # on whole pixels: 30, 9, 90, 27
        polygon("pb1", 120, 72, [[60, 5], [95, 8], [90, 40], [70, 35], [62, 20]], "Cat"),
        ellipse("eb1", 120, 72, 30, 70, 12, 9, 45, "Dog"),
        brush("bb1", 120, 72, rles["b_soft"], "Dog"),
    ]
    c_old = [
        rect("rc1", 96, 160, 10, 5, 50, 30, 0, "Dog"),
        brush("bc1", 96, 160, rles["c_block"], "Cat"),
    ]
    c_new = [
        rect("rc2", 96, 160, 20.5, 40.25, 33.75, 18.125, 0, "Cat"),
        brush("bc2", 96, 160, rles["c_soft"], "Dog"),
        bitmask("mc1", 96, 160, masks["c_bitmask"], "Cat"),
    ]
    if keypoints:
        # ra1 gets both keypoints, rotated rb2 a Tail, rb1, rb3, ra2-ra4 none; kb1 has no parent.
        a.append(keypoint("ka1", 160, 96, 20, 30, "Nose", parent="ra1"))
        a.append(keypoint("ka2", 160, 96, 33.4375, 51.3, "Tail", parent="ra1"))
        b.append(keypoint("kb1", 120, 72, 40.5, 60.25, "Nose"))
        b.append(keypoint("kb2", 120, 72, 81.2, 44.9, "Tail", parent="rb2"))
    return [
        {"data": {"image": "/data/local-files/?d=images/a.png"}, "annotations": [{"result": a}]},
        {"data": {"image": "/data/local-files/?d=images/b.jpg"}, "annotations": [{"result": b}]},
        {"data": {"image": "/data/local-files/?d=images/c.png"},
         "annotations": [{"result": c_old}, {"result": c_new}]},  # import sets created_at: c_new is newer
    ]


def write_images(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, w, h, fmt_ in IMAGES:
        yy, xx = yy_xx(h, w)
        rgb = np.dstack([xx * 255 / w, yy * 255 / h, (xx + yy) % 64 * 4]).astype(np.uint8)
        Image.fromarray(rgb, "RGB").save(folder / name, fmt_)


# ----------------------------------------------------------------------------------------------
# The Label Studio server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ls_environment(data_dir: Path, files_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LABEL_STUDIO_", "HEARTEX_", "DJANGO_"))
           and k not in ("HOST", "PORT", "USERNAME", "PASSWORD", "USER_TOKEN", "DATABASE_NAME",
                         "BASE_DATA_DIR", "SECRET_KEY", "DEBUG", "LOCAL_FILES_SERVING_ENABLED",
                         "LOCAL_FILES_DOCUMENT_ROOT", REEXEC_FLAG)}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LOCAL_FILES_SERVING_ENABLED": "true",
        "LOCAL_FILES_DOCUMENT_ROOT": str(files_root),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "SECRET_KEY": secrets.token_urlsafe(40),
        # Nothing leaves the machine: no Sentry, no analytics, no PyPI version check.
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LATEST_VERSION_CHECK": "false",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def ls_version() -> str:
    from importlib.metadata import version
    try:
        return version("label-studio")
    except Exception:
        return "unknown"


def migrated_template(venv: Path, work: Path, files_root: Path, verbose: bool) -> Path:
    """An empty, migrated database, made once per Label Studio version and kept in the venv."""
    cache = venv / "migrated-db"
    template = cache / f"label_studio-{ls_version()}.sqlite3"
    if template.exists():
        return template
    print(f"setup: migrating an empty Label Studio database once (kept as {template.relative_to(venv.parent)})",
          flush=True)
    build = work / "template-build"
    build.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    proc = subprocess.run([str(venv / "bin" / "label-studio"), "version"], env=ls_environment(build, files_root),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, cwd=work)
    db = build / "label_studio.sqlite3"
    if proc.returncode != 0 or not db.exists():
        raise SetupError("label-studio version (database migration) failed:\n"
                         + proc.stdout.decode(errors="replace")[-3000:])
    cache.mkdir(exist_ok=True)
    partial = cache / f".{template.name}.{os.getpid()}"
    shutil.copyfile(db, partial)
    os.replace(partial, template)
    if verbose:
        print(f"setup: migrations took {time.monotonic() - started:.1f} s", flush=True)
    return template


class Server:
    def __init__(self, venv: Path, work: Path, files_root: Path, timeout: float, verbose: bool):
        self.venv = venv
        self.work = work
        self.files_root = files_root
        self.timeout = timeout
        self.verbose = verbose
        self.proc: subprocess.Popen | None = None
        self.log_path = work / "label-studio.log"
        self.username = "roundtrip@example.com"
        self.password = secrets.token_urlsafe(12)
        self.token = secrets.token_hex(20)  # 40 characters: the length of DRF token keys
        self.base = ""

    def start(self) -> None:
        data = self.work / "ls-data"
        data.mkdir(parents=True, exist_ok=True)
        template = migrated_template(self.venv, self.work, self.files_root, self.verbose)
        shutil.copyfile(template, data / "label_studio.sqlite3")
        port = free_port()
        cmd = [str(self.venv / "bin" / "label-studio"), "start",
               "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
               "--username", self.username, "--password", self.password,
               "--user-token", self.token, "--enable-legacy-api-token"]
        started = time.monotonic()
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, env=ls_environment(data, self.files_root), cwd=self.work,
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        log.close()
        deadline = started + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SetupError(f"Label Studio exited with {self.proc.returncode} before it served:\n"
                                 + self.log_tail())
            # Label Studio moves to the next port when the one asked for is taken meanwhile.
            text = self.log_path.read_text(errors="replace")
            found = re.search(r"Starting development server at http://127\.0\.0\.1:(\d+)/", text)
            if found:
                self.base = f"http://127.0.0.1:{found.group(1)}"
                try:
                    with urllib.request.urlopen(self.base + "/api/version", timeout=5) as r:
                        if r.status == 200:
                            info = json.loads(r.read())
                            print(f"setup: Label Studio {info.get('release')} on {self.base} after "
                                  f"{time.monotonic() - started:.1f} s", flush=True)
                            return
                except (urllib.error.URLError, OSError, ValueError):
                    pass
            time.sleep(0.25)
        raise SetupError(f"Label Studio did not answer within {self.timeout:.0f} s:\n" + self.log_tail())

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and any child
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)

    # The REST API ------------------------------------------------------------------------------

    def request(self, method: str, path: str, body=None, timeout: float = 120):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Token {self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers

    def json(self, method: str, path: str, body=None, expect=(200, 201)):
        status, payload, _ = self.request(method, path, body)
        if status not in expect:
            raise SetupError(f"{method} {path} -> {status}: {short(payload.decode(errors='replace'), 800)}")
        return json.loads(payload) if payload else None


def unpack_export(payload: bytes, headers, target: Path) -> list[str]:
    """Writes an export response into target: a zip is unpacked, a single file kept under its name."""
    target.mkdir(parents=True, exist_ok=True)
    if payload[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(payload)) as z:
            z.extractall(target)
            return sorted(n for n in z.namelist() if not n.endswith("/"))
    disposition = headers.get("Content-Disposition", "") if headers else ""
    found = re.search(r'filename="?([^";]+)"?', disposition)
    name = os.path.basename(found.group(1)) if found else "export.bin"
    (target / name).write_bytes(payload)
    return [name]


# ----------------------------------------------------------------------------------------------
# labelkit


class LabelKit:
    def __init__(self, binary: Path):
        self.binary = binary
        self.help = self.run(["export", "--help"], check=False).stdout
        values = re.search(r"--to <to>.*?\(values: ([^)]*)\)", self.help, re.S)
        self.formats = [v.strip() for v in values.group(1).split(",")] if values else []

    def run(self, args: list[str], check: bool = True):
        proc = subprocess.run([str(self.binary), *args], capture_output=True, text=True, timeout=300)
        if check and proc.returncode != 0:
            raise RuntimeError(f"labelkit {' '.join(args)} -> {exit_detail(proc)}")
        return proc

    def export(self, source: Path, to: str, out: Path, extra: list[str] = ()) -> subprocess.CompletedProcess:
        return self.run(["export", str(source), "--to", to, "-o", str(out), "--force", "--quiet", *extra],
                        check=False)


def wait_for_binary(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    announced = False
    while not (path.is_file() and os.access(path, os.X_OK)):
        if time.monotonic() > deadline:
            raise SetupError(f"{path} does not exist (build it: swift build --product labelkit)")
        if not announced:
            print(f"setup: waiting for {path} (a build may be replacing it)", flush=True)
            announced = True
        time.sleep(2)


# ----------------------------------------------------------------------------------------------
# Reading exports


def read_classes(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def read_yolo(path: Path) -> list[tuple[int, list[float]]]:
    rows = []
    if path.exists():
        for line in path.read_text().splitlines():
            parts = line.split()
            if parts:
                rows.append((int(parts[0]), [float(p) for p in parts[1:]]))
    return rows


def find_line(rows, classes, name: str, values: list[float]):
    for cls, nums in rows:
        if 0 <= cls < len(classes) and classes[cls] == name and close(nums[:len(values)], values):
            return cls, nums
    return None


def rect_corners_px(v: dict, w: int, h: int) -> list[tuple[float, float]]:
    """TL, TR, BR, BL in pixels (spec section 4)."""
    px, py = v["x"] * w / 100, v["y"] * h / 100
    pw, ph = v["width"] * w / 100, v["height"] * h / 100
    t = math.radians(v.get("rotation", 0) or 0)
    c, s = math.cos(t), math.sin(t)
    return [(px, py), (px + pw * c, py + pw * s), (px + pw * c - ph * s, py + pw * s + ph * c),
            (px - ph * s, py + ph * c)]


def image_stem(task: dict) -> str:
    url = task["data"]["image"]
    return os.path.splitext(os.path.basename(url.split("?d=")[-1]))[0]


def annotation_order(task: dict) -> list[dict]:
    """Label Studio's converter order: non-cancelled annotations, newest created_at first."""
    anns = [a for a in task.get("annotations", []) if not (a.get("skipped") or a.get("was_cancelled"))]
    return sorted(anns, key=lambda a: a.get("created_at", 0), reverse=True)


def ls_coco_regions(tasks: list[dict], config_types: dict[str, str]) -> list[str]:
    """Region ids in the order Label Studio's COCO export writes its annotations.

    Per annotation: results grouped by from_name (first appearance), in result order; a result
    counts when it has rectanglelabels, polygonlabels or labels; keypoints become one annotation
    after them ("keypoints:<annotation id>").
    """
    order = []
    for task in tasks:
        for ann in annotation_order(task):
            groups: dict[str, list[dict]] = {}
            for r in ann.get("result", []):
                if r.get("from_name") in config_types:
                    groups.setdefault(r["from_name"], []).append(r)
            keypoints = False
            for items in groups.values():
                for r in items:
                    v = r["value"]
                    key = next((k for k in ("rectanglelabels", "polygonlabels", "keypointlabels", "labels")
                                if v.get(k)), None)
                    if key is None:
                        continue
                    if key == "keypointlabels":
                        keypoints = True
                    else:
                        order.append(r["id"])
            if keypoints:
                order.append(f"keypoints:{ann['id']}")
    return order


# ----------------------------------------------------------------------------------------------
# The checks


def check_roundtrip(report: Report, tag: str, sent: list[dict], exported: list[dict]) -> None:
    by_image = {t["data"]["image"]: t for t in exported}
    problems = []
    count = 0
    for task in sent:
        got = by_image.get(task["data"]["image"])
        if got is None:
            problems.append(f"task {task['data']['image']} missing from the JSON export")
            continue
        got_results = {r["id"]: r for a in got.get("annotations", []) for r in a.get("result", [])}
        if len(got.get("annotations", [])) != len(task["annotations"]):
            problems.append(f"{task['data']['image']}: {len(got.get('annotations', []))} annotations, "
                            f"sent {len(task['annotations'])}")
        for ann in task["annotations"]:
            for r in ann["result"]:
                count += 1
                back = got_results.get(r["id"])
                if back is None:
                    problems.append(f"result {r['id']} missing")
                    continue
                for key, value in r.items():
                    if back.get(key) != value:
                        problems.append(f"result {r['id']} field {key}: sent {short(value, 120)}, "
                                        f"got {short(back.get(key), 120)}")
    report.check(f"import round trip [{tag}]: every result comes back unchanged", not problems,
                 f"{count} results, values compared exactly" if not problems else "; ".join(problems[:6]))


def check_brush_png(report: Report, ls_dir: Path, lk_dir: Path, lk_proc) -> None:
    if lk_proc.returncode != 0:
        report.check("brush png: labelkit export --to png --annotations all", False,
                     exit_detail(lk_proc))
        return
    ls_names = sorted(p.name for p in ls_dir.glob("*.png"))
    brush_re = re.compile(rf"^task-\d+-annotation-\d+-by-[^-]*-{re.escape(BRUSH_FROM_NAME)}-")
    lk_all = sorted(p.name for p in lk_dir.glob("*.png"))
    lk_names = [n for n in lk_all if brush_re.match(n)]
    same = ls_names == lk_names and bool(ls_names)
    detail = f"{len(ls_names)} files" if same else (
        f"only Label Studio: {sorted(set(ls_names) - set(lk_names))}; "
        f"only labelkit: {sorted(set(lk_names) - set(ls_names))}")
    report.check("brush png: file names (BRUSH_TO_PNG vs labelkit --to png)", same, detail)
    pixel_diffs, byte_same, compared = [], 0, 0
    for name in sorted(set(ls_names) & set(lk_names)):
        a_bytes, b_bytes = (ls_dir / name).read_bytes(), (lk_dir / name).read_bytes()
        byte_same += a_bytes == b_bytes
        with Image.open(io.BytesIO(a_bytes)) as ia, Image.open(io.BytesIO(b_bytes)) as ib:
            a, b = np.asarray(ia), np.asarray(ib)
            modes = (ia.mode, ib.mode)
        compared += 1
        if a.shape != b.shape or not np.array_equal(a, b):
            diff = "shape " + f"{a.shape} vs {b.shape}" if a.shape != b.shape else \
                f"{int(np.count_nonzero(a != b))} pixels differ"
            pixel_diffs.append(f"{name}: {diff} (modes {modes})")
    report.check("brush png: pixels identical", compared > 0 and not pixel_diffs,
                 f"{compared} files, bytes identical in {byte_same}" if not pixel_diffs else "; ".join(pixel_diffs[:4]))
    others = [n for n in lk_all if n not in lk_names]
    bitmask_files = [n for n in others if "-bitmask-" in n]
    Report.note(f"labelkit --to png also wrote {len(others)} PNGs for other regions "
                f"({len(bitmask_files)} for bitmask regions); BRUSH_TO_PNG writes brushlabels only "
                f"(no bitmask, no other shapes)")


def check_yolo(report: Report, tag: str, tasks: list[dict], ls_dir: Path, lk_dir: Path, lk_proc) -> None:
    if lk_proc.returncode != 0:
        report.check(f"yolo [{tag}]: labelkit export --to yolo", False,
                     exit_detail(lk_proc))
        return
    ls_classes, lk_classes = read_classes(ls_dir / "classes.txt"), read_classes(lk_dir / "classes.txt")
    report.check(f"yolo [{tag}]: class names in classes.txt", set(ls_classes) == set(lk_classes),
                 f"{ls_classes}" if set(ls_classes) == set(lk_classes)
                 else f"Label Studio {ls_classes}, labelkit {lk_classes}")
    report.check(f"yolo [{tag}]: class ids (classes.txt order, labelkit --config)", ls_classes == lk_classes,
                 f"{ls_classes}" if ls_classes == lk_classes
                 else f"Label Studio {ls_classes}, labelkit {lk_classes}")
    ls_files = sorted(p.name for p in (ls_dir / "labels").glob("*.txt"))
    lk_files = sorted(p.name for p in (lk_dir / "labels").glob("*.txt"))
    report.check(f"yolo [{tag}]: label file names", ls_files == lk_files,
                 f"{ls_files}" if ls_files == lk_files else f"Label Studio {ls_files}, labelkit {lk_files}")

    problems, boxes = [], 0
    for task in tasks:
        stem = image_stem(task)
        ls_rows, lk_rows = read_yolo(ls_dir / "labels" / f"{stem}.txt"), read_yolo(lk_dir / "labels" / f"{stem}.txt")
        anns = annotation_order(task)
        if len(anns) != 1:
            written = []
            for who, rows, classes in (("Label Studio", ls_rows, ls_classes), ("labelkit", lk_rows, lk_classes)):
                hit = [a["id"] for a in anns if all(
                    find_line(rows, classes, r["value"]["rectanglelabels"][0], yolo_box(r["value"])) is not None
                    for r in a["result"] if r["type"] == "rectanglelabels" and not r["value"].get("rotation"))]
                written.append(f"{who} annotation {hit or 'none'}")
            Report.note(f"yolo [{tag}]: {stem}.txt of a task with {len(anns)} annotations "
                        f"(ids newest first {[a['id'] for a in anns]}): " + ", ".join(written)
                        + "; not compared")
            continue
        for r in anns[0]["result"]:
            if r["type"] != "rectanglelabels":
                continue
            v, name = r["value"], r["value"]["rectanglelabels"][0]
            plain = yolo_box(v)
            ls_hit = find_line(ls_rows, ls_classes, name, plain)
            if v.get("rotation"):
                corners = rect_corners_px(v, r["original_width"], r["original_height"])
                xs, ys = [p[0] / r["original_width"] for p in corners], [p[1] / r["original_height"] for p in corners]
                true_box = [(min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs), max(ys) - min(ys)]
                lk_hit = find_line(lk_rows, lk_classes, name, true_box)
                Report.note(f"yolo [{tag}]: rotated rectangle {r['id']} ({v['rotation']} deg): Label Studio "
                            + (f"writes the unrotated box {fmt(ls_hit[1][:4])} (rotation ignored)" if ls_hit
                               else "writes no line matching the unrotated box")
                            + ", labelkit " + (f"the rotated box's bounds {fmt(lk_hit[1][:4])}" if lk_hit
                                               else "no line matching the rotated box's bounds"))
                continue
            boxes += 1
            lk_hit = find_line(lk_rows, lk_classes, name, plain)
            if ls_hit is None:
                problems.append(f"{r['id']}: Label Studio wrote no line {name} {fmt(plain)} in {stem}.txt")
            if lk_hit is None:
                lines = [(lk_classes[c] if c < len(lk_classes) else c, fmt(n)) for c, n in lk_rows]
                problems.append(f"{r['id']}: labelkit wrote no line {name} {fmt(plain)} in {stem}.txt "
                                f"(its lines: {lines[:6]})")
    report.check(f"yolo [{tag}]: boxes of unrotated rectangles (1e-6)", boxes > 0 and not problems,
                 f"{boxes} boxes" if not problems else "; ".join(problems[:5]))


def yolo_box(v: dict) -> list[float]:
    return [(v["x"] + v["width"] / 2) / 100, (v["y"] + v["height"] / 2) / 100, v["width"] / 100, v["height"] / 100]


def yolo_true_box(r: dict) -> list[float]:
    """The YOLO box (xc yc w h, normalized) of a rectangle's true, rotated extent."""
    w, h = r["original_width"], r["original_height"]
    corners = rect_corners_px(r["value"], w, h)
    xs, ys = [p[0] / w for p in corners], [p[1] / h for p in corners]
    return [(min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs), max(ys) - min(ys)]


def config_labels(config_xml: str) -> tuple[list[str], list[str], list[str]]:
    """RectangleLabels labels, KeyPointLabels labels (config order) and the keypoint order
    (model_index ascending; labels without one, or repeating one, left out) as Label Studio
    reads them."""
    import xml.etree.ElementTree as ET
    root = ET.fromstring(config_xml)

    def labels(tag: str) -> list:
        return list(dict.fromkeys(lab for control in root.iter(tag) for lab in control.iter("Label")))

    rect = list(dict.fromkeys(lab.get("value") for lab in labels("RectangleLabels")))
    kp_labels = labels("KeyPointLabels")
    kp_names = list(dict.fromkeys(lab.get("value") for lab in kp_labels))
    pairs, used = [], set()
    for lab in kp_labels:
        try:
            idx = int(lab.get("model_index"))
        except (TypeError, ValueError):
            continue
        if idx not in used:
            pairs.append((idx, lab.get("value")))
            used.add(idx)
    return rect, kp_names, [name for _, name in sorted(pairs)]


def read_lines(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def pose_expectation(ann: dict, rect_classes: list[str], kp_order: list[str]):
    """Label Studio's pose lines of an annotation, one per labelled rectangle in result order:
    (rectangle result, [cls, xc, yc, w, h (unrotated), x y v per keypoint in kp_order])."""
    rects = {}
    for r in ann["result"]:
        labs = r["value"].get("rectanglelabels") or []
        if r["type"] == "rectanglelabels" and labs and labs[0] in rect_classes:
            rects[r["id"]] = (r, [rect_classes.index(labs[0]), *yolo_box(r["value"])], {})
    for r in ann["result"]:
        labs = r["value"].get("keypointlabels") or []
        if r["type"] == "keypointlabels" and labs and r.get("parentID") in rects:
            rects[r["parentID"]][2][labs[0]] = (r["value"]["x"] / 100, r["value"]["y"] / 100, 2)
    return [(r, base + [c for k in kp_order for c in kids.get(k, (0.0, 0.0, 0))])
            for r, base, kids in rects.values()]


def check_yolo_pose(report: Report, tag: str, tasks: list[dict], config_xml: str, ls_dir: Path, lk_dir: Path,
                    lk_proc) -> None:
    """Label Studio's YOLO export of a config with KeyPointLabels (its pose layout) against
    labelkit --to yolo-pose --config: classes.txt, label file names, every line to 1e-6."""
    if lk_proc.returncode != 0:
        report.check(f"yolo-pose [{tag}]: labelkit export --to yolo-pose --config", False, exit_detail(lk_proc))
        return
    rect_classes, _, kp_order = config_labels(config_xml)
    ls_classes, lk_classes = read_classes(ls_dir / "classes.txt"), read_classes(lk_dir / "classes.txt")
    report.check(f"yolo-pose [{tag}]: classes.txt identical (Label Studio's YOLO, RectangleLabels in config order)",
                 ls_classes == lk_classes and bool(ls_classes),
                 f"{ls_classes}" if ls_classes == lk_classes else f"Label Studio {ls_classes}, labelkit {lk_classes}")
    if ls_classes != rect_classes:
        Report.note(f"yolo-pose [{tag}]: Label Studio's classes.txt {ls_classes} is not the config's "
                    f"RectangleLabels {rect_classes}")
    ls_files = sorted(p.name for p in (ls_dir / "labels").glob("*.txt"))
    lk_files = sorted(p.name for p in (lk_dir / "labels").glob("*.txt"))
    report.check(f"yolo-pose [{tag}]: label file names identical", ls_files == lk_files and bool(ls_files),
                 f"{ls_files}" if ls_files == lk_files else f"Label Studio {ls_files}, labelkit {lk_files}")

    def same(a: list[str], b: list[str]) -> bool:
        return len(a) == len(b) and close(a, b)

    problems, lines, rotated = [], 0, 0
    for task in tasks:
        stem = image_stem(task)
        ls_rows, lk_rows = read_lines(ls_dir / "labels" / f"{stem}.txt"), read_lines(lk_dir / "labels" / f"{stem}.txt")
        anns = annotation_order(task)
        if len(anns) != 1:
            written = []
            for who, rows in (("Label Studio", ls_rows), ("labelkit", lk_rows)):
                hit = []
                for a in anns:
                    expect = pose_expectation(a, rect_classes, kp_order)
                    if len(expect) == len(rows) and all(
                            same(row, e) or (r["value"].get("rotation") and same(row, [e[0], *yolo_true_box(r), *e[5:]]))
                            for row, (r, e) in zip(rows, expect)):
                        hit.append(a["id"])
                written.append(f"{who} the lines of annotation {hit or 'none'}")
            Report.note(f"yolo-pose [{tag}]: {stem}.txt of a task with {len(anns)} annotations (ids newest first "
                        f"{[a['id'] for a in anns]}): " + ", ".join(written) + "; not compared")
            continue
        expect = pose_expectation(anns[0], rect_classes, kp_order)
        if len(ls_rows) != len(lk_rows):
            problems.append(f"{stem}.txt: Label Studio {len(ls_rows)} lines, labelkit {len(lk_rows)} "
                            f"(one per labelled rectangle: {len(expect)})")
        for i, (ls_row, lk_row) in enumerate(zip(ls_rows, lk_rows)):
            lines += 1
            r, e = expect[i] if i < len(expect) else (None, None)
            where = f"{stem}.txt line {i + 1}" + (f" ({r['id']})" if r else "")
            if len(ls_row) != len(lk_row):
                problems.append(f"{where}: Label Studio {len(ls_row)} values {' '.join(ls_row)}, labelkit "
                                f"{len(lk_row)} values {' '.join(lk_row)}")
                continue
            if r is not None and r["value"].get("rotation"):
                # The documented difference: Label Studio ignores the rotation, labelkit writes the
                # rotated box's bounds. Class and keypoints still have to agree.
                rotated += 1
                true_box = yolo_true_box(r)
                if not same([ls_row[0], *ls_row[5:]], [lk_row[0], *lk_row[5:]]):
                    problems.append(f"{where}: class/keypoints Label Studio {ls_row[0]} {' '.join(ls_row[5:])}, "
                                    f"labelkit {lk_row[0]} {' '.join(lk_row[5:])} (expected {e[0]} {fmt(e[5:])})")
                if not close(ls_row[1:5], e[1:5]) or not close(lk_row[1:5], true_box):
                    problems.append(f"{where}: rotated {r['value']['rotation']} deg: Label Studio box "
                                    f"{' '.join(ls_row[1:5])} (expected the unrotated {fmt(e[1:5])}), labelkit "
                                    f"{' '.join(lk_row[1:5])} (expected the rotated bounds {fmt(true_box)})")
                else:
                    Report.note(f"yolo-pose [{tag}]: {where} rotated {r['value']['rotation']} deg: Label Studio "
                                f"writes the unrotated box {fmt(e[1:5])}, labelkit the rotated box's bounds "
                                f"{fmt(true_box)}; class and {(len(e) - 5) // 3} keypoint triplets identical")
                continue
            if not same(ls_row, lk_row):
                problems.append(f"{where}: Label Studio {' '.join(ls_row)}, labelkit {' '.join(lk_row)}"
                                + (f" (expected from the task {e[0]} {fmt(e[1:])})" if e else ""))
    report.check(f"yolo-pose [{tag}]: every line identical (1e-6, same number of values; keypoints "
                 f"{kp_order} by parentID in model_index order)", lines > 0 and not problems,
                 f"{lines} lines in {len(ls_files)} files, {rotated} rotated (box not compared)" if not problems
                 else "; ".join(problems[:6]))


def check_yolo_obb(report: Report, tag: str, tasks: list[dict], ls_dir: Path, lk_dir: Path, lk_proc) -> None:
    if lk_proc.returncode != 0:
        report.check(f"yolo-obb [{tag}]: labelkit export --to yolo-obb", False,
                     exit_detail(lk_proc))
        return
    ls_classes, lk_classes = read_classes(ls_dir / "classes.txt"), read_classes(lk_dir / "classes.txt")
    problems, count = [], 0
    for task in tasks:
        anns = annotation_order(task)
        if len(anns) != 1:
            continue
        stem = image_stem(task)
        ls_rows, lk_rows = read_yolo(ls_dir / "labels" / f"{stem}.txt"), read_yolo(lk_dir / "labels" / f"{stem}.txt")
        for r in anns[0]["result"]:
            if r["type"] != "rectanglelabels":
                continue
            count += 1
            w, h = r["original_width"], r["original_height"]
            expect = [c for x, y in rect_corners_px(r["value"], w, h) for c in (x / w, y / h)]
            name = r["value"]["rectanglelabels"][0]
            if find_line(ls_rows, ls_classes, name, expect) is None:
                problems.append(f"{r['id']}: Label Studio has no line {name} {fmt(expect)}")
            if find_line(lk_rows, lk_classes, name, expect) is None:
                problems.append(f"{r['id']}: labelkit has no line {name} {fmt(expect)}")
    report.check(f"yolo-obb [{tag}]: rectangle corners TL TR BR BL (1e-6, rotated too)", count > 0 and not problems,
                 f"{count} rectangles" if not problems else "; ".join(problems[:5]))


def coco_categories(doc: dict) -> dict[int, str]:
    return {c["id"]: c["name"] for c in doc.get("categories", [])}


def check_coco(report: Report, tag: str, tasks: list[dict], config_types: dict[str, str], config_xml: str,
               ls_doc: dict, lk_doc: dict | None, lk_proc, cc_doc: dict | None, cc_proc, has_keypoints: bool) -> None:
    ls_anns = ls_doc.get("annotations", [])
    order = ls_coco_regions(tasks, config_types)
    if len(order) != len(ls_anns):
        report.check(f"coco [{tag}]: Label Studio's annotations map to regions", False,
                     f"{len(ls_anns)} annotations, expected {len(order)} ({order})")
        return
    ls_by_region = dict(zip(order, ls_anns))
    ls_cats = coco_categories(ls_doc)
    results = {r["id"]: r for t in tasks for a in t["annotations"] for r in a["result"]}
    shapes = {r["type"] for r in results.values()} - {"rectanglelabels", "polygonlabels", "keypointlabels"}
    Report.note(f"coco [{tag}]: Label Studio wrote {len(ls_anns)} annotations, {len(ls_doc.get('images', []))} "
                f"images (one per annotation), categories {sorted(ls_cats.items())}; it leaves out "
                f"{sorted(shapes)}")

    if lk_proc.returncode != 0 or lk_doc is None:
        report.check(f"coco [{tag}]: labelkit export --to coco", False,
                     exit_detail(lk_proc))
    else:
        lk_by_region = {a.get("region"): a for a in lk_doc.get("annotations", [])}
        problems, rects, polys = [], 0, 0
        for rid, ls_ann in ls_by_region.items():
            r = results.get(rid)
            if r is None:
                continue
            lk_ann = lk_by_region.get(rid)
            v = r["value"]
            if r["type"] == "rectanglelabels" and v.get("rotation"):
                Report.note(f"coco [{tag}]: rotated rectangle {rid} ({v['rotation']} deg, "
                            f"{r['original_width']}x{r['original_height']}): Label Studio bbox {fmt(ls_ann['bbox'])} "
                            f"area {ls_ann['area']:.6g} (rotated in percent space, empty segmentation), "
                            f"labelkit bbox {fmt(lk_ann['bbox']) if lk_ann else None} "
                            f"area {lk_ann['area'] if lk_ann else None:.6g}" if lk_ann else
                            f"coco [{tag}]: rotated rectangle {rid}: labelkit wrote no annotation")
                continue
            if lk_ann is None:
                problems.append(f"{rid}: labelkit wrote no annotation with region {rid}")
                continue
            if r["type"] == "rectanglelabels":
                rects += 1
                if not close(ls_ann["bbox"], lk_ann["bbox"]):
                    problems.append(f"{rid}: bbox Label Studio {fmt(ls_ann['bbox'])}, labelkit {fmt(lk_ann['bbox'])}")
            elif r["type"] == "polygonlabels":
                polys += 1
                if not close(ls_ann["bbox"], lk_ann["bbox"]):
                    problems.append(f"{rid}: polygon bbox Label Studio {fmt(ls_ann['bbox'])}, "
                                    f"labelkit {fmt(lk_ann['bbox'])}")
                if not close(ls_ann["segmentation"][0], lk_ann["segmentation"][0]):
                    problems.append(f"{rid}: polygon segmentation differs")
            name_ls = ls_cats.get(ls_ann["category_id"])
            name_lk = coco_categories(lk_doc).get(lk_ann["category_id"])
            if name_ls != name_lk:
                problems.append(f"{rid}: category Label Studio {name_ls}, labelkit {name_lk}")
        report.check(f"coco [{tag}]: bbox of unrotated rectangles and polygons, category names (1e-6)",
                     rects > 0 and not problems, f"{rects} rectangles, {polys} polygons" if not problems
                     else "; ".join(problems[:5]))
        kp_ids = {str(a["id"]): [r["id"] for r in a["result"] if r["type"] == "keypointlabels"]
                  for t in tasks for a in t["annotations"]}
        for rid, ls_ann in ls_by_region.items():
            if rid.startswith("keypoints:"):
                mine = kp_ids.get(rid.split(":", 1)[1], [])
                lk_kp = [(a.get("region"), a.get("keypoints")) for a in lk_doc.get("annotations", [])
                         if a.get("region") in mine]
                Report.note(f"coco [{tag}]: Label Studio merges an annotation's keypoints into one annotation "
                            f"(category {ls_cats.get(ls_ann['category_id'])!r}, keypoints {ls_ann['keypoints']} "
                            f"rounded to int, bbox {ls_ann['bbox']}); labelkit writes one per keypoint: {lk_kp}")

    if cc_proc.returncode != 0 or cc_doc is None:
        report.check(f"coco [{tag}]: labelkit export --to coco --converter-compatible", False,
                     exit_detail(cc_proc))
        return
    cc_anns = cc_doc.get("annotations", [])
    cc_cats = coco_categories(cc_doc)
    shaped = [(rid, a) for rid, a in zip(order, ls_anns) if not rid.startswith("keypoints:")]
    cc_shaped = [b for b in cc_anns if "keypoints" not in b]
    problems = []
    if len(shaped) != len(cc_shaped):
        problems.append(f"{len(cc_shaped)} annotations without keypoints, Label Studio has {len(shaped)} "
                        f"rectangles and polygons")
    for (rid, a), b in zip(shaped, cc_shaped):
        for key in ("bbox", "area"):
            va, vb = (a[key], b.get(key)) if key == "bbox" else ([a[key]], [b.get(key)])
            if vb is None or None in vb or not close(va, vb):
                problems.append(f"{rid}: {key} Label Studio {fmt(va)}, labelkit {vb}")
        seg_a, seg_b = a.get("segmentation") or [[]], b.get("segmentation") or [[]]
        if not close(seg_a[0] if seg_a else [], seg_b[0] if seg_b else []):
            problems.append(f"{rid}: segmentation differs")
        if ls_cats.get(a["category_id"]) != cc_cats.get(b.get("category_id")):
            problems.append(f"{rid}: category Label Studio {ls_cats.get(a['category_id'])}, "
                            f"labelkit {cc_cats.get(b.get('category_id'))}")
        if a.get("image_id") != b.get("image_id"):
            problems.append(f"{rid}: image_id Label Studio {a.get('image_id')}, labelkit {b.get('image_id')}")
    report.check(f"coco [{tag}]: --converter-compatible rectangles (rotated too) and polygons equal Label Studio's",
                 not problems, f"{len(shaped)} annotations: bbox, area, segmentation, category, image_id"
                 if not problems else "; ".join(problems[:5]))

    check_coco_cc_categories(report, tag, ls_doc, cc_doc, config_xml, has_keypoints)
    if has_keypoints:
        check_coco_cc_keypoints(report, tag, tasks, order, ls_doc, cc_doc, config_xml)


def coco_category_rows(doc: dict) -> list[tuple]:
    """(id, name, keypoints or None) per category, by id."""
    return sorted(((c.get("id"), c.get("name"), c.get("keypoints")) for c in doc.get("categories", [])),
                  key=lambda c: (not isinstance(c[0], int), c[0] if isinstance(c[0], int) else str(c[0])))


def check_coco_cc_categories(report: Report, tag: str, ls_doc: dict, cc_doc: dict, config_xml: str,
                             has_keypoints: bool) -> None:
    """Categories of --converter-compatible: Label Studio's ids and names; with KeyPointLabels the
    keypoint labels' categories removed and a `default` category (id = the largest id left + 1)
    whose `keypoints` are the KeyPointLabels names in config order."""
    ls_rows, lk_rows = coco_category_rows(ls_doc), coco_category_rows(cc_doc)
    problems = []
    if has_keypoints:
        _, kp_names, _ = config_labels(config_xml)
        others = [c for c in ls_rows if c[1] not in kp_names and c[1] != "default"]
        expect_default = (max([c[0] for c in others if isinstance(c[0], int)], default=-1) + 1, "default", kp_names)
        ls_default = [c for c in ls_rows if c[1] == "default"]
        if ls_default != [expect_default] or any(c[1] in kp_names for c in ls_rows):
            problems.append(f"Label Studio's own categories are not as this script models them: expected "
                            f"{others + [expect_default]}, Label Studio {ls_rows}")
        lk_default = [c for c in lk_rows if c[1] == "default"]
        kept = [c for c in lk_rows if c[1] in kp_names]
        if kept:
            problems.append(f"labelkit keeps categories for keypoint labels {kept} (Label Studio removes them)")
        if not lk_default:
            problems.append(f"labelkit has no 'default' category (Label Studio {ls_default}: id = largest "
                            f"other id + 1, keypoints = KeyPointLabels in config order)")
        elif lk_default != ls_default:
            problems.append(f"'default' category: Label Studio {ls_default}, labelkit {lk_default}")
        ls_rest = [c for c in ls_rows if c[1] != "default"]
        lk_rest = [c for c in lk_rows if c[1] != "default" and c[1] not in kp_names]
        if ls_rest != lk_rest:
            problems.append(f"other categories: Label Studio {ls_rest}, labelkit {lk_rest}")
    elif ls_rows != lk_rows:
        problems.append(f"Label Studio {ls_rows}, labelkit {lk_rows}")
    report.check(f"coco [{tag}]: --converter-compatible categories equal Label Studio's (id, name, keypoints)",
                 not problems, f"{ls_rows}" if not problems else "; ".join(problems))


def ls_coco_keypoints(ann: dict, kp_order: list[str]) -> tuple[list[int], int, list[int]]:
    """Label Studio's keypoint annotation values for one annotation: keypoints [x, y, v] in
    model_index order (x = int(round(x% * W / 100)), v = 2; 0, 0, 0 for a label without a point),
    num_keypoints, bbox [x, y, w, h] of the visible points."""
    values = [0] * (3 * len(kp_order))
    for r in ann["result"]:
        labs = r["value"].get("keypointlabels") or []
        if r["type"] != "keypointlabels":
            continue
        x = r["value"]["x"] / 100 * r["original_width"]
        y = r["value"]["y"] / 100 * r["original_height"]
        for lab in labs:
            if lab in kp_order:
                i = kp_order.index(lab)
                values[3 * i:3 * i + 3] = [int(round(x)), int(round(y)), 2]
    seen = [i for i in range(len(kp_order)) if values[3 * i + 2] > 0]
    if seen:
        xs, ys = [values[3 * i] for i in seen], [values[3 * i + 1] for i in seen]
        bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    else:
        bbox = [0, 0, 0, 0]
    return values, len(seen), bbox


def check_coco_cc_keypoints(report: Report, tag: str, tasks: list[dict], order: list[str], ls_doc: dict,
                            cc_doc: dict, config_xml: str) -> None:
    """One keypoint annotation per Label Studio annotation with keypoints, right after that
    annotation's shapes (so at the same id), category_id the `default` category's."""
    _, _, kp_order = config_labels(config_xml)
    anns_by_id = {str(a["id"]): a for t in tasks for a in t["annotations"]}
    ls_anns, cc_anns = ls_doc.get("annotations", []), cc_doc.get("annotations", [])
    ls_default = [c["id"] for c in ls_doc.get("categories", []) if c.get("name") == "default"]
    lk_default = [c["id"] for c in cc_doc.get("categories", []) if c.get("name") == "default"]
    cc_kp = [b for b in cc_anns if "keypoints" in b]
    ls_kp = [(rid.split(":", 1)[1], a) for rid, a in zip(order, ls_anns) if rid.startswith("keypoints:")]
    problems = []
    if len(ls_kp) != len(cc_kp):
        problems.append(f"Label Studio writes {len(ls_kp)} keypoint annotations (one per annotation with "
                        f"keypoints: {[k for k, _ in ls_kp]}), labelkit {len(cc_kp)}")
    fields = ("id", "image_id", "category_id", "keypoints", "num_keypoints", "bbox", "iscrowd")
    for i, (ann_id, a) in enumerate(ls_kp):
        ann = anns_by_id.get(ann_id)
        kids = [r["id"] for r in ann["result"] if r["type"] == "keypointlabels"] if ann else []
        name = f"annotation {ann_id} ({', '.join(kids)})"
        values, count, bbox = ls_coco_keypoints(ann, kp_order) if ann else (None, None, None)
        expect = {"keypoints": values, "num_keypoints": count, "bbox": bbox,
                  "category_id": ls_default[0] if ls_default else None}
        wrong = {k: (a.get(k), v) for k, v in expect.items() if a.get(k) != v}
        if wrong:
            problems.append(f"{name}: Label Studio's values are not as this script models them: "
                            + ", ".join(f"{k} {got} (expected {want})" for k, (got, want) in wrong.items()))
        b = cc_kp[i] if i < len(cc_kp) else None
        if b is None:
            problems.append(f"{name}: labelkit wrote no keypoint annotation (Label Studio: "
                            f"{ {k: a.get(k) for k in fields} })")
            continue
        diffs = []
        for key in fields:
            va, vb = a.get(key), b.get(key)
            if key == "category_id":
                if not lk_default or vb != lk_default[0]:
                    diffs.append(f"category_id {vb} (not labelkit's 'default' category {lk_default or 'none'}; "
                                 f"Label Studio {va} = its 'default')")
            elif va != vb:
                diffs.append(f"{key} Label Studio {va}, labelkit {vb}")
        if diffs:
            problems.append(f"{name}: " + ", ".join(diffs))
    ls_pos = [i for i, a in enumerate(ls_anns) if "keypoints" in a]
    lk_pos = [i for i, b in enumerate(cc_anns) if "keypoints" in b]
    if ls_pos != lk_pos:
        problems.append(f"positions in the annotation list: Label Studio {ls_pos} (after each annotation's "
                        f"shapes), labelkit {lk_pos}")
    report.check(f"coco [{tag}]: --converter-compatible keypoint annotations equal Label Studio's (one per "
                 f"annotation, keypoints in model_index order {kp_order}, int(round()) pixels, v = 2, bbox of "
                 f"the visible points, 'default' category)", not problems,
                 f"{len(ls_kp)} annotations: {[a['keypoints'] for _, a in ls_kp]}" if not problems
                 else "; ".join(problems[:5]))


def voc_objects(path: Path):
    """(width, height), objects in document order as (name, xmin, ymin, xmax, ymax), depth, filename."""
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    size = root.find("size")
    dims = tuple(int(size.findtext(k, "-1")) for k in ("width", "height")) if size is not None else None
    objs = [(o.findtext("name"),
             *(int(float(o.find("bndbox").findtext(k))) for k in ("xmin", "ymin", "xmax", "ymax")))
            for o in root.findall("object")]
    depth = size.findtext("depth") if size is not None else None
    return dims, objs, depth, root.findtext("filename")


def voc_ls_box(v: dict, w: int, h: int) -> tuple[int, int, int, int]:
    """Label Studio's VOC box: int() of x, y, width, height in pixels; xmax = xmin + int(width);
    rotation ignored."""
    x, y = int(v["x"] / 100 * w), int(v["y"] / 100 * h)
    return x, y, x + int(v["width"] / 100 * w), y + int(v["height"] / 100 * h)


def region_label(r: dict) -> str | None:
    labs = r["value"].get(r["type"]) or []
    return labs[0] if labs else None


def region_true_box(r: dict) -> tuple[tuple[float, float, float, float] | None, str]:
    """A region's exact extent in pixels (x0, y0, x1, y1) and how it was computed; None for
    keypoints. Brushes and bitmasks: the pixels with a non-zero alpha."""
    v, w, h = r["value"], r["original_width"], r["original_height"]
    if r["type"] == "rectanglelabels":
        xs, ys = zip(*rect_corners_px(v, w, h))
        return (min(xs), min(ys), max(xs), max(ys)), "corners" if v.get("rotation") else "x, y, width, height"
    if r["type"] == "ellipselabels":
        cx, cy, rx, ry = v["x"] * w / 100, v["y"] * h / 100, v["radiusX"] * w / 100, v["radiusY"] * h / 100
        t = math.radians(v.get("rotation", 0) or 0)
        hx, hy = math.hypot(rx * math.cos(t), ry * math.sin(t)), math.hypot(rx * math.sin(t), ry * math.cos(t))
        return (cx - hx, cy - hy, cx + hx, cy + hy), "centre and rotated radii"
    if r["type"] == "polygonlabels":
        xs, ys = [x * w / 100 for x, _ in v["points"]], [y * h / 100 for _, y in v["points"]]
        return (min(xs), min(ys), max(xs), max(ys)), "vertices"
    if r["type"] in ("brushlabels", "bitmasklabels"):
        if r["type"] == "brushlabels":
            from label_studio_sdk.converter.brush import decode_rle
            alpha = np.asarray(decode_rle(v["rle"]), np.uint8).reshape(h, w, 4)[..., 3]
        else:
            data = base64.b64decode(v["imageDataURL"].split(",", 1)[1])
            with Image.open(io.BytesIO(data)) as im:
                alpha = np.asarray(im.convert("RGBA"))[..., 3]
        ys, xs = np.nonzero(alpha)
        if not len(xs):
            return None, "empty mask"
        return (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1), "pixels with alpha > 0"
    return None, r["type"]


def snap(value: float, tol: float) -> float:
    nearest_int = round(value)
    return float(nearest_int) if abs(value - nearest_int) <= tol else value


def whole_pixel_box(box, w: int, h: int, tol: float = TOL) -> tuple[int, int, int, int]:
    """floor of the minimum, ceil of the maximum (coordinates within tol of a whole pixel count
    as on it), clipped to the image."""
    x0, y0, x1, y1 = (snap(c, tol) for c in box)
    return (max(0, math.floor(x0)), max(0, math.floor(y0)), min(w, math.ceil(x1)), min(h, math.ceil(y1)))


def on_whole_pixels(box, tol: float = TOL) -> bool:
    return all(snap(c, tol) == round(c) for c in box)


def fmt_box(box) -> str:
    return "(" + ", ".join(f"{c:.6g}" for c in box) + ")"


def check_voc(report: Report, tasks: list[dict], ls_dir: Path, lk_dir: Path, lk_proc) -> None:
    """Label Studio's VOC (rectangles only, each part truncated: xmin = int(x), xmax = xmin +
    int(width), rotation ignored) against labelkit --to voc (every region: the smallest whole-pixel
    box around what it shows inside the image)."""
    if lk_proc.returncode != 0:
        report.check("voc: labelkit export --to voc", False, exit_detail(lk_proc))
        return
    ls_xml = {re.sub(r"^[0-9a-f]{8}__", "", p.stem): p for p in (ls_dir / "Annotations").glob("*.xml")}
    lk_xml = {p.stem: p for p in (lk_dir / "Annotations").glob("*.xml")}
    lk_elsewhere = sorted(str(p.relative_to(lk_dir)) for p in lk_dir.rglob("*.xml") if p.parent != lk_dir / "Annotations")
    same_files = sorted(ls_xml) == sorted(lk_xml) and bool(ls_xml) and not lk_elsewhere
    report.check("voc: file names (labelkit Annotations/<image stem>.xml, Label Studio's without its "
                 "<8 hex>__ prefix)", same_files,
                 f"{sorted(lk_xml)}" if same_files else
                 f"Label Studio {sorted(p.name for p in ls_xml.values())}, labelkit {sorted(lk_xml)}"
                 + (f", labelkit also {lk_elsewhere}" if lk_elsewhere else ""))

    size_problems, names_problems, ls_problems, lk_problems, whole_problems, other_problems = [], [], [], [], [], []
    files, rects, whole, others, differ = 0, 0, 0, 0, 0
    for task in tasks:
        stem = image_stem(task)
        anns = annotation_order(task)
        if len(anns) != 1:
            Report.note(f"voc: {stem}.xml of a task with {len(anns)} annotations not compared (Label Studio "
                        f"writes one file per annotation under the same name: the last, the oldest, stays; "
                        f"labelkit writes the latest)")
            continue
        if stem not in ls_xml or stem not in lk_xml:
            continue  # reported by the file-name check
        files += 1
        (ls_size, ls_objs, ls_depth, ls_file), (lk_size, lk_objs, lk_depth, lk_file) = \
            voc_objects(ls_xml[stem]), voc_objects(lk_xml[stem])
        results = anns[0]["result"]
        w, h = results[0]["original_width"], results[0]["original_height"]
        if ls_size != lk_size or lk_size != (w, h):
            size_problems.append(f"{stem}: size Label Studio {ls_size}, labelkit {lk_size}, image {(w, h)}")
        if (ls_depth, ls_file) != (lk_depth, lk_file):
            Report.note(f"voc {stem}: depth/filename Label Studio {ls_depth}/{ls_file} (its copy of the image "
                        f"under images/), labelkit {lk_depth}/{lk_file}")

        # Label Studio: one object per labelled rectangle, in result order.
        ls_rects = [r for r in results if r["type"] == "rectanglelabels" and region_label(r)]
        # labelkit: one object per labelled region except keypoints, in result order.
        lk_regions = [r for r in results if r["type"] != "keypointlabels" and region_label(r)]
        if len(lk_objs) != len(lk_regions):
            names_problems.append(f"{stem}: labelkit wrote {len(lk_objs)} objects for {len(lk_regions)} labelled "
                                  f"regions other than keypoints ({[r['id'] for r in lk_regions]})")
            lk_by_id = {}
        else:
            lk_by_id = {r["id"]: o for r, o in zip(lk_regions, lk_objs)}
            for n, (r, o) in enumerate(zip(lk_regions, lk_objs), 1):
                if o[0] != region_label(r):
                    names_problems.append(f"{stem}: labelkit object {n} is {o[0]}, region {r['id']} is "
                                          f"{region_label(r)}")
        ls_names = [o[0] for o in ls_objs]
        lk_names = [lk_by_id[r["id"]][0] if r["id"] in lk_by_id else None for r in ls_rects]
        if ls_names != lk_names:
            names_problems.append(f"{stem}: rectangle names Label Studio {ls_names}, labelkit {lk_names}")

        for i, r in enumerate(ls_rects):
            v = r["value"]
            rects += 1
            ls_box = tuple(ls_objs[i][1:]) if i < len(ls_objs) else None
            lk_box = tuple(lk_by_id[r["id"]][1:]) if r["id"] in lk_by_id else None
            trunc = voc_ls_box(v, w, h)
            true_box, _ = region_true_box(r)
            px = whole_pixel_box(true_box, w, h)
            geometry = (f"x {v['x']:.6g}% y {v['y']:.6g}% width {v['width']:.6g}% height {v['height']:.6g}% of "
                        f"{w}x{h}" + (f", rotation {v['rotation']} deg" if v.get("rotation") else "")
                        + f": true box {fmt_box(true_box)}")
            if ls_box != trunc:
                ls_problems.append(f"{r['id']} ({geometry}): Label Studio {ls_box}, truncation gives {trunc}")
            if lk_box != px:
                lk_problems.append(f"{r['id']} ({geometry}): labelkit {lk_box}, floor/ceil gives {px}")
            if v.get("rotation"):
                Report.note(f"voc {stem}: rotated rectangle {r['id']} ({geometry}): Label Studio {ls_box} "
                            f"(rotation ignored, truncated), labelkit {lk_box} (floor/ceil of the rotated bounds)")
                continue
            if on_whole_pixels(true_box):
                whole += 1
                if ls_box != lk_box:
                    whole_problems.append(f"{r['id']} ({geometry}): Label Studio {ls_box}, labelkit {lk_box}")
            elif ls_box != lk_box:
                differ += 1
                Report.note(f"voc {stem}: rectangle {r['id']} ({geometry}): Label Studio {ls_box} (int of each "
                            f"part, xmax = xmin + int(width)), labelkit {lk_box} (floor/ceil of the true box); "
                            f"a documented difference")

        for r in lk_regions:
            if r["type"] == "rectanglelabels" or r["id"] not in lk_by_id:
                continue
            true_box, how = region_true_box(r)
            if true_box is None:
                other_problems.append(f"{r['id']}: labelkit wrote an object for a region with nothing to show ({how})")
                continue
            if not (true_box[0] >= 0 and true_box[1] >= 0 and true_box[2] <= w and true_box[3] <= h):
                Report.note(f"voc {stem}: {r['id']} reaches past the image; its visible bounds are not checked")
                continue
            others += 1
            # labelkit draws ellipses as 4096-gons: their extremes may fall short by ~1e-5 px.
            px = whole_pixel_box(true_box, w, h, 1e-4 if r["type"] == "ellipselabels" else TOL)
            if tuple(lk_by_id[r["id"]][1:]) != px:
                other_problems.append(f"{r['id']} ({r['type']}, {how} {fmt_box(true_box)}): labelkit "
                                      f"{tuple(lk_by_id[r['id']][1:])}, floor/ceil gives {px}")

    report.check("voc: image size", files > 0 and not size_problems,
                 f"{files} files" if not size_problems else "; ".join(size_problems))
    report.check("voc: object names of rectangles identical, in order (labelkit: one object per labelled region "
                 "but keypoints, in result order)", rects > 0 and not names_problems,
                 f"{rects} rectangles in {files} files" if not names_problems else "; ".join(names_problems[:5]))
    report.check("voc: Label Studio's rectangle boxes are int(x), int(y), int(x) + int(width), int(y) + int(height) "
                 "(rotation ignored)", rects > 0 and not ls_problems,
                 f"{rects} rectangles" if not ls_problems else "; ".join(ls_problems[:5]))
    report.check("voc: labelkit's rectangle boxes are floor/ceil of the true pixel box (rotated: of its corners), "
                 "clipped to the image", rects > 0 and not lk_problems,
                 f"{rects} rectangles" if not lk_problems else "; ".join(lk_problems[:5]))
    report.check("voc: unrotated rectangles on whole pixels identical in both", whole > 0 and not whole_problems,
                 f"{whole} rectangles; {differ} others differ as documented (notes)" if not whole_problems
                 else "; ".join(whole_problems[:5]))
    report.check("voc: labelkit's boxes of ellipses, polygons, brushes and bitmasks are floor/ceil of their true "
                 "extent (Label Studio writes none)", others > 0 and not other_problems,
                 f"{others} regions" if not other_problems else "; ".join(other_problems[:5]))


def check_numpy(report: Report, ls_dir: Path, lk_dir: Path, lk_proc) -> None:
    if lk_proc.returncode != 0:
        report.check("numpy: labelkit export --to numpy", False, exit_detail(lk_proc))
        return
    brush_re = re.compile(rf"^task-\d+-annotation-\d+-by-[^-]*-{re.escape(BRUSH_FROM_NAME)}-")
    ls_names = sorted(p.name for p in ls_dir.glob("*.npy"))
    lk_names = sorted(p.name for p in lk_dir.rglob("*.npy") if brush_re.match(p.name))
    report.check("numpy: file names (BRUSH_TO_NUMPY vs labelkit --to numpy)", ls_names == lk_names and bool(ls_names),
                 f"{len(ls_names)} files" if ls_names == lk_names else
                 f"only Label Studio {sorted(set(ls_names) - set(lk_names))}, "
                 f"only labelkit {sorted(set(lk_names) - set(ls_names))}")
    problems = []
    lk_paths = {p.name: p for p in lk_dir.rglob("*.npy")}
    for name in sorted(set(ls_names) & set(lk_names)):
        a, b = np.load(ls_dir / name), np.load(lk_paths[name])
        if a.dtype != b.dtype or a.shape != b.shape or not np.array_equal(a, b):
            problems.append(f"{name}: Label Studio {a.dtype}{a.shape}, labelkit {b.dtype}{b.shape}"
                            + ("" if a.shape != b.shape else f", {int(np.count_nonzero(a != b))} values differ"))
    report.check("numpy: arrays identical (dtype, shape, values)", not problems and bool(ls_names),
                 f"{len(set(ls_names) & set(lk_names))} arrays" if not problems else "; ".join(problems[:4]))


# ----------------------------------------------------------------------------------------------
# LabelKit's importers against the server: labelkit export -> labelkit import -> a fresh project
# -> Label Studio's own export, compared with the original project's.

IMAGE_ROOT = "/data/local-files/?d=images/"  # how Label Studio serves the images folder
IMPORT_TOL = 1e-9
IMAGE_SIZES = {name: (w, h) for name, w, h, _ in IMAGES}


def approx_equal(a, b, tol: float = IMPORT_TOL) -> bool:
    """Equal JSON values, numbers to tol."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= tol
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(approx_equal(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(approx_equal(a[k], b[k], tol) for k in a)
    return a == b


def fresh_project(server: Server, title: str, config: Path, images_dir: Path) -> int:
    project = server.json("POST", "/api/projects", {"title": title, "label_config": config.read_text()})
    server.json("POST", "/api/storages/localfiles", {
        "project": project["id"], "path": str(images_dir), "title": "images", "use_blob_urls": True})
    return project["id"]


def ls_import(report: Report, server: Server, name: str, tasks_file: Path, config: Path,
              images_dir: Path) -> tuple[int, list[dict]] | None:
    """POSTs labelkit's tasks file as it is into a fresh project with the same config."""
    sent = json.loads(tasks_file.read_text())
    pid = fresh_project(server, name, config, images_dir)
    status, payload, _ = server.request("POST", f"/api/projects/{pid}/import", sent)
    try:
        body = json.loads(payload)
    except ValueError:
        body = payload.decode(errors="replace")
    n_ann = sum(len(t.get("annotations", [])) for t in sent)
    ok = status == 201 and isinstance(body, dict) and body.get("task_count") == len(sent) \
        and body.get("annotation_count") == n_ann
    report.check(f"{name}: Label Studio accepts labelkit's tasks (POST /api/projects/{{id}}/import: 201, "
                 f"task and annotation counts)", ok,
                 f"{len(sent)} tasks, {n_ann} annotations, project {pid}" if ok
                 else f"{status}: {short(body, 600)} (sent {len(sent)} tasks, {n_ann} annotations)")
    return (pid, sent) if ok else None


def ls_export(report: Report, server: Server, name: str, pid: int, fmt_: str, target: Path) -> Path | None:
    status, payload, headers = server.request(
        "GET", f"/api/projects/{pid}/export?exportType={fmt_}&download_all_tasks=true")
    if status != 200:
        report.check(f"{name}: Label Studio export {fmt_} of the imported project", False,
                     f"{status}: {short(payload.decode(errors='replace'), 400)}")
        return None
    unpack_export(payload, headers, target)
    return target


def ls_json_tasks(report: Report, server: Server, name: str, pid: int, target: Path) -> list[dict] | None:
    folder = ls_export(report, server, name, pid, "JSON", target)
    if folder is None:
        return None
    return json.loads(next(folder.glob("*.json")).read_text())


def check_import_unchanged(report: Report, name: str, sent: list[dict], exported: list[dict]) -> None:
    """Tasks in import order, annotations by id, results in order: data and every field labelkit
    wrote (numbers to 1e-9; result ids aside) come back from Label Studio's JSON export."""
    got = sorted(exported, key=lambda t: t["id"])
    problems, count = [], 0
    if len(got) != len(sent):
        problems.append(f"{len(got)} tasks exported, {len(sent)} imported")
    for n, (s, g) in enumerate(zip(sent, got), 1):
        where = f"task {n} ({s.get('data', {}).get('image')})"
        if g.get("data") != s.get("data"):
            problems.append(f"{where}: data {short(g.get('data'), 120)}, sent {short(s.get('data'), 120)}")
        s_anns, g_anns = s.get("annotations", []), sorted(g.get("annotations", []), key=lambda a: a["id"])
        if len(s_anns) != len(g_anns):
            problems.append(f"{where}: {len(g_anns)} annotations, sent {len(s_anns)}")
        for sa, ga in zip(s_anns, g_anns):
            s_res, g_res = sa.get("result", []), ga.get("result", [])
            if len(s_res) != len(g_res):
                problems.append(f"{where}: annotation {ga.get('id')}: {len(g_res)} results, sent {len(s_res)}")
            for a, b in zip(s_res, g_res):
                count += 1
                for key, value in a.items():
                    if key == "id":
                        continue
                    if key == "value" and isinstance(value, dict) and isinstance(b.get("value"), dict):
                        for k, v in value.items():
                            if not approx_equal(v, b["value"].get(k)):
                                problems.append(f"{where}: result {a.get('id')} value.{k}: sent {short(v, 100)}, "
                                                f"got {short(b['value'].get(k), 100)}")
                    elif not approx_equal(value, b.get(key)):
                        problems.append(f"{where}: result {a.get('id')} {key}: sent {short(value, 100)}, "
                                        f"got {short(b.get(key), 100)}")
    report.check(f"{name}: every imported result comes back from Label Studio's JSON export unchanged "
                 f"(1e-9, ids aside)", count > 0 and not problems,
                 f"{count} results in {len(sent)} tasks" if not problems else "; ".join(problems[:6]))


def results_of(task: dict | None) -> list[dict]:
    return [r for a in (task or {}).get("annotations", []) for r in a.get("result", [])]


def import_round_trip(report: Report, server: Server, name: str, tasks_file: Path, config: Path,
                      images_dir: Path, base: Path) -> tuple[int, list[dict], list[dict] | None] | None:
    """Imports `tasks_file` into a fresh project and checks its results come back
    unchanged in Label Studio's JSON export: (project id, tasks sent, tasks exported
    or None when that export failed), or None when the import failed."""
    imported = ls_import(report, server, name, tasks_file, config, images_dir)
    if imported is None:
        return None
    pid, sent = imported
    exported = ls_json_tasks(report, server, name, pid, base / "ls-json")
    if exported is not None:
        check_import_unchanged(report, name, sent, exported)
    return pid, sent, exported


def import_yolo(report: Report, work: Path, server: Server, labelkit: LabelKit, p: dict, ls_yolo: Path,
                images_dir: Path) -> None:
    """labelkit export --to yolo --config -> a YOLO folder -> labelkit import yolo --config -> a fresh
    project -> Label Studio's YOLO export."""
    tag = p["tag"]
    name = f"import yolo [{tag}]"
    base = work / "import" / "yolo"
    lk_out = base / "labelkit-yolo"
    proc = labelkit.export(p["json"], "yolo", lk_out, ["--config", str(p["config"])])
    if proc.returncode != 0:
        report.check(f"{name}: labelkit export --to yolo --config", False, exit_detail(proc))
        return
    ds = base / "dataset"
    (ds / "labels").mkdir(parents=True)
    shutil.copyfile(lk_out / "classes.txt", ds / "classes.txt")
    for f in (lk_out / "labels").glob("*.txt"):
        shutil.copyfile(f, ds / "labels" / f.name)
    shutil.copytree(images_dir, ds / "images")
    out = base / "tasks.json"
    root = IMAGE_ROOT.rstrip("/")  # import yolo takes the images folder and adds the "/"
    classes = read_classes(ds / "classes.txt")
    proc = labelkit.run(["import", "yolo", str(ds), "-o", str(out), "--config", str(p["config"]),
                         "--image-root", root], check=False)
    detail = f"{len(classes)} classes {classes}"
    if proc.returncode != 0:
        rect_labels, _, _ = config_labels(p["config"].read_text())
        unused = [c for c in classes if c not in rect_labels]
        detail = (exit_detail(proc) + f"; classes.txt (written by labelkit export --to yolo --config, identical to "
                  f"Label Studio's own {read_classes(ls_yolo / 'classes.txt')}) lists every label of the config, "
                  f"{unused} not RectangleLabels/PolygonLabels labels and used by no label line")
    report.check(f"{name}: labelkit import yolo --config of labelkit's own YOLO export (classes.txt, images/, "
                 f"labels/)", proc.returncode == 0, detail)
    if proc.returncode != 0:
        # Every line of labelkit's YOLO files is a box: without --config, from_name/to_name of the
        # RectangleLabels control give the results --config would, so the rest can still be checked.
        proc = labelkit.run(["import", "yolo", str(ds), "-o", str(out), "--from-name", "rect", "--to-name", "image",
                             "--image-root", root], check=False)
        if proc.returncode != 0:
            report.check(f"{name}: labelkit import yolo --from-name rect --to-name image", False, exit_detail(proc))
            return
        Report.note(f"{name}: continuing with the tasks of `labelkit import yolo --from-name rect --to-name image` "
                    f"(no --config) to check the rest")

    # What the importer wrote: one task per image, a rectangle per line, label-studio-converter's values.
    tasks = json.loads(out.read_text())
    by_image = {t.get("data", {}).get("image"): t for t in tasks}
    images = sorted(f.name for f in (ds / "images").iterdir())
    problems, lines = [], 0
    if sorted(by_image) != sorted(IMAGE_ROOT + f for f in images) or len(tasks) != len(images):
        problems.append(f"data.image {sorted(map(str, by_image))}, expected {[IMAGE_ROOT + f for f in images]}")
    for image in images:
        w, h = IMAGE_SIZES[image]
        rows = read_yolo(ds / "labels" / f"{os.path.splitext(image)[0]}.txt")
        res = results_of(by_image.get(IMAGE_ROOT + image))
        if len(res) != len(rows):
            problems.append(f"{image}: {len(res)} results for {len(rows)} label lines")
        for i, ((cls, nums), r) in enumerate(zip(rows, res), 1):
            lines += 1
            xc, yc, bw, bh = nums[:4]
            want = {"x": (xc - bw / 2) * 100, "y": (yc - bh / 2) * 100, "width": bw * 100, "height": bh * 100,
                    "rotation": 0}
            v = r.get("value", {})
            got = {k: v.get(k) for k in want}
            if (r.get("type"), r.get("from_name"), r.get("to_name"), v.get("rectanglelabels")) != \
                    ("rectanglelabels", "rect", "image", [classes[cls]]) or \
                    (r.get("original_width"), r.get("original_height")) != (w, h) or not approx_equal(got, want):
                problems.append(f"{image} line {i} ({classes[cls]} {fmt(nums)}): {r.get('type')} "
                                f"{r.get('from_name')}->{r.get('to_name')} {v.get('rectanglelabels')} "
                                f"{r.get('original_width')}x{r.get('original_height')} {short(got, 160)}, expected "
                                f"rectanglelabels rect->image [{classes[cls]}] {w}x{h} {short(want, 160)}")
    report.check(f"{name}: one task per image, each label line a rectanglelabels result (x = (xc - w/2) * 100, ..., "
                 f"classes.txt label, the config's rect/image, the image's size; 1e-9)", lines > 0 and not problems,
                 f"{lines} lines in {len(tasks)} tasks" if not problems else "; ".join(problems[:5]))

    round_trip = import_round_trip(report, server, name, out, p["config"], images_dir, base)
    if round_trip is None:
        return
    pid, sent, exported = round_trip
    back = ls_export(report, server, name, pid, "YOLO", base / "ls-yolo")
    if back is None:
        return

    # Label Studio's YOLO export of the imported project against the files they came from.
    back_classes = read_classes(back / "classes.txt")
    problems, lines = [], 0
    if back_classes != classes:
        problems.append(f"classes.txt {back_classes}, labelkit's {classes}")
    src_files = sorted(f.name for f in (ds / "labels").glob("*.txt"))
    back_files = sorted(f.name for f in (back / "labels").glob("*.txt"))
    if src_files != back_files:
        problems.append(f"label files {back_files}, labelkit's {src_files}")
    for f in src_files:
        src, got = read_yolo(ds / "labels" / f), read_yolo(back / "labels" / f)
        if len(src) != len(got):
            problems.append(f"{f}: {len(got)} lines, labelkit's has {len(src)}")
        for i, ((c1, n1), (c2, n2)) in enumerate(zip(src, got), 1):
            lines += 1
            name1 = classes[c1] if c1 < len(classes) else c1
            name2 = back_classes[c2] if c2 < len(back_classes) else c2
            if name1 != name2 or not close(n1, n2):
                problems.append(f"{f} line {i}: Label Studio {name2} {fmt(n2)}, labelkit {name1} {fmt(n1)}")
    report.check(f"{name}: Label Studio's YOLO export of the imported project gives back labelkit's YOLO files "
                 f"(classes.txt, file names, every line in order: class name, box to 1e-6)",
                 lines > 0 and not problems,
                 f"{lines} lines in {len(src_files)} files" if not problems else "; ".join(problems[:5]))

    # ... and against the original project's YOLO export: unrotated rectangles, single-annotation tasks.
    orig_classes = read_classes(ls_yolo / "classes.txt")
    problems, boxes = [], 0
    for task in p["exported"]:
        anns = annotation_order(task)
        stem = image_stem(task)
        if len(anns) != 1:
            Report.note(f"{name}: {stem}.txt of a task with {len(anns)} annotations not compared with the original "
                        f"project's YOLO export (which writes one annotation's lines; labelkit exports the latest)")
            continue
        orig_rows = read_yolo(ls_yolo / "labels" / f"{stem}.txt")
        new_rows = read_yolo(back / "labels" / f"{stem}.txt")
        for r in anns[0]["result"]:
            if r["type"] != "rectanglelabels" or r["value"].get("rotation"):
                continue
            boxes += 1
            label, box = r["value"]["rectanglelabels"][0], yolo_box(r["value"])
            if find_line(orig_rows, orig_classes, label, box) is None:
                problems.append(f"{r['id']}: the original project's export has no line {label} {fmt(box)}")
            if find_line(new_rows, back_classes, label, box) is None:
                problems.append(f"{r['id']}: the imported project's export has no line {label} {fmt(box)} in "
                                f"{stem}.txt (its lines: {[(back_classes[c], fmt(n)) for c, n in new_rows][:6]})")
    report.check(f"{name}: unrotated rectangles: the imported project's YOLO export has the original project's "
                 f"boxes (1e-6)", boxes > 0 and not problems,
                 f"{boxes} rectangles" if not problems else "; ".join(problems[:5]))


def voc_files(folder: Path) -> dict[str, Path]:
    """Annotations/*.xml by image stem (Label Studio's <8 hex>__ prefix stripped)."""
    return {re.sub(r"^[0-9a-f]{8}__", "", p.stem): p for p in (folder / "Annotations").glob("*.xml")}


def import_voc(report: Report, work: Path, server: Server, labelkit: LabelKit, p: dict, ls_voc: Path,
               images_dir: Path) -> None:
    """labelkit export --to voc --config -> labelkit import voc --config -> a fresh project -> Label
    Studio's VOC export."""
    tag = p["tag"]
    name = f"import voc [{tag}]"
    base = work / "import" / "voc"
    lk_out = base / "labelkit-voc"
    proc = labelkit.export(p["json"], "voc", lk_out, ["--config", str(p["config"])])
    if proc.returncode != 0:
        report.check(f"{name}: labelkit export --to voc --config", False, exit_detail(proc))
        return
    ds = base / "dataset"
    (ds / "Annotations").mkdir(parents=True)
    for f in (lk_out / "Annotations").glob("*.xml"):
        shutil.copyfile(f, ds / "Annotations" / f.name)
    out = base / "tasks.json"
    proc = labelkit.run(["import", "voc", str(ds), "-o", str(out), "--config", str(p["config"]),
                         "--image-root", IMAGE_ROOT], check=False)
    report.check(f"{name}: labelkit import voc --config of labelkit's own VOC export (Annotations/*.xml)",
                 proc.returncode == 0, exit_detail(proc) if proc.returncode else "")
    if proc.returncode != 0:
        return

    tasks = json.loads(out.read_text())
    src = {stem: voc_objects(path) for stem, path in sorted(voc_files(ds).items())}
    by_image = {t.get("data", {}).get("image"): t for t in tasks}
    problems, objects = [], 0
    if len(tasks) != len(src):
        problems.append(f"{len(tasks)} tasks for {len(src)} files")
    for stem, (size, objs, _, filename) in src.items():
        task = by_image.get(IMAGE_ROOT + str(filename))
        if task is None:
            problems.append(f"{stem}.xml: no task with data.image {IMAGE_ROOT}{filename}")
            continue
        res = results_of(task)
        if len(res) != len(objs):
            problems.append(f"{stem}.xml: {len(res)} results for {len(objs)} objects")
        w, h = size
        for i, (o, r) in enumerate(zip(objs, res), 1):
            objects += 1
            v = r.get("value", {})
            try:
                px = (v["x"] * w / 100, v["y"] * h / 100, (v["x"] + v["width"]) * w / 100,
                      (v["y"] + v["height"]) * h / 100)
            except (KeyError, TypeError):
                px = None
            if (r.get("type"), r.get("from_name"), r.get("to_name"), v.get("rectanglelabels"), v.get("rotation", 0)) \
                    != ("rectanglelabels", "rect", "image", [o[0]], 0) or \
                    (r.get("original_width"), r.get("original_height")) != (w, h) or px is None or \
                    not close(px, o[1:], IMPORT_TOL):
                problems.append(f"{stem}.xml object {i} {o}: {r.get('type')} {r.get('from_name')}->{r.get('to_name')} "
                                f"{v.get('rectanglelabels')} {r.get('original_width')}x{r.get('original_height')} "
                                f"pixel box {fmt(px) if px else None}")
    report.check(f"{name}: one task per file (data.image = --image-root + filename), each object a rectanglelabels "
                 f"result whose pixel box is the bndbox (1e-9), its name, the config's rect/image, the file's size",
                 objects > 0 and not problems,
                 f"{objects} objects in {len(tasks)} tasks" if not problems else "; ".join(problems[:5]))

    round_trip = import_round_trip(report, server, name, out, p["config"], images_dir, base)
    if round_trip is None:
        return
    pid, sent, exported = round_trip
    back_dir = ls_export(report, server, name, pid, "VOC", base / "ls-voc")
    if back_dir is None:
        return
    back = voc_files(back_dir)
    sent_by_image = {t["data"]["image"]: t for t in sent}

    # Label Studio's VOC export of the imported project against the files they came from. Label
    # Studio writes int(x / 100 * W) (xmax = that + int(width / 100 * W)); where the nearest double
    # to a whole pixel's percentage times W / 100 falls an ulp short, it writes the pixel below.
    problems, same, truncated, objects = [], 0, [], 0
    if sorted(back) != sorted(src):
        problems.append(f"files {sorted(back)}, labelkit's {sorted(src)}")
    for stem, (size, objs, _, filename) in src.items():
        if stem not in back:
            continue
        (b_size, b_objs, _, _) = voc_objects(back[stem])
        res = results_of(sent_by_image.get(IMAGE_ROOT + str(filename)))
        if b_size != size:
            problems.append(f"{stem}: size {b_size}, labelkit's {size}")
        if len(b_objs) != len(objs):
            problems.append(f"{stem}: {len(b_objs)} objects, labelkit's file has {len(objs)}")
            continue
        w, h = size
        for i, (o, b, r) in enumerate(zip(objs, b_objs, res), 1):
            objects += 1
            if o[0] != b[0]:
                problems.append(f"{stem} object {i}: name {b[0]}, labelkit's {o[0]}")
            if o[1:] == b[1:]:
                same += 1
                continue
            v = r["value"]
            exact = (v["x"] / 100 * w, v["y"] / 100 * h, v["width"] / 100 * w, v["height"] / 100 * h)
            model = voc_ls_box(v, w, h)
            if tuple(b[1:]) == model and close((exact[0], exact[1], exact[0] + exact[2], exact[1] + exact[3]), o[1:],
                                               IMPORT_TOL):
                truncated.append(f"{stem} object {i} {o[0]}: labelkit {tuple(o[1:])}, Label Studio {tuple(b[1:])} = "
                                 f"int() of {fmt(exact)} (x, y, width, height in pixels of the imported percentages "
                                 f"{fmt([v['x'], v['y'], v['width'], v['height']])})")
            else:
                problems.append(f"{stem} object {i} {o[0]}: Label Studio {tuple(b[1:])}, labelkit's {tuple(o[1:])} "
                                f"(imported {fmt([v['x'], v['y'], v['width'], v['height']])} %, Label Studio's "
                                f"truncation gives {model})")
    for text in truncated:
        Report.note(f"{name}: Label Studio's VOC export truncates a floating-point product an ulp below a whole "
                    f"pixel: {text}")
    report.check(f"{name}: Label Studio's VOC export of the imported project gives back labelkit's VOC files (names "
                 f"in order, boxes; a box off by Label Studio's int() of a product an ulp below a whole pixel is a "
                 f"`note:`)", objects > 0 and not problems,
                 f"{objects} objects: {same} identical, {len(truncated)} truncated by Label Studio (notes)"
                 if not problems else "; ".join(problems[:5]))

    # ... and against the original project's VOC export: unrotated rectangles, single-annotation tasks
    # (identical where the true box is on whole pixels; elsewhere the original's truncated box and
    # labelkit's floor/ceil box differ as documented).
    orig = voc_files(ls_voc)
    problems, whole, differ = [], 0, 0
    for task in p["exported"]:
        anns = annotation_order(task)
        stem = image_stem(task)
        if len(anns) != 1:
            Report.note(f"{name}: {stem}.xml of a task with {len(anns)} annotations not compared with the original "
                        f"project's VOC export (which keeps the oldest annotation's file; labelkit exports the latest)")
            continue
        if stem not in orig or stem not in back:
            problems.append(f"{stem}.xml missing: original {sorted(orig)}, imported project {sorted(back)}")
            continue
        results = anns[0]["result"]
        regions = [r for r in results if r["type"] != "keypointlabels" and region_label(r)]
        rects = [r for r in results if r["type"] == "rectanglelabels" and region_label(r)]
        (size, o_objs, _, _), (_, b_objs, _, _) = voc_objects(orig[stem]), voc_objects(back[stem])
        if len(b_objs) != len(regions) or len(o_objs) != len(rects):
            problems.append(f"{stem}: imported project {len(b_objs)} objects for {len(regions)} regions, original "
                            f"{len(o_objs)} for {len(rects)} rectangles")
            continue
        lk_objs = src.get(stem, (None, [], None, None))[1]
        for i, r in enumerate(rects):
            if r["value"].get("rotation"):
                continue
            o, b = o_objs[i], b_objs[regions.index(r)]
            lk_obj = lk_objs[regions.index(r)] if len(lk_objs) == len(regions) else None
            true_box, _ = region_true_box(r)
            if on_whole_pixels(true_box):
                whole += 1
                if o != b:
                    problems.append(f"{r['id']} (true box {fmt_box(true_box)}): original {o}, imported project {b} "
                                    f"(labelkit's VOC {lk_obj})")
            elif o != b:
                differ += 1
                Report.note(f"{name}: {r['id']} (true box {fmt_box(true_box)} of {size[0]}x{size[1]}): original "
                            f"{o} (Label Studio's truncation), labelkit's VOC {lk_obj} (floor/ceil), imported "
                            f"project {b}" + (" (= labelkit's)" if lk_obj == b else " (labelkit's, truncated by "
                                              "Label Studio as noted above)") + "; a documented difference")
    report.check(f"{name}: unrotated rectangles on whole pixels: the imported project's VOC export has the original "
                 f"project's boxes", whole > 0 and not problems,
                 f"{whole} rectangles; {differ} off whole pixels differ as documented (notes)" if not problems
                 else "; ".join(problems[:5]))


def coco_annotation_summary(doc: dict, number: str) -> str:
    for a in doc.get("annotations", []):
        if str(a.get("id")) == number:
            seg = a.get("segmentation")
            if isinstance(seg, dict):
                seg_text = f"RLE {short(seg, 80)}"
            else:
                seg_text = f"polygon {short(seg, 60)}"
            cats = coco_categories(doc)
            return (f"annotation {number} is region {a.get('region')} (category {cats.get(a.get('category_id'))!r}, "
                    f"keypoints {a.get('keypoints')}, segmentation {seg_text}, area {a.get('area')})")
    return ""


def rle_is_empty(rle: list[int], w: int, h: int) -> bool:
    from label_studio_sdk.converter.brush import decode_rle
    return not np.asarray(decode_rle(rle), np.uint8).reshape(h, w, 4)[..., 3].any()


def import_coco(report: Report, work: Path, server: Server, labelkit: LabelKit, p: dict, images_dir: Path) -> None:
    """labelkit export --to coco --config -> labelkit import coco --config -> a fresh project -> Label
    Studio's JSON export."""
    tag = p["tag"]
    name = f"import coco [{tag}]"
    base = work / "import" / f"coco-{tag}"
    lk_out = base / "labelkit-coco"
    proc = labelkit.export(p["json"], "coco", lk_out, ["--config", str(p["config"])])
    if proc.returncode != 0:
        report.check(f"{name}: labelkit export --to coco --config", False, exit_detail(proc))
        return
    coco = lk_out / "coco.json"
    doc = json.loads(coco.read_text())
    out = base / "tasks.json"
    proc = labelkit.run(["import", "coco", str(coco), "-o", str(out), "--config", str(p["config"]),
                         "--image-root", IMAGE_ROOT], check=False)
    detail = ""
    if proc.returncode != 0:
        found = re.search(r"COCO annotation (\d+)", proc.stderr)
        detail = exit_detail(proc) + ("; " + coco_annotation_summary(doc, found.group(1)) if found else "")
    report.check(f"{name}: labelkit import coco --config of labelkit's own COCO export", proc.returncode == 0, detail)

    # Keypoints: labelkit's COCO writes one annotation per keypoint (keypoints [x, y, 2], category
    # = its label, an empty RLE segmentation); import coco promises a keypointlabels per point with v > 0.
    kp_anns = [a for a in doc.get("annotations", []) if a.get("keypoints")]
    if kp_anns:
        tasks_file = out
        if proc.returncode != 0:
            tasks_file = base / "tasks-no-config.json"
            plain = labelkit.run(["import", "coco", str(coco), "-o", str(tasks_file), "--image-root", IMAGE_ROOT],
                                 check=False)
            if plain.returncode != 0:
                report.check(f"{name}: labelkit import coco (no --config)", False, exit_detail(plain))
                return
            Report.note(f"{name}: keypoints checked on `labelkit import coco` without --config")
        tasks = json.loads(tasks_file.read_text())
        images = {i["id"]: i for i in doc.get("images", [])}
        cats = coco_categories(doc)
        by_image = {t.get("data", {}).get("image"): t for t in tasks}
        problems, points = [], 0
        for a in kp_anns:
            image = images.get(a.get("image_id"), {})
            w, h = image.get("width"), image.get("height")
            res = results_of(by_image.get(IMAGE_ROOT + str(image.get("file_name"))))
            label = cats.get(a.get("category_id"))
            kp = a["keypoints"]
            for k in range(0, len(kp) - 2, 3):
                if kp[k + 2] <= 0:
                    continue
                points += 1
                want = (kp[k] / w * 100, kp[k + 1] / h * 100)
                if not any(r.get("type") == "keypointlabels" and r["value"].get("keypointlabels") == [label]
                           and close((r["value"].get("x"), r["value"].get("y")), want, IMPORT_TOL) for r in res):
                    problems.append(f"annotation {a.get('id')} ({a.get('region')}, {label} at {fmt(kp[k:k + 2])} px)")
        empty = [f"{r['value'].get('brushlabels')}" for t in tasks for r in results_of(t)
                 if r.get("type") == "brushlabels" and rle_is_empty(r["value"].get("rle", []), r["original_width"],
                                                                  r["original_height"])]
        report.check(f"{name}: every keypoint with v > 0 becomes a keypointlabels result at its position (1e-9), "
                     f"no empty RLE becomes a region", points > 0 and not problems and not empty,
                     f"{points} keypoints" if not problems and not empty else
                     f"{len(problems)} of {points} keypoints missing: {'; '.join(problems[:4])}"
                     + (f"; {len(empty)} brushlabels results with an empty mask {empty[:4]} (from the keypoint "
                        f"annotations' empty RLE segmentation)" if empty else ""))
    if proc.returncode != 0:
        return

    round_trip = import_round_trip(report, server, name, out, p["config"], images_dir, base)
    if round_trip is None or round_trip[2] is None:
        return
    pid, sent, exported = round_trip

    # The imported project's JSON export against the original's (the latest annotation, what labelkit
    # exports): unrotated rectangles and polygons keep their pixels.
    back = {t["data"]["image"]: results_of(t) for t in exported}
    problems, rects, polys, kinds = [], 0, 0, {}
    for task in p["exported"]:
        anns = annotation_order(task)
        if not anns:
            continue
        res = back.get(task["data"]["image"], [])
        for r in anns[0]["result"]:
            v, label = r["value"], region_label(r)
            w, h = r["original_width"], r["original_height"]
            if r["type"] == "rectanglelabels" and not v.get("rotation"):
                rects += 1
                corners = [(x * 100 / w, y * 100 / h) for x, y in rect_corners_px(v, w, h)]
                box = [v["x"], v["y"], v["width"], v["height"]]
                hit = None
                for q in res:
                    qv = q["value"]
                    if region_label(q) != label:
                        continue
                    if q["type"] == "rectanglelabels" and not qv.get("rotation") and \
                            close([qv.get("x"), qv.get("y"), qv.get("width"), qv.get("height")], box):
                        hit = "rectanglelabels"
                    elif q["type"] == "polygonlabels" and len(qv.get("points", [])) == 4 and \
                            close([c for pt in qv["points"] for c in pt], [c for pt in corners for c in pt]):
                        hit = "polygonlabels (its 4 corners TL TR BR BL)"
                    if hit:
                        break
                if hit is None:
                    problems.append(f"{r['id']} ({label} {fmt(box)} %): no region with that box in the imported "
                                    f"project")
                else:
                    kinds[hit] = kinds.get(hit, 0) + 1
            elif r["type"] == "polygonlabels":
                polys += 1
                pts = [c for pt in v["points"] for c in pt]
                if not any(q["type"] == "polygonlabels" and region_label(q) == label and
                           close([c for pt in q["value"].get("points", []) for c in pt], pts) for q in res):
                    problems.append(f"{r['id']} ({label} polygon): no polygon with those points in the imported project")
    report.check(f"{name}: the imported project's JSON export has the original's unrotated rectangles (same box) "
                 f"and polygons (same points), 1e-6", rects > 0 and not problems,
                 f"{rects} rectangles as {kinds}, {polys} polygons" if not problems else "; ".join(problems[:5]))
    if any(k != "rectanglelabels" for k in kinds):
        Report.note(f"{name}: rectangles come back as {kinds}: labelkit's COCO gives each rectangle a 4-corner "
                    f"polygon segmentation, and import coco makes an annotation with a segmentation its polygon "
                    f"(only boxes-only annotations become rectanglelabels)")


BRUSH_NAME = re.compile(rf"^task-(\d+)-annotation-(\d+)-by-([^-]*)-{re.escape(BRUSH_FROM_NAME)}-(.+)\.png$")


def brush_pngs_by_place(folder: Path) -> dict[tuple, Path]:
    """Brush PNGs keyed by (task rank, annotation rank within the task, who, label and counter):
    task and annotation ids differ between projects, their order does not."""
    found = []
    for p in folder.glob("*.png"):
        m = BRUSH_NAME.match(p.name)
        if m:
            found.append((int(m.group(1)), int(m.group(2)), m.group(3), m.group(4), p))
    tasks = sorted({t for t, *_ in found})
    anns = {t: sorted({a for tt, a, *_ in found if tt == t}) for t in tasks}
    return {(tasks.index(t), anns[t].index(a), who, rest): p for t, a, who, rest, p in found}


def import_masks(report: Report, work: Path, server: Server, labelkit: LabelKit, p: dict, ls_png: Path,
                 lk_png: Path, images_dir: Path) -> None:
    """labelkit export --to png (its brush PNGs) -> labelkit import-masks --config -> a fresh project ->
    Label Studio's BRUSH_TO_PNG."""
    from label_studio_sdk.converter.brush import image2rle
    tag = p["tag"]
    name = f"import-masks [{tag}]"
    base = work / "import" / "masks"
    folder = base / "brush-png"
    folder.mkdir(parents=True)
    for f in lk_png.glob("*.png"):
        if BRUSH_NAME.match(f.name):
            shutil.copyfile(f, folder / f.name)
    out = base / "tasks.json"
    proc = labelkit.run(["import-masks", str(folder), "-o", str(out), "--config", str(p["config"])], check=False)
    report.check(f"{name}: labelkit import-masks --config of labelkit's brush PNGs (--to png)", proc.returncode == 0,
                 exit_detail(proc) if proc.returncode else f"{len(list(folder.glob('*.png')))} PNGs")
    if proc.returncode != 0:
        return

    # Each mask's RLE is label-studio-sdk image2rle's of the same PNG (luma > 128 -> 255).
    tasks = json.loads(out.read_text())
    got = {}
    for t in tasks:
        for a in t.get("annotations", []):
            got[(str(t.get("id")), str(a.get("id")))] = sorted(
                (tuple(r["value"].get("brushlabels") or []), r.get("from_name"), tuple(r["value"].get("rle", [])))
                for r in a.get("result", []))
    want = {}
    for f in sorted(folder.glob("*.png")):
        m = BRUSH_NAME.match(f.name)
        rle, _, _ = image2rle(str(f))
        label = m.group(4).rsplit("-", 1)[0]
        want.setdefault((m.group(1), m.group(2)), []).append(((label,), BRUSH_FROM_NAME, tuple(int(x) for x in rle)))
    want = {k: sorted(v) for k, v in want.items()}
    problems = [f"task {k[0]} annotation {k[1]}: " + (
        "missing" if k not in got else f"{len(got[k])} results ({[x[:2] for x in got[k]]}), "
        f"the PNGs give {len(want.get(k, []))} ({[x[:2] for x in want.get(k, [])]})"
        if len(got.get(k, [])) != len(want.get(k, [])) else "labels or RLE bytes differ")
        for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)]
    report.check(f"{name}: tasks and annotations from the file names, each mask a brushlabels result whose RLE is "
                 f"label-studio-sdk image2rle's of the PNG", not problems,
                 f"{sum(len(v) for v in want.values())} masks in {len(got)} annotations" if not problems
                 else "; ".join(problems[:5]))
    Report.note(f"{name}: data.image of the tasks: {sorted({t.get('data', {}).get('image') for t in tasks})} "
                f"(export-named masks do not carry the image)")

    round_trip = import_round_trip(report, server, name, out, p["config"], images_dir, base)
    if round_trip is None:
        return
    pid, sent, exported = round_trip
    back_dir = ls_export(report, server, name, pid, "BRUSH_TO_PNG", base / "ls-png")
    if back_dir is None:
        return
    orig, back = brush_pngs_by_place(ls_png), brush_pngs_by_place(back_dir)
    report.check(f"{name}: BRUSH_TO_PNG of the imported project has the original's files (task and annotation by "
                 f"order, annotator, from_name, label, counter)", sorted(orig) == sorted(back) and bool(orig),
                 f"{len(orig)} files" if sorted(orig) == sorted(back) else
                 f"only the original: {sorted(orig[k].name for k in set(orig) - set(back))}; only the imported "
                 f"project: {sorted(back[k].name for k in set(back) - set(orig))}")
    hard, soft, hard_problems, soft_problems, rim = 0, 0, [], [], 0
    for key in sorted(set(orig) & set(back)):
        with Image.open(orig[key]) as ia, Image.open(back[key]) as ib:
            a, b = np.asarray(ia), np.asarray(ib)
        if a.shape != b.shape:
            (hard_problems if set(np.unique(a)) <= {0, 255} else soft_problems).append(
                f"{back[key].name}: shape {b.shape}, original {a.shape}")
            continue
        if set(np.unique(a)) <= {0, 255}:
            hard += 1
            if not np.array_equal(a, b):
                hard_problems.append(f"{back[key].name}: {int(np.count_nonzero(a != b))} pixels differ from "
                                     f"{orig[key].name}")
        else:
            soft += 1
            expect = ((a > 128) * 255).astype(a.dtype)
            rim += int(np.count_nonzero(a != expect))
            if not np.array_equal(expect, b):
                soft_problems.append(f"{back[key].name}: {int(np.count_nonzero(expect != b))} pixels differ from "
                                     f"{orig[key].name} thresholded at > 128")
    report.check(f"{name}: hard-edged masks (alpha 0/255): the imported project's BRUSH_TO_PNG pixels identical to "
                 f"the original's", hard > 0 and not hard_problems,
                 f"{hard} files" if not hard_problems else "; ".join(hard_problems[:4]))
    if soft or soft_problems:
        report.check(f"{name}: anti-aliased masks: the imported project's BRUSH_TO_PNG is the original thresholded "
                     f"at > 128 (import-masks, like label-studio-sdk image2rle, makes 0/255 masks)",
                     not soft_problems, f"{soft} files" if not soft_problems else "; ".join(soft_problems[:4]))
        Report.note(f"{name}: {rim} rim pixels of the {soft} anti-aliased masks lose their partial alpha "
                    f"(1..254 -> 0 or 255): a mask PNG import is binary by design (--threshold)")


def check_importers(report: Report, work: Path, server: Server, labelkit: LabelKit, projects: dict,
                    exports: dict, lk: Path, images_dir: Path) -> None:
    if labelkit.run(["import", "--help"], check=False).returncode != 0:
        report.pend("import (labelkit has no import command)")
        return
    for tag, p in projects.items():
        p["tag"] = tag
    no_kp, every = projects.get("no-kp", {}), projects.get("all", {})
    # YOLO from the project without keypoints (with KeyPointLabels Label Studio's YOLO is its pose layout).
    if "json" in no_kp and "YOLO" in exports.get("no-kp", {}):
        import_yolo(report, work, server, labelkit, no_kp, exports["no-kp"]["YOLO"], images_dir)
    if "json" in every and "VOC" in exports.get("all", {}):
        if "voc" in labelkit.formats:
            import_voc(report, work, server, labelkit, every, exports["all"]["VOC"], images_dir)
        else:
            report.pend("import voc (labelkit has no --to voc yet)")
    for p in (every, no_kp):
        if "json" in p:
            import_coco(report, work, server, labelkit, p, images_dir)
    if "json" in every and "BRUSH_TO_PNG" in exports.get("all", {}) and (lk / "all" / "png").is_dir():
        import_masks(report, work, server, labelkit, every, exports["all"]["BRUSH_TO_PNG"], lk / "all" / "png",
                     images_dir)


# ----------------------------------------------------------------------------------------------


def run(args, report: Report, work: Path) -> None:
    labelkit_path = Path(args.labelkit).resolve()
    wait_for_binary(labelkit_path)
    labelkit = LabelKit(labelkit_path)
    if not labelkit.formats:
        raise SetupError(f"could not read the --to values from `{labelkit_path} export --help`")
    venv = Path(args.venv).resolve()

    files_root = work / "files"
    images_dir = files_root / "images"
    write_images(images_dir)
    masks = make_masks()
    from label_studio_sdk.converter.brush import mask2rle
    rles = {k: [int(x) for x in mask2rle(m)] for k, m in masks.items()}

    # labelkit's encoder against the SDK's mask2rle, on the masks of the tasks.
    mask_dir = work / "masks"
    mask_dir.mkdir()
    rle_diffs = []
    for key, m in masks.items():
        Image.fromarray(m, "L").save(mask_dir / f"{key}.png")
        proc = labelkit.run(["rle", "encode", "--format", "ls", str(mask_dir / f"{key}.png")], check=False)
        got = json.loads(proc.stdout) if proc.returncode == 0 else None
        if not got or got.get("rle") != rles[key] or (got.get("width"), got.get("height")) != (m.shape[1], m.shape[0]):
            rle_diffs.append(f"{key}: exit {proc.returncode} {proc.stderr.strip()[:200]}")
    report.check("rle: labelkit rle encode --format ls equals label-studio-sdk mask2rle", not rle_diffs,
                 f"{len(masks)} masks, anti-aliased alphas included" if not rle_diffs else "; ".join(rle_diffs))

    server = Server(venv, work, files_root, args.timeout, args.verbose)
    try:
        server.start()
        whoami = server.request("GET", "/api/current-user/whoami")
        if whoami[0] != 200:
            raise SetupError(f"the API refused the legacy token: {whoami[0]} "
                             f"{short(whoami[1].decode(errors='replace'))}")
        run_with_server(args, report, work, server, labelkit, masks, rles, images_dir)
    except SetupError:
        if args.verbose:
            print(server.log_tail(), file=sys.stderr)
        raise
    finally:
        server.stop()


def run_with_server(args, report, work, server, labelkit, masks, rles, images_dir) -> None:
    projects = {}
    for tag, config, keypoints in (("all", CONFIG_ALL, True), ("no-kp", CONFIG_NO_KP, False)):
        project = server.json("POST", "/api/projects", {"title": f"roundtrip {tag}", "label_config": config})
        pid = project["id"]
        server.json("POST", "/api/storages/localfiles", {
            "project": pid, "path": str(images_dir), "title": "images", "use_blob_urls": True})
        tasks = make_tasks(rles, masks, keypoints)
        imported = server.json("POST", f"/api/projects/{pid}/import", tasks)
        n_ann = sum(len(t["annotations"]) for t in tasks)
        if imported.get("task_count") != len(tasks) or imported.get("annotation_count") != n_ann:
            raise SetupError(f"import into project {pid}: {short(imported)}")
        (work / f"config-{tag}.xml").write_text(config)
        projects[tag] = {"id": pid, "tasks": tasks, "config": work / f"config-{tag}.xml", "keypoints": keypoints}

    # The images are served from the Local Storage.
    served = []
    for name, _, _, _ in IMAGES:
        status, payload, _ = server.request("GET", f"/data/local-files/?d=images/{name}")
        served.append(status == 200 and payload == (images_dir / name).read_bytes())
    report.check("local files: /data/local-files/?d=images/... serves every image", all(served),
                 f"{len(served)} images, bytes equal" if all(served) else f"{served}")

    wanted = ["JSON", "COCO", "YOLO", "YOLO_OBB", "VOC", "BRUSH_TO_PNG", "BRUSH_TO_NUMPY"]
    for tag, p in projects.items():
        formats = server.json("GET", f"/api/projects/{p['id']}/export/formats")
        offered = [f["name"] for f in formats if not f.get("disabled")]
        missing = [f for f in wanted if f not in offered]
        report.check(f"export formats [{tag}]: {', '.join(wanted)} offered", not missing,
                     ", ".join(offered) if not missing else f"missing {missing}; offered {offered}")

    exports: dict[str, dict[str, Path]] = {}
    for tag, p in projects.items():
        exports[tag] = {}
        for fmt_ in wanted:
            status, payload, headers = server.request(
                "GET", f"/api/projects/{p['id']}/export?exportType={fmt_}&download_all_tasks=true")
            target = work / "ls" / tag / fmt_
            if status != 200:
                report.check(f"Label Studio export {fmt_} [{tag}]", False,
                             f"{status}: {short(payload.decode(errors='replace'), 400)}")
                continue
            names = unpack_export(payload, headers, target)
            exports[tag][fmt_] = target
            if args.verbose:
                print(f"  {tag} {fmt_}: {names}")

    for tag, p in projects.items():
        if "JSON" not in exports[tag]:
            continue
        source = next(exports[tag]["JSON"].glob("*.json"))
        exported = json.loads(source.read_text())
        check_roundtrip(report, tag, p["tasks"], exported)
        p["exported"] = exported
        p["json"] = source

    lk = work / "labelkit"
    tasks_all = projects["all"].get("exported", [])
    config_types = {"brush": "BrushLabels", "bitmask": "BitmaskLabels", "poly": "PolygonLabels",
                    "rect": "RectangleLabels", "ell": "EllipseLabels", "kp": "KeyPointLabels"}

    # Brush PNGs (project with every control).
    if "json" in projects["all"] and "BRUSH_TO_PNG" in exports["all"]:
        proc = labelkit.export(projects["all"]["json"], "png", lk / "all" / "png", ["--annotations", "all"])
        check_brush_png(report, exports["all"]["BRUSH_TO_PNG"], lk / "all" / "png", proc)

    for tag, p in projects.items():
        if "json" not in p:
            continue
        cfg = ["--config", str(p["config"])]
        types = {k: v for k, v in config_types.items() if p["keypoints"] or k != "kp"}
        if "YOLO" in exports[tag] and p["keypoints"]:
            # With KeyPointLabels in the config Label Studio's YOLO export is its pose layout.
            proc = labelkit.export(p["json"], "yolo-pose", lk / tag / "yolo-pose", cfg)
            check_yolo_pose(report, tag, p["exported"], p["config"].read_text(), exports[tag]["YOLO"],
                            lk / tag / "yolo-pose", proc)
        elif "YOLO" in exports[tag]:
            proc = labelkit.export(p["json"], "yolo", lk / tag / "yolo", cfg)
            check_yolo(report, tag, p["exported"], exports[tag]["YOLO"], lk / tag / "yolo", proc)
        if "YOLO_OBB" in exports[tag]:
            if p["keypoints"]:
                same = all((exports[tag]["YOLO_OBB"] / "labels" / f.name).read_bytes() == f.read_bytes()
                           for f in (exports[tag]["YOLO"] / "labels").glob("*.txt"))
                Report.note(f"yolo-obb [{tag}]: with KeyPointLabels in the config Label Studio's YOLO_OBB export "
                            + ("is its keypoint YOLO export (identical label files)" if same else "differs from YOLO"))
            elif "yolo-obb" in labelkit.formats:
                proc = labelkit.export(p["json"], "yolo-obb", lk / tag / "yolo-obb", cfg)
                check_yolo_obb(report, tag, p["exported"], exports[tag]["YOLO_OBB"], lk / tag / "yolo-obb", proc)
        if "COCO" in exports[tag]:
            ls_doc = json.loads((exports[tag]["COCO"] / "result.json").read_text())
            proc = labelkit.export(p["json"], "coco", lk / tag / "coco", ["--annotations", "all", *cfg])
            lk_doc = json.loads((lk / tag / "coco" / "coco.json").read_text()) if proc.returncode == 0 else None
            cc_proc = labelkit.export(p["json"], "coco", lk / tag / "coco-cc", ["--converter-compatible", *cfg])
            cc_doc = json.loads((lk / tag / "coco-cc" / "coco.json").read_text()) if cc_proc.returncode == 0 else None
            check_coco(report, tag, p["exported"], types, p["config"].read_text(), ls_doc, lk_doc, proc, cc_doc,
                       cc_proc, p["keypoints"])

    # Formats labelkit does not have yet.
    if "voc" in labelkit.formats:
        if "VOC" in exports["all"]:
            proc = labelkit.export(projects["all"]["json"], "voc", lk / "all" / "voc",
                                   ["--config", str(projects["all"]["config"])])
            check_voc(report, tasks_all, exports["all"]["VOC"], lk / "all" / "voc", proc)
    else:
        report.pend("voc (labelkit has no --to voc yet)")
    if "numpy" in labelkit.formats:
        if "BRUSH_TO_NUMPY" in exports["all"]:
            proc = labelkit.export(projects["all"]["json"], "numpy", lk / "all" / "numpy", ["--annotations", "all"])
            check_numpy(report, exports["all"]["BRUSH_TO_NUMPY"], lk / "all" / "numpy", proc)
    else:
        report.pend("numpy (labelkit has no --to numpy yet)")

    # LabelKit's importers: its own exports back into fresh projects.
    check_importers(report, work, server, labelkit, projects, exports, lk, images_dir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labelkit", nargs="?", default=str(ROOT / ".build" / "debug" / "labelkit"),
                        help="the labelkit binary (default: .build/debug/labelkit)")
    parser.add_argument("--venv", default=str(DEFAULT_VENV), help="the Label Studio venv (default: .venv-labelstudio)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the server (default: 180)")
    parser.add_argument("--keep", metavar="DIR", help="keep the data dir, exports and labelkit output in DIR")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list export contents, show the server log on errors")
    args = parser.parse_args()

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the server

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    report = Report()
    started = time.monotonic()
    if args.keep:
        work = Path(args.keep).resolve()
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="ls-roundtrip-")
        work = Path(cleanup.name)
    try:
        run(args, report, work)
    except SetupError as error:
        print(f"setup error: {error}", flush=True)
        print(report.summary())
        return 2
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    print(f"run time {time.monotonic() - started:.1f} s")
    print(report.summary())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
