#!/usr/bin/env python3
"""Check `labelkit export` against pycocotools and label-studio-converter.

Acceptance checks of the batch export (issue: COCO / PNG export):

1. `labelkit export --to coco`: the file loads with pycocotools `COCO(path)`;
   `annToMask` of every annotation equals LabelKit's own decoding of the same
   segmentation (brushes: the Label Studio RLE of the input decoded, alpha > 0,
   by label-studio-converter and by `labelkit rle decode`; polygons, rectangles,
   ellipses: `labelkit rle encode --polygons`, LabelKit's pycocotools-identical
   rasterizer). Rectangles are exactly their 4 pixel corners TL, TR, BR, BL (spec
   section 4), bbox = their AABB, area = w*h; ellipses are polygons on the
   ellipse whose area is within 0.5% of pi*rx*ry; polygons are their vertices.
2. `labelkit export --to png --annotations all`: every brush PNG that
   label-studio-converter's brush export (Converter(...).convert(...,
   'BRUSH_TO_PNG')) writes from the same file exists under the same name and
   equals LabelKit's pixel for pixel; both write the same number of brush PNGs.

Inputs: the files given with --input, else SampleImages/annotations.json, a
generated file (rotated rectangles with W != H, rotated ellipses, polygons,
brushes with anti-aliased alphas 1..254, several annotations, a cancelled one,
predictions), a generated file of edge cases (a brush whose label list is
empty, a 2-point polygon, shapes partly outside the image, self-intersecting
polygons) and one task per case of Tests/Fixtures/geometry (the analytic
pixel-centre masks of rectangles, ellipses and polygons). For the fixture tasks,
3. `labelkit export --to png` (and `--rule nonzero`) writes each region's mask
   pixel for pixel as the fixture's expected mask, and COCO's area and bbox are
   checked under both fill rules.

Runs with the venv at <repo>/.venv-compare when present, else with this Python
if pycocotools and label_studio_converter import; otherwise prints
"skipped: ..." and exits 0. The last line is "N passed, M failed"; the exit
code is 1 when a check failed, 2 for a setup error.

    python3 Tests/Scripts/check_export.py                      # finds the binary
    python3 Tests/Scripts/check_export.py --labelkit .build/release/labelkit
    python3 Tests/Scripts/check_export.py --input my-export.json --keep /tmp/out
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-compare"


def _ensure_python() -> None:
    """Re-executes under the compare venv when it exists; skips without the modules."""
    venv_python = VENV / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != VENV.resolve() and not os.environ.get(
        "CHECK_EXPORT_REEXEC"
    ):
        os.environ["CHECK_EXPORT_REEXEC"] = "1"
        os.execv(str(venv_python), [str(venv_python), str(Path(__file__).resolve()), *sys.argv[1:]])
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
        import pycocotools.coco  # noqa: F401
        import label_studio_converter  # noqa: F401
        import shapely  # noqa: F401
    except Exception as error:  # ImportError, or a broken install
        print(f"skipped: pycocotools / label_studio_converter / shapely not importable ({error}); "
              f"create {VENV} with Scripts/compare-requirements.txt")
        sys.exit(0)


_ensure_python()

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from pycocotools import mask as mask_utils  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
import shapely  # noqa: E402
import shapely.affinity  # noqa: E402
from label_studio_converter import brush as ls_brush  # noqa: E402
from label_studio_converter.converter import Converter  # noqa: E402

logging.disable(logging.WARNING)

GEOMETRY_TYPES = {
    "rectanglelabels": "rectangle", "rectangle": "rectangle", "ellipselabels": "ellipse", "ellipse": "ellipse",
    "polygonlabels": "polygon", "polygon": "polygon", "keypointlabels": "keypoint", "keypoint": "keypoint",
    "brushlabels": "brush", "brush": "brush",
}


class Report:
    def __init__(self, verbose: bool) -> None:
        self.passed = 0
        self.failed = 0
        self.verbose = verbose

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok    {what}")
        else:
            self.failed += 1
            print(f"FAIL  {what}" + (f": {detail}" if detail else ""))
        return ok


# ---------------------------------------------------------------------------
# Inputs


def soft_disc(w: int, h: int, cx: float, cy: float, r: float, edge: float) -> np.ndarray:
    """255 inside, a linear ramp over `edge` pixels: anti-aliased alphas 1..254."""
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.hypot(xx + 0.5 - cx, yy + 0.5 - cy)
    return np.clip((r - d) / edge * 255 + 127.5, 0, 255).astype(np.uint8)


def gradient_band(w: int, h: int) -> np.ndarray:
    """Every alpha 1..254 at least once, plus 0 and 255."""
    m = np.zeros((h, w), np.uint8)
    values = np.arange(256, dtype=np.uint8)
    flat = m.reshape(-1)
    start = w * (h // 3)
    flat[start:start + 256] = values
    flat[start + 300:start + 300 + 256] = values[::-1]
    return m


def ls_result(rid: str, rtype: str, from_name: str, w: int, h: int, value: dict) -> dict:
    return {"id": rid, "type": rtype, "from_name": from_name, "to_name": "image", "original_width": w,
            "original_height": h, "image_rotation": 0, "value": value, "origin": "manual"}


def brush_result(rid: str, mask: np.ndarray, labels: list[str] | None, from_name: str = "tag") -> dict:
    h, w = mask.shape
    value: dict = {"format": "rle", "rle": [int(v) for v in ls_brush.mask2rle(mask)]}
    if labels is not None:
        value["brushlabels"] = labels
    return ls_result(rid, "brushlabels", from_name, w, h, value)


def generated_tasks(seed: int = 7) -> list[dict]:
    rng = np.random.default_rng(seed)
    tasks = []
    sizes = [(320, 200), (257, 131), (200, 300), (64, 64)]
    for t in range(8):
        w, h = sizes[t % len(sizes)]
        res = []
        for k in range(3):
            res.append(ls_result(f"r{t}-{k}", "rectanglelabels", "label", w, h, {
                "x": float(rng.uniform(5, 60)), "y": float(rng.uniform(5, 60)), "width": float(rng.uniform(5, 35)),
                "height": float(rng.uniform(5, 35)), "rotation": float([0, 30, -45, 200.5, 359.9][(t + k) % 5]),
                "rectanglelabels": [["Car", "Truck"][k % 2]]}))
            res.append(ls_result(f"e{t}-{k}", "ellipselabels", "ellipse", w, h, {
                "x": float(rng.uniform(20, 80)), "y": float(rng.uniform(20, 80)), "radiusX": float(rng.uniform(3, 20)),
                "radiusY": float(rng.uniform(3, 20)), "rotation": float([0, 37, 123.25, 270][(t + k) % 4]),
                "ellipselabels": ["Wheel"]}))
            n = int(rng.integers(3, 9))
            angles = np.sort(rng.uniform(0, 2 * math.pi, n))
            radii = rng.uniform(5, 30, n)
            cx, cy = rng.uniform(30, 70, 2)
            points = [[float(cx + r * math.cos(a)), float(cy + r * math.sin(a))] for a, r in zip(angles, radii)]
            res.append(ls_result(f"p{t}-{k}", "polygonlabels", "polygon", w, h,
                                 {"points": points, "polygonlabels": ["Road"]}))
        res.append(brush_result(f"b{t}-0", soft_disc(w, h, w * 0.4, h * 0.5, min(w, h) * 0.2, 9.0), ["Cat"]))
        res.append(brush_result(f"b{t}-1", soft_disc(w, h, w * 0.7, h * 0.3, min(w, h) * 0.1, 4.0), ["Cat"]))
        res.append(brush_result(f"b{t}-2", gradient_band(w, h), ["Dog", "Small"]))
        mask = np.zeros((h, w), np.uint8)
        mask[h // 4:h // 2, w // 5:w // 2] = 255
        res.append(brush_result(f"b{t}-3", mask, ["Dog"], from_name="brush2"))
        res.append(brush_result(f"b{t}-4", soft_disc(w, h, w * 0.5, h * 0.5, 3, 2.0), None))
        res.append({"id": f"c{t}", "type": "choices", "from_name": "q", "to_name": "image",
                    "value": {"choices": ["Yes"]}})
        by = [{"email": "Jane.Doe+ml@ex-ample.com", "id": 3}, 17, {"email": "ops@example.org"}][t % 3]
        older = {"id": 900 + t, "completed_by": 5, "created_at": "2023-01-01T00:00:00.000000Z",
                 "was_cancelled": False, "ground_truth": False,
                 "result": [brush_result(f"o{t}", soft_disc(w, h, w * 0.3, h * 0.3, 8, 3.0), ["Cat"])]}
        cancelled = {"id": 800 + t, "completed_by": 5, "created_at": "2025-01-01T00:00:00.000000Z",
                     "was_cancelled": True, "ground_truth": False,
                     "result": [brush_result(f"x{t}", mask, ["Cat"])]}
        newer = {"id": 100 + t, "completed_by": by, "created_at": f"2024-05-1{t}T09:00:00.000000Z",
                 "was_cancelled": False, "ground_truth": t == 0, "result": res}
        tasks.append({"id": t + 1, "data": {"image": f"/data/local-files/?d=images/img{t + 1}.png"},
                      "annotations": [older, newer, cancelled],
                      "predictions": [{"model_version": "m", "score": 0.5,
                                       "result": [brush_result(f"q{t}", mask, ["Cat"])]}]})
    return tasks


FIXTURES = ROOT / "Tests/Fixtures/geometry"


def fixture_tasks() -> tuple[list[dict], dict[int, dict]]:
    """One task per case of the geometry fixtures (rectangles, ellipses, polygons;
    partly outside the image, degenerate, self-intersecting, on pixel centres):
    the tasks, and each task id's case with its expected masks."""
    tasks, cases = [], {}
    from_names = {"rectanglelabels": "label", "ellipselabels": "ellipse", "polygonlabels": "polygon"}
    for family in ("rectangles", "ellipses", "polygons"):
        for case in json.loads((FIXTURES / f"{family}.json").read_text())["cases"]:
            rtype, tid = case["type"], len(tasks) + 1
            value = dict(case["value"], **{rtype: ["Shape"]})
            result = ls_result(case["name"], rtype, from_names[rtype], case["original_width"],
                               case["original_height"], value)
            tasks.append({"id": tid, "data": {"image": f"/data/upload/{case['name']}.png"},
                          "annotations": [{"id": tid, "completed_by": 1, "was_cancelled": False,
                                           "result": [result]}]})
            cases[tid] = case
    return tasks, cases


def edge_tasks() -> list[dict]:
    w, h = 120, 80
    mask = soft_disc(w, h, 40, 40, 15, 3.0)
    return [{
        "id": 1, "data": {"image": "/data/local-files/?d=edge.png"},
        "annotations": [{
            "id": 11, "completed_by": 1, "created_at": "2024-01-01T00:00:00.000000Z", "was_cancelled": False,
            "result": [
                brush_result("empty-labels", mask, []),
                ls_result("two-points", "polygonlabels", "polygon", w, h,
                          {"points": [[10, 10], [60, 70]], "polygonlabels": ["Road"]}),
                # Partly or wholly outside the image, self-intersecting: COCO's area and
                # bbox must describe what is visible and filled.
                ls_result("ellipse-past-corner", "ellipselabels", "ellipse", w, h,
                          {"x": 90, "y": 85, "radiusX": 30, "radiusY": 40, "rotation": 33,
                           "ellipselabels": ["Ball"]}),
                ls_result("rect-past-edge", "rectanglelabels", "label", w, h,
                          {"x": 70, "y": -10, "width": 50, "height": 40, "rotation": 20,
                           "rectanglelabels": ["Car"]}),
                ls_result("rect-outside", "rectanglelabels", "label", w, h,
                          {"x": 110, "y": 20, "width": 10, "height": 10, "rectanglelabels": ["Car"]}),
                ls_result("bow-tie", "polygonlabels", "polygon", w, h,
                          {"points": [[10, 10], [40, 60], [40, 10], [10, 60]], "polygonlabels": ["Road"]}),
                ls_result("pentagram", "polygonlabels", "polygon", w, h,
                          {"points": [[50 + 30 * math.cos(math.radians(-90 + 144 * k)),
                                       50 + 30 * math.sin(math.radians(-90 + 144 * k))] for k in range(5)],
                           "polygonlabels": ["Star"]}),
                ls_result("nested-rings", "polygonlabels", "polygon", w, h,
                          {"points": [[5, 5], [95, 5], [95, 95], [5, 95], [5, 5],
                                      [30, 30], [70, 30], [70, 70], [30, 70], [30, 30]],
                           "polygonlabels": ["Frame"]}),
                ls_result("star-past-edge", "polygonlabels", "polygon", w, h,
                          {"points": [[95 + 20 * math.cos(math.radians(-90 + 144 * k)),
                                       50 + 20 * math.sin(math.radians(-90 + 144 * k))] for k in range(5)],
                           "polygonlabels": ["Star"]}),
            ]}],
    }]


# ---------------------------------------------------------------------------
# Helpers


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def load_png(path: Path) -> np.ndarray:
    return np.array(Image.open(path))


def live_annotations(task: dict) -> list[dict]:
    annotations = task.get("annotations", task.get("completions", [])) or []
    return [a for a in annotations if not (a.get("was_cancelled") or a.get("skipped"))]


def label_names(result: dict) -> list[str]:
    value = result.get("value") or {}
    names = value.get(result.get("type", "").lower())
    if names is None:
        names = value.get("labels")
    return names or []


def rect_corners(v: dict, w: int, h: int) -> list[float]:
    px, py = v["x"] * w / 100, v["y"] * h / 100
    pw, ph = v["width"] * w / 100, v["height"] * h / 100
    t = math.radians(v.get("rotation", 0) or 0)
    c, s = math.cos(t), math.sin(t)
    pts = [(px, py), (px + pw * c, py + pw * s), (px + pw * c - ph * s, py + pw * s + ph * c), (px - ph * s, py + ph * c)]
    return [coordinate for p in pts for coordinate in p]


def close(a: list[float], b: list[float], tol: float = 1e-9) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol * max(1.0, abs(y)) for x, y in zip(a, b))


def winding_number(x: float, y: float, points: list[tuple[float, float]]) -> int:
    """How many times the closed ring `points` winds around (x, y)."""
    wn = 0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        side = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0)
        if y0 <= y < y1 and side > 0:
            wn += 1
        elif y1 <= y < y0 and side < 0:
            wn -= 1
    return wn


def filled_polygon(points: list[tuple[float, float]], rule: str):
    """The region a ring fills by `rule`: GEOS nodes the ring into faces, and a face
    is kept when the ring winds around it an odd number of times (evenodd) or at
    all (nonzero)."""
    noded = shapely.union_all([shapely.LineString(points + points[:1])])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    kept = []
    for face in faces:
        p = face.representative_point()
        wn = winding_number(p.x, p.y, points)
        if (wn != 0) if rule == "nonzero" else (wn % 2 != 0):
            kept.append(face)
    return shapely.union_all(kept) if kept else shapely.Polygon()


def visible_region(kind: str, v: dict, rw: int, rh: int, w: int, h: int, rule: str = "evenodd"):
    """What a rectangle, ellipse or polygon fills inside the w x h image, built with
    shapely (GEOS), independently of LabelKit: the region COCO's area and bbox must
    describe. Polygons fill by `rule` (see `filled_polygon`). Returns (region, bbox
    tolerance as a fraction of the region's size)."""
    image = shapely.box(0, 0, w, h)
    if kind == "rectangle":
        shape = shapely.Polygon(list(zip(*[iter(rect_corners(v, rw, rh))] * 2)))
        tolerance = 1e-9
    elif kind == "ellipse":
        rx, ry = v["radiusX"] * rw / 100, v["radiusY"] * rh / 100
        circle = shapely.Point(0, 0).buffer(1, quad_segs=1024)
        shape = shapely.affinity.scale(circle, rx, ry, origin=(0, 0))
        shape = shapely.affinity.rotate(shape, v.get("rotation", 0) or 0, origin=(0, 0))
        shape = shapely.affinity.translate(shape, v["x"] * rw / 100, v["y"] * rh / 100)
        tolerance = 0.002
    else:
        points = [(p[0] * rw / 100, p[1] * rh / 100) for p in v["points"]]
        if len(points) < 3:
            return shapely.Polygon(), 1e-9
        shape = filled_polygon(points, rule)
        tolerance = 1e-9
    return shape.intersection(image), tolerance


def shoelace(flat: list[float]) -> float:
    xs, ys = flat[0::2], flat[1::2]
    n = len(xs)
    return abs(sum(xs[i] * ys[(i + 1) % n] - xs[(i + 1) % n] * ys[i] for i in range(n))) / 2


class LabelKit:
    def __init__(self, binary: str, work: Path) -> None:
        self.binary = binary
        self.work = work
        self.count = 0

    def polygons_mask(self, polygons: list[list[float]], h: int, w: int) -> np.ndarray | str:
        """LabelKit's pycocotools-identical rasterizer (union of the parts)."""
        self.count += 1
        path = self.work / f"polys-{self.count}.json"
        path.write_text(json.dumps({"width": w, "height": h, "polygons": polygons}))
        out = run([self.binary, "rle", "encode", "--format", "coco", "--polygons", str(path)])
        if out.returncode != 0:
            return f"labelkit rle encode --polygons failed: {out.stderr.strip()}"
        rle = json.loads(out.stdout)
        return mask_utils.decode({"size": rle["size"], "counts": rle["counts"].encode()})

    def coco_rle_mask(self, segmentation: dict) -> np.ndarray | str:
        """LabelKit's COCO RLE decoding (255 inside) as 0/1."""
        self.count += 1
        path = self.work / f"rle-{self.count}.json"
        png = self.work / f"rle-{self.count}.png"
        path.write_text(json.dumps(segmentation))
        out = run([self.binary, "rle", "decode", "--format", "coco", str(path), "-o", str(png)])
        if out.returncode != 0:
            return f"labelkit rle decode failed: {out.stderr.strip()}"
        return (load_png(png) > 0).astype(np.uint8)


# ---------------------------------------------------------------------------
# (1) COCO


def check_coco(name: str, input_path: Path, out: Path, lk: LabelKit, report: Report,
               rule: str = "evenodd") -> None:
    proc = run([lk.binary, "export", str(input_path), "--to", "coco", "-o", str(out), "--annotations", "all",
                "--force", "--quiet", "--rule", rule])
    name = name if rule == "evenodd" else f"{name} --rule {rule}"
    if not report.check(proc.returncode == 0, f"[{name}] coco: labelkit export exits 0",
                        f"exit {proc.returncode}: {proc.stderr.strip()[:500]}"):
        return
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # COCO() prints progress
            coco = COCO(str(out / "coco.json"))
    except Exception as error:
        report.check(False, f"[{name}] coco: COCO(path) loads", repr(error))
        return
    report.check(True, f"[{name}] coco: COCO(path) loads")

    tasks = json.loads(input_path.read_text())
    tasks = tasks if isinstance(tasks, list) else [tasks]
    expected: dict[tuple[str, str], dict] = {}
    for task in tasks:
        for annotation in live_annotations(task):
            for result in annotation.get("result", []):
                if GEOMETRY_TYPES.get(result.get("type", "").lower()) and label_names(result):
                    expected[(str(task["id"]), str(result.get("id")))] = result
    images = {image["id"]: image for image in coco.dataset.get("images", [])}
    got = {}
    for ann in coco.dataset.get("annotations", []):
        got[(str(images.get(ann["image_id"], {}).get("task")), str(ann.get("region")))] = ann
    report.check(set(got) == set(expected), f"[{name}] coco: one annotation per labelled region",
                 f"missing {sorted(set(expected) - set(got))[:5]}, unexpected {sorted(set(got) - set(expected))[:5]}")

    for key, ann in sorted(got.items()):
        result = expected.get(key)
        if result is None:
            continue
        kind = GEOMETRY_TYPES[result["type"].lower()]
        what = f"[{name}] coco: task {key[0]} region {key[1]} ({kind})"
        image = images[ann["image_id"]]
        h, w = image["height"], image["width"]
        problems: list[str] = []
        try:
            m = coco.annToMask(ann)
        except Exception as error:
            report.check(False, what, f"annToMask raised {type(error).__name__}: {error} "
                                      f"(segmentation={json.dumps(ann.get('segmentation'))[:60]})")
            continue
        segmentation = ann.get("segmentation")
        rw, rh = result["original_width"], result["original_height"]
        v = result["value"]
        if kind == "brush":
            if not isinstance(segmentation, dict):
                problems.append("brush segmentation is not an RLE object")
            else:
                alpha = np.reshape(ls_brush.decode_rle(v["rle"]), (rh, rw, 4))[:, :, 3]
                if m.shape != alpha.shape or not np.array_equal(m, (alpha > 0).astype(np.uint8)):
                    problems.append("annToMask != alpha > 0 of the input RLE (label-studio-converter decode)")
                own = lk.coco_rle_mask(segmentation)
                if isinstance(own, str):
                    problems.append(own)
                elif not np.array_equal(m, own):
                    problems.append("annToMask != labelkit rle decode of the segmentation")
                if ann.get("area") != int(m.sum()):
                    problems.append(f"area {ann.get('area')} != {int(m.sum())}")
                rle = mask_utils.encode(np.asfortranarray(m))
                if not close(list(ann.get("bbox", [])), list(mask_utils.toBbox(rle))):
                    problems.append(f"bbox {ann.get('bbox')} != {list(mask_utils.toBbox(rle))}")
        elif kind == "keypoint":
            pass  # annToMask worked; nothing to compare
        else:
            if not (isinstance(segmentation, list) and segmentation and all(isinstance(p, list) for p in segmentation)):
                problems.append(f"segmentation is not a polygon list: {str(segmentation)[:60]}")
            else:
                own = lk.polygons_mask(segmentation, h, w)
                if isinstance(own, str):
                    problems.append(own)
                elif own.shape != m.shape or not np.array_equal(own, m):
                    problems.append(f"annToMask != LabelKit's COCO polygon rasterizer "
                                    f"({int((own != m).sum()) if own.shape == m.shape else 'shape'} pixels)")
                flat = [float(x) for x in segmentation[0]]
                xs, ys = flat[0::2], flat[1::2]
                if min(xs) < 0 or min(ys) < 0 or max(xs) > w or max(ys) > h:
                    problems.append(f"segmentation leaves the {w}x{h} image")
                region, tolerance = visible_region(kind, v, rw, rh, w, h, rule)
                if abs(ann["area"] - region.area) > 0.005 * region.area + 0.5:
                    problems.append(f"area {ann['area']:.3f} != shapely's visible area {region.area:.3f}")
                if region.is_empty:
                    if ann["area"] != 0:
                        problems.append("nothing is visible but the area is not 0")
                else:
                    minx, miny, maxx, maxy = region.bounds
                    box = [minx, miny, maxx - minx, maxy - miny]
                    slack = tolerance * max(box[2], box[3], 1)
                    if any(abs(a - b) > slack for a, b in zip(ann["bbox"], box)):
                        problems.append(f"bbox {ann['bbox']} != bounds of the visible region {box}")
                if kind == "rectangle" and not region.is_empty:
                    corners = rect_corners(v, rw, rh)
                    inside = all(0 <= x <= w and 0 <= y <= h for x, y in zip(corners[0::2], corners[1::2]))
                    if inside and not close(flat, corners):
                        problems.append(f"corners {flat} != TL,TR,BR,BL {corners}")
                elif kind == "ellipse":
                    rx, ry = v["radiusX"] * rw / 100, v["radiusY"] * rh / 100
                    cx, cy = v["x"] * rw / 100, v["y"] * rh / 100
                    t = math.radians(v.get("rotation", 0) or 0)
                    c, s = math.cos(t), math.sin(t)
                    # Each vertex is on the ellipse, or on the image's edge where it was cut.
                    off = max((abs(((x - cx) * c + (y - cy) * s) ** 2 / rx ** 2
                                   + (-(x - cx) * s + (y - cy) * c) ** 2 / ry ** 2 - 1)
                               for x, y in zip(xs, ys) if 0 < x < w and 0 < y < h),
                              default=0) if rx > 0 and ry > 0 else 0
                    if off > 1e-9:
                        problems.append(f"vertices off the ellipse by {off:g}")
                elif kind == "polygon":
                    pts = [c for p in v["points"] for c in (p[0] * rw / 100, p[1] * rh / 100)]
                    if len(pts) > 6 and pts[-2:] == pts[:2]:
                        pts = pts[:-2]  # a ring closed explicitly is the same ring
                    inside = all(0 <= x <= w and 0 <= y <= h for x, y in zip(pts[0::2], pts[1::2]))
                    # Polygons under 3 points are padded by repeating the last one, since
                    # pycocotools reads a 4-number part as a box.
                    while 0 < len(pts) < 6:
                        pts += pts[-2:]
                    if inside and not close(flat, pts):
                        problems.append("vertices differ from the input points in pixels")
        report.check(not problems, what, "; ".join(problems))


# ---------------------------------------------------------------------------
# (2) brush PNGs


def labeling_config(tasks: list[dict]) -> str:
    tags: dict[str, set[str]] = {}
    for task in tasks:
        for annotation in task.get("annotations", []) or []:
            for result in annotation.get("result", []):
                if result.get("type", "").lower() == "brushlabels":
                    tags.setdefault(result["from_name"], set()).update(label_names(result))
    body = "".join(
        f'<BrushLabels name="{fn}" toName="image">'
        + "".join(f'<Label value="{label}"/>' for label in sorted(labels or {"Mask"}))
        + "</BrushLabels>"
        for fn, labels in sorted(tags.items()))
    return f'<View><Image name="image" value="$image"/>{body}</View>'


def export_both(name: str, input_path: Path, out: Path, lk: LabelKit, report: Report, fmt: str,
                converter_format: str) -> tuple[Path, Path, list[dict]] | None:
    """Runs `labelkit export --to fmt` and label-studio-converter's `converter_format`
    on the same input; (labelkit folder, converter folder, tasks), or None when one failed."""
    lk_dir, ref_dir = out / "labelkit", out / "converter"
    proc = run([lk.binary, "export", str(input_path), "--to", fmt, "-o", str(lk_dir), "--annotations", "all",
                "--force", "--quiet"])
    if not report.check(proc.returncode == 0, f"[{name}] {fmt}: labelkit export exits 0",
                        f"exit {proc.returncode}: {proc.stderr.strip()[:500]}"):
        return None
    tasks = json.loads(input_path.read_text())
    tasks = tasks if isinstance(tasks, list) else [tasks]
    ref_dir.mkdir(parents=True, exist_ok=True)
    try:
        converter = Converter(labeling_config(tasks), project_dir=None, download_resources=False)
        converter.convert(str(input_path), str(ref_dir), converter_format, is_dir=False)
    except Exception as error:
        report.check(False, f"[{name}] {fmt}: label-studio-converter {converter_format} runs", repr(error))
        return None
    return lk_dir, ref_dir, tasks


def check_png(name: str, input_path: Path, out: Path, lk: LabelKit, report: Report) -> None:
    both = export_both(name, input_path, out, lk, report, "png", "BRUSH_TO_PNG")
    if both is None:
        return
    lk_dir, ref_dir, tasks = both
    reference = sorted(p.name for p in ref_dir.iterdir() if p.suffix == ".png")
    brushes = sum(1 for task in tasks for a in live_annotations(task) for r in a.get("result", [])
                  if r.get("type", "").lower() == "brushlabels")
    report.check(len(reference) == brushes, f"[{name}] png: the converter wrote one PNG per brush region",
                 f"{len(reference)} PNGs for {brushes} brush regions")
    for file in reference:
        mine = lk_dir / file
        what = f"[{name}] png: {file}"
        if not mine.exists():
            report.check(False, what, "missing from labelkit's output")
            continue
        a, b = load_png(ref_dir / file), load_png(mine)
        if a.shape != b.shape:
            report.check(False, what, f"shape {b.shape} != converter {a.shape}")
            continue
        diff = int((a.astype(np.int64) != b.astype(np.int64)).sum())
        report.check(diff == 0, what, f"{diff} pixels differ")


def check_numpy(name: str, input_path: Path, out: Path, lk: LabelKit, report: Report) -> None:
    """`labelkit export --to numpy` against label-studio-converter's BRUSH_TO_NUMPY:
    the same file names, and files identical byte for byte (numpy.save's own bytes)."""
    both = export_both(name, input_path, out, lk, report, "numpy", "BRUSH_TO_NUMPY")
    if both is None:
        return
    lk_dir, ref_dir, _ = both
    reference = sorted(p.name for p in ref_dir.iterdir() if p.suffix == ".npy")
    mine = sorted(p.name for p in lk_dir.iterdir() if p.suffix == ".npy")
    report.check(reference == mine, f"[{name}] numpy: the same .npy names as the converter",
                 f"only converter: {sorted(set(reference) - set(mine))[:3]}, only labelkit: {sorted(set(mine) - set(reference))[:3]}")
    for file in reference:
        if (lk_dir / file).exists():
            same = (lk_dir / file).read_bytes() == (ref_dir / file).read_bytes()
            report.check(same, f"[{name}] numpy: {file} identical", "bytes differ")


def check_fixture_png(name: str, input_path: Path, cases: dict[int, dict], out: Path, lk: LabelKit,
                      report: Report, rule: str) -> None:
    """`labelkit export --to png --rule RULE` on the fixture tasks: each region's PNG
    equals the fixture's analytic pixel-centre mask (nothing written only when that
    mask is empty)."""
    proc = run([lk.binary, "export", str(input_path), "--to", "png", "-o", str(out), "--force", "--quiet",
                "--rule", rule])
    if not report.check(proc.returncode == 0, f"[{name}] png --rule {rule}: labelkit export exits 0",
                        f"exit {proc.returncode}: {proc.stderr.strip()[:500]}"):
        return
    for tid, case in sorted(cases.items()):
        expected = case.get("expected") or case[f"expected_{rule}"]
        rle = expected["rle"]
        want = mask_utils.decode({"size": rle["size"], "counts": rle["counts"].encode()})
        files = sorted(out.glob(f"task-{tid}-*.png"))
        what = f"[{name}] png --rule {rule}: {case['type']} {case['name']}"
        if not files:
            report.check(expected["area"] == 0, what, f"no PNG written for a mask of {expected['area']} pixels")
            continue
        got = (load_png(files[0]) > 0).astype(np.uint8)
        if got.shape != want.shape:
            report.check(False, what, f"shape {got.shape} != {want.shape}")
            continue
        diff = int((got != want).sum())
        report.check(len(files) == 1 and diff == 0, what, f"{len(files)} files, {diff} pixels differ")


# ---------------------------------------------------------------------------


def find_binary(given: str | None) -> str | None:
    if given:
        return given
    for candidate in [ROOT / ".build/release/labelkit", ROOT / ".build-tests/debug/labelkit", ROOT / ".build/debug/labelkit"]:
        if candidate.exists():
            return str(candidate)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labelkit", help="the labelkit binary (default: .build/release, .build-tests/debug, .build/debug)")
    parser.add_argument("--input", action="append", help="a Label Studio export JSON (repeatable)")
    parser.add_argument("--keep", help="write outputs here and keep them")
    parser.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    args = parser.parse_args(argv)

    binary = find_binary(args.labelkit)
    if binary is None or not os.access(binary, os.X_OK):
        print(f"error: no labelkit binary ({binary or 'none found'}); build it or pass --labelkit", file=sys.stderr)
        print("0 passed, 0 failed")
        return 2
    report = Report(args.verbose)
    with tempfile.TemporaryDirectory(prefix="check-export-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        inputs: list[tuple[str, Path]] = []
        if args.input:
            inputs = [(Path(p).name, Path(p).resolve()) for p in args.input]
        else:
            generated, edge = work / "generated.json", work / "edge-cases.json"
            generated.write_text(json.dumps(generated_tasks()))
            edge.write_text(json.dumps(edge_tasks()))
            inputs = [("sample", ROOT / "SampleImages/annotations.json"), ("generated", generated),
                      ("edge-cases", edge)]
        lk = LabelKit(binary, work)
        print(f"labelkit: {binary}")
        for name, path in inputs:
            check_coco(name, path, work / f"{name}-coco", lk, report)
            check_png(name, path, work / f"{name}-png", lk, report)
            check_numpy(name, path, work / f"{name}-numpy", lk, report)
        if not args.input:
            tasks, cases = fixture_tasks()
            fixtures = work / "fixture-shapes.json"
            fixtures.write_text(json.dumps(tasks))
            for rule in ("evenodd", "nonzero"):
                check_coco("fixtures", fixtures, work / f"fixtures-coco-{rule}", lk, report, rule)
                check_fixture_png("fixtures", fixtures, cases, work / f"fixtures-png-{rule}", lk, report, rule)
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
