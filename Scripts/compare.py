#!/usr/bin/env python3
"""Measure reference tools ("anchors") against LabelKit on the same generated data.

This is the Python side of `make compare`. It

1. generates masks and RLE files from a fixed seed (PNG masks, Label Studio RLE
   JSON, COCO RLE JSON, a 1,000-RLE merge set and a 100x100 IoU set);
2. times each anchor in-process (label_studio_converter.brush, pycocotools.mask)
   with time.perf_counter: one warm-up call, then up to --runs timed calls;
3. times LabelKit through its CLI (`labelkit bench rle ...`), which prints one
   JSON object {"op", "input", "runs", "median_s", "min_s"} per call;
4. cross-checks LabelKit's encoders (`labelkit rle encode ...`) against the
   anchors' output, byte for byte;
5. prints a Markdown ratio table (and writes the raw numbers with --json).

Anchor timings cover the operation only: PNG decoding and JSON parsing happen
before the clock starts, so `labelkit bench` must time the same span.

Exit status: 0 when every LabelKit command ran and every cross-check that ran
matched; 1 otherwise (the table is printed either way).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image

import label_studio_converter.brush as ls_brush
import pycocotools.mask as coco_mask

# --------------------------------------------------------------------------
# Workloads and targets
# --------------------------------------------------------------------------

#: Mask workloads: name -> (kind, width, height).
MASKS: dict[str, tuple[str, int, int]] = {
    "blob_512x512": ("blob", 512, 512),
    "blob_1920x1080": ("blob", 1920, 1080),
    "noisy_512x512": ("noisy", 512, 512),
    "noisy_1920x1080": ("noisy", 1920, 1080),
}

MERGE_COUNT = 1000
IOU_COUNT = 100
SET_WIDTH, SET_HEIGHT = 640, 480  # size of the merge and IoU RLE sets

LS_TARGET = {"blob": 20.0, "noisy": 200.0}
COCO_TARGET = 1.5


# --------------------------------------------------------------------------
# Data generation
# --------------------------------------------------------------------------

def blob_mask(rng: np.random.Generator, width: int, height: int,
              fill: float = 0.35) -> np.ndarray:
    """Return a 0/255 uint8 mask of a few large smooth blobs, `fill` of it set.

    A coarse grid of uniform noise (about one cell per 320 px) is upsampled
    bicubically into a smooth field, which is thresholded at its (1 - fill)
    quantile, so the filled fraction is `fill` up to ties.
    """
    cells_x = max(2, width // 320) + 2
    cells_y = max(2, height // 320) + 2
    coarse = rng.random((cells_y, cells_x), dtype=np.float32)
    field_img = Image.fromarray(coarse).resize((width, height), Image.Resampling.BICUBIC)
    smooth = np.asarray(field_img, dtype=np.float32)
    cut = np.quantile(smooth, 1.0 - fill)
    return np.where(smooth > cut, 255, 0).astype(np.uint8)


def noisy_mask(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Return a 0/255 uint8 speckle mask: each pixel set with probability 1/2.

    Runs are short (mean length 2), the worst case for any run-length codec.
    """
    return np.where(rng.random((height, width)) < 0.5, 255, 0).astype(np.uint8)


def ellipse_mask(rng: np.random.Generator, width: int, height: int,
                 center: tuple[float, float] | None = None,
                 axes: tuple[float, float] | None = None,
                 angle: float | None = None,
                 axis_range: tuple[float, float] = (8, 90)) -> tuple[np.ndarray, tuple]:
    """Return (0/1 uint8 mask of one filled rotated ellipse, its parameters).

    Unspecified parameters are drawn from `rng` (semi-axes uniform in
    `axis_range` pixels). Only the ellipse's bounding
    box is evaluated, so thousands of masks are cheap to make.
    """
    if center is None:
        center = (rng.uniform(0, width), rng.uniform(0, height))
    if axes is None:
        axes = (rng.uniform(*axis_range), rng.uniform(*axis_range))
    if angle is None:
        angle = rng.uniform(0, np.pi)
    cx, cy = center
    a, b = axes
    reach = max(a, b)
    x0, x1 = max(0, int(cx - reach)), min(width, int(cx + reach) + 1)
    y0, y1 = max(0, int(cy - reach)), min(height, int(cy + reach) + 1)
    mask = np.zeros((height, width), dtype=np.uint8)
    if x0 < x1 and y0 < y1:
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
        dx, dy = xs + 0.5 - cx, ys + 0.5 - cy
        c, s = np.cos(angle), np.sin(angle)
        u, v = (dx * c + dy * s) / a, (-dx * s + dy * c) / b
        mask[y0:y1, x0:x1] = (u * u + v * v <= 1.0).astype(np.uint8)
    return mask, (center, axes, angle)


def coco_rle(mask: np.ndarray) -> dict[str, Any]:
    """Encode a 2-D mask (any nonzero = set) as a JSON-ready COCO RLE dict."""
    rle = coco_mask.encode(np.asfortranarray(mask != 0, dtype=np.uint8))
    return {"size": [int(rle["size"][0]), int(rle["size"][1])],
            "counts": rle["counts"].decode("ascii")}


def ls_rle(mask: np.ndarray) -> dict[str, Any]:
    """Encode a 2-D uint8 mask as a JSON-ready Label Studio brush RLE dict."""
    height, width = mask.shape
    return {"rle": [int(x) for x in ls_brush.mask2rle(mask)],
            "width": int(width), "height": int(height)}


def write_json(path: Path, obj: Any) -> None:
    """Write `obj` as compact JSON to `path`."""
    path.write_text(json.dumps(obj, separators=(",", ":")))


def generate(workdir: Path, seed: int) -> dict[str, Any]:
    """Generate every input file into `workdir`; return a manifest of paths.

    Per mask workload NAME: NAME.png (8-bit gray, 0/255), NAME.ls.json
    ({"rle", "width", "height"}) and NAME.coco.json ({"size", "counts"}).
    Sets: merge_1000.coco.json (JSON array of COCO RLEs, one small random
    ellipse each, semi-axes 3-14 px, so the union covers about half the
    frame instead of all of it), iou_dt_100.coco.json and iou_gt_100.coco.json (dt are jittered
    copies of gt, so the IoU matrix has real overlaps).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    manifest: dict[str, Any] = {"masks": {}}
    for name, (kind, width, height) in MASKS.items():
        mask = blob_mask(rng, width, height) if kind == "blob" else noisy_mask(rng, width, height)
        png = workdir / f"{name}.png"
        Image.fromarray(mask).save(png)
        ls_path, coco_path = workdir / f"{name}.ls.json", workdir / f"{name}.coco.json"
        write_json(ls_path, ls_rle(mask))
        write_json(coco_path, coco_rle(mask))
        manifest["masks"][name] = {"kind": kind, "png": png, "ls": ls_path, "coco": coco_path,
                                   "fill": float((mask != 0).mean())}

    merge = [coco_rle(ellipse_mask(rng, SET_WIDTH, SET_HEIGHT, axis_range=(3, 14))[0])
             for _ in range(MERGE_COUNT)]
    manifest["merge"] = workdir / f"merge_{MERGE_COUNT}.coco.json"
    write_json(manifest["merge"], merge)

    gt, dt = [], []
    for _ in range(IOU_COUNT):
        mask, (center, axes, angle) = ellipse_mask(rng, SET_WIDTH, SET_HEIGHT)
        gt.append(coco_rle(mask))
        jitter_c = (center[0] + rng.normal(0, 4), center[1] + rng.normal(0, 4))
        jitter_a = (axes[0] * rng.uniform(0.85, 1.15), axes[1] * rng.uniform(0.85, 1.15))
        dt.append(coco_rle(ellipse_mask(rng, SET_WIDTH, SET_HEIGHT, jitter_c, jitter_a,
                                        angle + rng.normal(0, 0.1))[0]))
    manifest["iou_dt"] = workdir / f"iou_dt_{IOU_COUNT}.coco.json"
    manifest["iou_gt"] = workdir / f"iou_gt_{IOU_COUNT}.coco.json"
    write_json(manifest["iou_dt"], dt)
    write_json(manifest["iou_gt"], gt)
    return manifest


# --------------------------------------------------------------------------
# Timing the anchors
# --------------------------------------------------------------------------

@dataclass
class Timing:
    """Timing of one operation: median and min seconds over `runs` calls."""
    median_s: float
    min_s: float
    runs: int
    capped: bool = False  # True when --max-seconds stopped it before --runs


def time_call(fn: Callable[[], Any], runs: int, max_seconds: float) -> Timing:
    """Time `fn` with perf_counter: one warm-up call, then up to `runs` calls.

    Stops early once the timed calls have used `max_seconds`, but never
    before 3 timed calls (or `runs`, if smaller).
    """
    fn()  # warm-up
    samples: list[float] = []
    spent = 0.0
    floor = min(3, runs)
    while len(samples) < runs:
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        samples.append(elapsed)
        spent += elapsed
        if spent >= max_seconds and len(samples) >= floor:
            break
    return Timing(statistics.median(samples), min(samples), len(samples), len(samples) < runs)


def load_png(path: Path) -> np.ndarray:
    """Decode a gray PNG into a row-major (H, W) uint8 array, as a decoder gives it."""
    with Image.open(path) as img:
        return np.array(img.convert("L"), dtype=np.uint8)


def ls_encode(mask: np.ndarray) -> list[int]:
    """Anchor: Label Studio brush RLE of a row-major uint8 mask."""
    return ls_brush.mask2rle(mask)


def ls_decode(rle: list[int], height: int, width: int) -> np.ndarray:
    """Anchor: Label Studio brush RLE -> row-major (H, W) mask (the alpha plane)."""
    return np.ascontiguousarray(np.reshape(ls_brush.decode_rle(rle), (height, width, 4))[:, :, 3])


def coco_encode(mask: np.ndarray) -> dict:
    """Anchor: binarise a row-major mask, make it Fortran-ordered, COCO-encode it."""
    return coco_mask.encode(np.asfortranarray(mask != 0, dtype=np.uint8))


def coco_decode(rle: dict) -> np.ndarray:
    """Anchor: COCO RLE -> row-major mask (the copy a PNG writer needs)."""
    return np.ascontiguousarray(coco_mask.decode(rle))


def coco_decode_nocopy(rle: dict) -> np.ndarray:
    """Anchor: COCO RLE -> Fortran-ordered mask view, with no row-major copy."""
    return coco_mask.decode(rle)


def time_anchors(manifest: dict, runs: int, max_seconds: float,
                 log: Callable[[str], None]) -> list[dict]:
    """Time every anchor; return one row dict per (workload, anchor).

    Each row: workload, anchor, lk_op (the LabelKit op it is compared to),
    target, anchor Timing, and the cross-check reference output if any.
    """
    rows: list[dict] = []

    def add(workload: str, anchor: str, lk_key: tuple, target: float, fn: Callable) -> None:
        log(f"  anchor {anchor:<28} {workload} ...")
        timing = time_call(fn, runs, max_seconds)
        rows.append({"workload": workload, "anchor": anchor, "lk_key": lk_key,
                     "target": target, "anchor_timing": timing})

    for name, info in manifest["masks"].items():
        mask = load_png(info["png"])
        ls_doc = json.loads(Path(info["ls"]).read_text())
        coco_doc = json.loads(Path(info["coco"]).read_text())
        h, w = mask.shape
        ls_target = LS_TARGET[info["kind"]]
        add(name, "LS mask2rle", ("encode", "ls", name), ls_target, lambda: ls_encode(mask))
        add(name, "LS decode_rle", ("decode", "ls", name), ls_target,
            lambda: ls_decode(ls_doc["rle"], h, w))
        add(name, "COCO encode", ("encode", "coco", name), COCO_TARGET, lambda: coco_encode(mask))
        add(name, "COCO decode (+row-major copy)", ("decode", "coco", name), COCO_TARGET,
            lambda: coco_decode(coco_doc))
        add(name, "COCO decode (no copy)", ("decode", "coco", name), COCO_TARGET,
            lambda: coco_decode_nocopy(coco_doc))

    merge_rles = json.loads(Path(manifest["merge"]).read_text())
    add(f"merge_{MERGE_COUNT}_{SET_WIDTH}x{SET_HEIGHT}", "COCO merge", ("merge", "coco", "merge"),
        COCO_TARGET, lambda: coco_mask.merge(merge_rles, intersect=False))

    dt = json.loads(Path(manifest["iou_dt"]).read_text())
    gt = json.loads(Path(manifest["iou_gt"]).read_text())
    crowd = [0] * len(gt)
    add(f"iou_{IOU_COUNT}x{IOU_COUNT}_{SET_WIDTH}x{SET_HEIGHT}", "COCO iou", ("iou", "coco", "iou"),
        COCO_TARGET, lambda: coco_mask.iou(dt, gt, crowd))
    return rows


# --------------------------------------------------------------------------
# Running LabelKit
# --------------------------------------------------------------------------

def labelkit_available(binary: str) -> bool:
    """True when `binary` is an executable file."""
    return os.path.isfile(binary) and os.access(binary, os.X_OK)


def run_json(cmd: list[str], timeout: float) -> tuple[Any | None, str]:
    """Run `cmd`; return (parsed JSON of stdout, error text or '')."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    out = proc.stdout.strip()
    try:
        return json.loads(out), ""
    except json.JSONDecodeError:
        lines = [ln for ln in out.splitlines() if ln.strip()]
        try:
            return json.loads(lines[-1]), ""
        except (IndexError, json.JSONDecodeError):
            return None, f"stdout is not JSON: {out[:200]!r}"


def bench_command(binary: str, key: tuple, manifest: dict, runs: int) -> list[str]:
    """Build the `labelkit bench rle ...` command line for one LabelKit op."""
    op, fmt, name = key
    if op == "encode":
        return [binary, "bench", "rle", "encode", "--format", fmt,
                str(manifest["masks"][name]["png"]), "--runs", str(runs)]
    if op == "decode":
        return [binary, "bench", "rle", "decode", "--format", fmt,
                str(manifest["masks"][name][fmt]), "--runs", str(runs)]
    if op == "merge":
        return [binary, "bench", "rle", "merge", "--format", "coco",
                str(manifest["merge"]), "--runs", str(runs)]
    if op == "iou":
        return [binary, "bench", "rle", "iou", "--format", "coco", str(manifest["iou_dt"]),
                "--gt", str(manifest["iou_gt"]), "--runs", str(runs)]
    raise ValueError(f"unknown op {op}")


def time_labelkit(binary: str, keys: list[tuple], manifest: dict, runs: int,
                  timeout: float, log: Callable[[str], None]) -> dict[tuple, Timing | str]:
    """Run `labelkit bench` once per distinct op; return key -> Timing or error text."""
    results: dict[tuple, Timing | str] = {}
    if not labelkit_available(binary):
        log(f"  LabelKit binary not found or not executable: {binary}")
        return {key: "binary missing" for key in keys}
    for key in dict.fromkeys(keys):
        cmd = bench_command(binary, key, manifest, runs)
        log("  $ " + " ".join(cmd))
        doc, err = run_json(cmd, timeout)
        if doc is None:
            results[key] = err
        elif not all(k in doc for k in ("median_s", "min_s")):
            results[key] = f"missing median_s/min_s in {doc!r}"
        else:
            results[key] = Timing(float(doc["median_s"]), float(doc["min_s"]),
                                  int(doc.get("runs", runs)))
        if isinstance(results[key], str):
            log(f"    failed: {results[key]}")
    return results


def cross_check(binary: str, manifest: dict, timeout: float,
                log: Callable[[str], None]) -> list[dict]:
    """Compare LabelKit's printed RLEs with the anchors' output, byte for byte.

    Encoders: `labelkit rle encode --format ls|coco MASK.png` (compares the
    `rle` list / `counts` string with NAME.ls.json / NAME.coco.json).
    Merge: `labelkit rle merge --format coco RLES.json`, if that command exists;
    when it fails the merge check is reported as skipped, not as a failure.
    Returns rows {workload, format, result} with result "yes", "no",
    "skipped: ..." or "error: ...".
    """
    checks: list[dict] = []
    have = labelkit_available(binary)
    for name, info in manifest["masks"].items():
        for fmt, field_name in (("ls", "rle"), ("coco", "counts")):
            if not have:
                checks.append({"workload": name, "format": fmt, "result": "n/a"})
                continue
            cmd = [binary, "rle", "encode", "--format", fmt, str(info["png"])]
            log("  $ " + " ".join(cmd))
            doc, err = run_json(cmd, timeout)
            ref = json.loads(Path(info[fmt]).read_text())
            if doc is None:
                result = f"error: {err}"
            elif not isinstance(doc, dict) or field_name not in doc:
                result = f"error: no '{field_name}' in output"
            else:
                result = "yes" if doc[field_name] == ref[field_name] else "no"
            checks.append({"workload": name, "format": fmt, "result": result})

    merge_name = f"merge_{MERGE_COUNT}_{SET_WIDTH}x{SET_HEIGHT}"
    if not have:
        checks.append({"workload": merge_name, "format": "coco", "result": "n/a"})
        return checks
    cmd = [binary, "rle", "merge", "--format", "coco", str(manifest["merge"])]
    log("  $ " + " ".join(cmd))
    doc, err = run_json(cmd, timeout)
    if doc is None or not isinstance(doc, dict) or "counts" not in doc:
        checks.append({"workload": merge_name, "format": "coco",
                       "result": "skipped: no merge-printing command"})
    else:
        ref = coco_mask.merge(json.loads(Path(manifest["merge"]).read_text()), intersect=False)
        same = doc["counts"] == ref["counts"].decode("ascii")
        checks.append({"workload": merge_name, "format": "coco", "result": "yes" if same else "no"})
    return checks


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

def machine_info() -> dict[str, Any]:
    """CPU model (from /proc/cpuinfo), logical core count, OS and Python version."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "os": platform.platform(),
            "python": platform.python_version()}


def library_versions(binary: str) -> dict[str, str]:
    """Installed versions of the anchor libraries, and `labelkit --version` if it answers."""
    versions = {}
    for dist in ("label-studio-converter", "pycocotools", "numpy", "Pillow"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    versions["labelkit"] = "n/a"
    if labelkit_available(binary):
        try:
            proc = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
            if proc.returncode == 0 and proc.stdout.strip():
                versions["labelkit"] = proc.stdout.strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired):
            pass
    return versions


def fmt_ms(seconds: float | None) -> str:
    """Seconds -> milliseconds with sensible precision, or 'n/a'."""
    if seconds is None:
        return "n/a"
    ms = seconds * 1e3
    return f"{ms:.1f}" if ms >= 100 else f"{ms:.3f}" if ms >= 0.1 else f"{ms:.4f}"


def finish_rows(rows: list[dict], lk: dict[tuple, Timing | str]) -> None:
    """Attach LabelKit timings, speed-ups and met? verdicts to the rows in place."""
    for row in rows:
        lk_res = lk.get(row["lk_key"], "not run")
        row["labelkit_timing"] = lk_res if isinstance(lk_res, Timing) else None
        row["labelkit_error"] = lk_res if isinstance(lk_res, str) else None
        if row["labelkit_timing"] and row["labelkit_timing"].median_s > 0:
            row["speedup"] = row["anchor_timing"].median_s / row["labelkit_timing"].median_s
            row["met"] = row["speedup"] >= row["target"]
        else:
            row["speedup"], row["met"] = None, None


def markdown_table(rows: list[dict]) -> str:
    """Render the ratio table as Markdown."""
    out = ["| workload | anchor | anchor median (ms) | LabelKit median (ms) "
           "| speed-up (anchor/LabelKit) | target | met? |",
           "|---|---|---:|---:|---:|---:|:-:|"]
    for r in rows:
        lk_t = r["labelkit_timing"]
        speed = "n/a" if r["speedup"] is None else f"{r['speedup']:.1f}x"
        met = "n/a" if r["met"] is None else ("yes" if r["met"] else "NO")
        out.append(f"| {r['workload']} | {r['anchor']} | {fmt_ms(r['anchor_timing'].median_s)} "
                   f"| {fmt_ms(lk_t.median_s if lk_t else None)} | {speed} "
                   f"| >= {r['target']:g}x | {met} |")
    return "\n".join(out)


def json_report(machine: dict, versions: dict, args: argparse.Namespace,
                rows: list[dict], checks: list[dict]) -> dict:
    """Build the --json document: machine, versions, settings, rows, cross-checks."""
    def timing(t: Timing | None) -> dict | None:
        return None if t is None else {"median_s": t.median_s, "min_s": t.min_s,
                                       "runs": t.runs, "capped": t.capped}
    return {
        "machine": machine, "versions": versions,
        "settings": {"runs": args.runs, "max_seconds": args.max_seconds, "seed": args.seed},
        "rows": [{"workload": r["workload"], "anchor": r["anchor"],
                  "labelkit_op": "/".join(r["lk_key"][:2]),
                  "anchor_timing": timing(r["anchor_timing"]),
                  "labelkit_timing": timing(r["labelkit_timing"]),
                  "labelkit_error": r["labelkit_error"], "speedup": r["speedup"],
                  "target": r["target"], "met": r["met"]} for r in rows],
        "byte_identical": checks,
    }


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Time the anchors (label_studio_converter.brush, pycocotools.mask) and "
                    "LabelKit's `labelkit bench rle` on the same seeded data, cross-check "
                    "LabelKit's RLE output byte for byte, and print a Markdown ratio table.",
        epilog="example:\n  .venv-compare/bin/python Scripts/compare.py "
               "--labelkit .build/release/labelkit --runs 20 --json out/compare.json\n\n"
               "exit status: 0 if every LabelKit command ran and every cross-check that ran "
               "matched, else 1 (the table is printed either way).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labelkit", default=".build/release/labelkit", metavar="PATH",
                        help="LabelKit CLI to measure (default: %(default)s); when it is missing "
                             "its columns read n/a, e.g. --labelkit .build/release/labelkit")
    parser.add_argument("--runs", type=int, default=20, metavar="N",
                        help="timed runs per operation after one warm-up, for the anchors and "
                             "as `--runs N` for labelkit (default: %(default)s), e.g. --runs 5")
    parser.add_argument("--max-seconds", type=float, default=30.0, metavar="S",
                        help="stop timing an anchor early once its timed runs used S seconds "
                             "(never fewer than 3 runs); pure-Python LS decoding of a noisy "
                             "1920x1080 mask takes 6-10 s a call (default: %(default)s), "
                             "e.g. --max-seconds 120")
    parser.add_argument("--workdir", type=Path, metavar="DIR",
                        help="write the generated inputs here and keep them (default: a "
                             "temporary directory, removed at exit), e.g. --workdir out/compare")
    parser.add_argument("--json", type=Path, metavar="OUT",
                        help="also write the raw numbers (seconds), machine, versions and "
                             "cross-checks as JSON, e.g. --json out/compare.json")
    parser.add_argument("--seed", type=int, default=20240601, metavar="N",
                        help="seed for the generated data (default: %(default)s), e.g. --seed 7")
    parser.add_argument("--timeout", type=float, default=900.0, metavar="S",
                        help="kill a single labelkit call after S seconds "
                             "(default: %(default)s), e.g. --timeout 300")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def run(args: argparse.Namespace, workdir: Path) -> int:
    """Generate, time, cross-check and report; return the exit status."""
    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    binary = str(Path(args.labelkit)) if args.labelkit else ""
    machine, versions = machine_info(), library_versions(binary)

    log(f"generating inputs in {workdir} (seed {args.seed}) ...")
    manifest = generate(workdir, args.seed)
    log("timing anchors ...")
    rows = time_anchors(manifest, args.runs, args.max_seconds, log)
    log("timing LabelKit ...")
    lk = time_labelkit(binary, [r["lk_key"] for r in rows], manifest, args.runs,
                       args.timeout, log)
    finish_rows(rows, lk)
    log("cross-checking LabelKit output ...")
    checks = cross_check(binary, manifest, args.timeout, log)

    print(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['os']}, "
          f"Python {machine['python']}")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"Runs: {args.runs} after 1 warm-up (anchors stop after {args.max_seconds:g} s "
          f"of timed runs, but not before {min(3, args.runs)}); seed {args.seed}\n")
    print(markdown_table(rows))
    capped = [r for r in rows if r["anchor_timing"].capped]
    if capped:
        print("\nAnchor rows timed over fewer runs (--max-seconds): " + ", ".join(
            f"{r['workload']} {r['anchor']} ({r['anchor_timing'].runs})" for r in capped))
    failed = {r["lk_key"]: r["labelkit_error"] for r in rows if r["labelkit_error"]}
    if failed and len(set(failed.values())) == 1:
        print(f"\nLabelKit ops that did not run: all {len(failed)}: {next(iter(failed.values()))}")
    elif failed:
        print("\nLabelKit ops that did not run: " + "; ".join(
            f"{'/'.join(k)}: {v}" for k, v in failed.items()))
    print("\nByte-identical output (labelkit rle ... vs anchor):")
    for c in checks:
        print(f"- {c['workload']} {c['format']}: byte-identical: {c['result']}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(json_report(machine, versions, args, rows, checks),
                                        indent=2, default=str))
        print(f"\nRaw numbers written to {args.json}")

    mismatch = any(c["result"] == "no" or c["result"].startswith("error") for c in checks)
    return 1 if failed or mismatch or not labelkit_available(binary) else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse flags, pick the work directory, run."""
    args = parse_args(argv)
    if args.workdir:
        return run(args, args.workdir)
    with tempfile.TemporaryDirectory(prefix="labelkit-compare-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
