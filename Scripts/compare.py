#!/usr/bin/env python3
"""Measure reference tools ("anchors") against LabelKit on the same generated data.

This is the Python side of `make compare`. It

1. generates its inputs from a fixed seed: for the RLE workloads (--only rle)
   PNG masks, Label Studio RLE JSON, COCO RLE JSON, a 1,000-RLE merge set and a
   100x100 IoU set; for the geometry workloads (--only geometry) 1,000 star
   polygons (Label Studio regions and COCO polygons), 1,000 rotated ellipses,
   a 10,000-polygon hit-test scene with 100,000 query points, and the
   blob_1920x1080 mask to vectorise; for the export workloads (--only export)
   a Label Studio JSON export of 1,000 tasks with one or two 1920x1080
   brushlabels RLEs each (plus its first 100 tasks; with --big a ~2 GB file
   of copies of them under new ids);
2. times each anchor in-process (label_studio_converter.brush, pycocotools.mask,
   OpenCV, shapely) with time.perf_counter: one warm-up call, then up to
   --runs timed calls;
3. times LabelKit through its CLI (`labelkit bench rle|rasterize|hit-test|
   vectorize ...`), which prints one JSON object
   {"op", "input", "runs", "median_s", "min_s"} per call;
4. cross-checks LabelKit's output against the anchors': RLE encoders and
   COCO polygon RLEs byte for byte, hit-test results hit for hit;
5. prints a Markdown ratio table (and writes the raw numbers with --json).

The imaging group (--only imaging) generates a seeded, photographic (smooth
gradients + noise) 6000x4000 JPEG and 4000x3000 PNG and times 256 px
thumbnails in-process: Pillow (Image.open + thumbnail(LANCZOS), whose draft
decodes the JPEG at 1/2-1/8 scale) and pyvips (thumbnail_buffer +
write_to_memory, operation cache off) against `labelkit bench thumbnail`; and
a Deep Zoom pyramid (254/1, jpg Q=85) of the JPEG as whole processes: `vips
dzsave` against `labelkit tiles --layout dzi`, with the tile file lists
compared. pyvips and the vips CLI need Debian's libvips (apt-get install
libvips-tools), which `make compare` does not install: without them those rows
are skipped with a message.

The export group differs: the anchor, label-studio-converter's BRUSH_TO_PNG
conversion of the whole file, is timed once (minutes); `labelkit export
--to png` is timed as a whole process (wall clock, one warm-up, fresh output
folder per run) with --jobs 1 and --jobs 2; the cross-check compares PNG file
names and a sample of 20 PNGs pixel for pixel. --big adds a peak-memory table
(/usr/bin/time -v) for `labelkit export` of the ~2 GB file to COCO and PNG.

Anchor timings cover the operation only: PNG decoding, JSON parsing and
building the anchors' input objects (int32 vertex arrays, shapely geometries)
happen before the clock starts, so `labelkit bench` must time the same span.
The one exception is the hit-test anchor, whose STRtree build is timed (as
LabelKit builds its index in every run); a second row times the query alone.

Geometry coordinates are written in Label Studio percent (px / W * 100); the
anchors use the pixel values derived back from the written files as
pct / 100 * W, exactly as LabelKit's parser does, so both sides see the same
numbers. OpenCV needs integer vertices (np.round in setup), so its masks differ
from the exact ones by up to half a pixel along edges.

Exit status: 0 when every LabelKit command ran and every cross-check that ran
matched; 1 otherwise (the table is printed either way).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import logging
import os
import platform
import re
import shutil
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

import cv2
import label_studio_converter.brush as ls_brush
import pycocotools.mask as coco_mask
import shapely
from label_studio_converter import Converter

try:  # needs the system libvips (Debian: apt-get install libvips42 / libvips-tools)
    import pyvips
    PYVIPS_ERROR = ""
except Exception as exc:  # ImportError, or OSError/cffi errors when libvips is missing
    pyvips = None
    PYVIPS_ERROR = f"{type(exc).__name__}: {exc}".splitlines()[0]

try:  # the Rust ports on PyPI: rows skipped without them
    import hotcoco.mask as hotcoco_mask
    import label_studio_brush_rle_rs as ls_rs
except ImportError:
    hotcoco_mask = None
    ls_rs = None

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
#: The Rust ports (#15): brush decode at least 3x label-studio-brush-rle-rs (it
#: writes 4 bytes a pixel, LabelKit 1); everything else at least level; the
#: row-major COCO decode of smooth masks 10x hotcoco's decode + C-order copy.
LS_RS_DECODE_TARGET = 3.0
PEER_TARGET = 1.0
HOTCOCO_ROW_TARGET = {"blob": 10.0, "noisy": 1.0}

#: Geometry workloads (--only geometry).
GEO_WIDTH, GEO_HEIGHT = 1920, 1080
POLY_COUNT, POLY_VERTICES, POLY_RADII = 1000, 20, (20.0, 120.0)
ELLIPSE_COUNT, ELLIPSE_AXES = 1000, (10.0, 90.0)  # semi-axes in pixels
HIT_POLYS, HIT_VERTICES, HIT_RADII, HIT_POINTS = 10_000, (8, 20), (5.0, 25.0), 100_000
VECTORIZE_MASK = "blob_1920x1080"
POLY_CHECKS = 5  # single polygons cross-checked with `labelkit rle encode --polygons`

RASTER_TARGET = 1.0
POLYGON_FILL_TARGET = 1.5  # #15: ahead of cv2.fillPoly by half again, both ways
COCO_POLY_TARGET = 3.0
HIT_TARGET = 5.0
VECTORIZE_TARGET = 0.67  # "within 1.5x"

#: LabelKit ops that may not exist yet: when they fail the row reads n/a and
#: the exit status is not affected.
PENDING_OPS = {"vectorize"}

#: Export workloads (--only export): a Label Studio JSON export of brush tasks.
EXPORT_TASKS, EXPORT_SUBSET = 1000, 100   # tasks; the subset times the converter when slow
EXPORT_WIDTH, EXPORT_HEIGHT = 1920, 1080
EXPORT_RESULTS = (1, 2)                   # brushlabels results per annotation
EXPORT_ELLIPSES, EXPORT_AXES = (2, 5), (20, 250)  # filled ellipses per mask, semi-axes px
EXPORT_CHECK_PNGS = 20                    # PNGs compared pixel for pixel
CONVERTER_FULL_LIMIT = 300.0              # s: above this (estimated) the subset is scaled
EXPORT_TARGET = 100.0                     # label-studio-converter vs labelkit --jobs 2
JOBS_TARGET = 1.7                         # labelkit --jobs 1 vs --jobs 2
RSS_GOAL_MB = 500.0                       # --big: peak resident set size
EXPORT_LABEL_CONFIG = ('<View><Image name="image" value="$image"/>'
                       '<BrushLabels name="tag" toName="image"><Label value="Cat"/>'
                       '</BrushLabels></View>')

#: Imaging workloads (--only imaging): thumbnails and a Deep Zoom pyramid.
THUMB_JPEG_SIZE = (6000, 4000)            # photographic JPEG, quality THUMB_JPEG_QUALITY
THUMB_JPEG_QUALITY = 90
THUMB_PNG_SIZE = (4000, 3000)             # photographic PNG (zlib level 6)
THUMB_SIZE = 256                          # fit in THUMB_SIZE x THUMB_SIZE
THUMB_TARGET = 1.0                        # faster than Pillow and pyvips
DZ_TILE, DZ_OVERLAP, DZ_QUALITY = 254, 1, 85
DZSAVE_TARGET = 1.0                       # faster than vips dzsave
THUMB_MAX_DIFF = 4.0                      # mean |labelkit - pyvips| per sample, 0-255

SELECTIONS = ("rle", "geometry", "export", "imaging", "all")

GEOMETRY_NOTES = """\
Geometry notes: OpenCV takes integer vertices (np.round, in setup) and integer
ellipse centres/axes, LabelKit the exact float ones; one cv2.fillPoly call with
all polygons fills them even-odd across polygons (overlaps cancel), the x1000
row paints their union as LabelKit does. LabelKit's hit-test builds its index
in every run: the shapely "build + query" row is the like-for-like one, the
"query only" row is compared with the same LabelKit time. Polygon and
COCO-polygon rows parse no JSON in the timed span on either side."""


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


def generate(workdir: Path, seed: int, only: str = "all") -> dict[str, Any]:
    """Generate the input files of the `only` selection into `workdir`.

    Returns a manifest of paths. The masks are always drawn (in the same order,
    so every selection sees the same data) except with --only export; with
    --only geometry only the PNG of the vectorised mask is written and the RLE
    files and sets are skipped. The geometry and export data come from their
    own generators (seeded from `seed`), so adding them changed none of the
    RLE data.

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
    want_rle = only in ("rle", "all")
    if only in ("export", "all"):
        manifest["export"] = generate_export(workdir, seed)
    if only in ("imaging", "all"):
        manifest["imaging"] = generate_imaging(workdir, seed)
    for name, (kind, width, height) in (MASKS.items() if only not in ("export", "imaging") else ()):
        mask = blob_mask(rng, width, height) if kind == "blob" else noisy_mask(rng, width, height)
        png = workdir / f"{name}.png"
        if not want_rle:
            if name == VECTORIZE_MASK:
                Image.fromarray(mask).save(png)
                manifest["vectorize_png"] = png
                break
            continue
        Image.fromarray(mask).save(png)
        ls_path, coco_path = workdir / f"{name}.ls.json", workdir / f"{name}.coco.json"
        write_json(ls_path, ls_rle(mask))
        write_json(coco_path, coco_rle(mask))
        manifest["masks"][name] = {"kind": kind, "png": png, "ls": ls_path, "coco": coco_path,
                                   "fill": float((mask != 0).mean())}
    if only in ("geometry", "all"):
        manifest["geometry"] = generate_geometry(workdir, seed)
    if not want_rle:
        return manifest

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
    manifest["vectorize_png"] = manifest["masks"][VECTORIZE_MASK]["png"]
    return manifest


def photo_image(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A photographic-looking RGB image: smooth gradients and soft blobs plus noise.

    Low-frequency content (so JPEG and PNG sizes are realistic and the
    resamplers see real structure) with sensor-like noise (luma sigma 6,
    chroma sigma 3); built in float32 rows of bands to bound memory.
    """
    out = np.empty((height, width, 3), np.uint8)
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)
    waves = [(rng.uniform(1, 6), rng.uniform(1, 6), rng.uniform(0, 6.3), rng.uniform(20, 60))
             for _ in range(3 * 3)]
    blobs = [(rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.03, 0.2), rng.uniform(-80, 80))
             for _ in range(3 * 6)]
    base = rng.uniform(60, 190, 3)
    band = 500
    for y0 in range(0, height, band):
        y1 = min(height, y0 + band)
        ys = np.linspace(y0 / height, y1 / height, y1 - y0, endpoint=False,
                         dtype=np.float32)[:, None]
        luma_noise = rng.normal(0, 6, (y1 - y0, width)).astype(np.float32)
        for c in range(3):
            v = np.full((y1 - y0, width), base[c], np.float32)
            for fx, fy, ph, amp in waves[3 * c:3 * c + 3]:
                v += amp * np.sin(6.2832 * fx * xs[None, :] + ph) * np.cos(6.2832 * fy * ys)
            for cx, cy, r, amp in blobs[6 * c:6 * c + 6]:
                v += amp * np.exp(-((xs[None, :] - cx) ** 2 + (ys - cy) ** 2) / (2 * r * r))
            v += luma_noise + rng.normal(0, 3, (y1 - y0, width)).astype(np.float32)
            out[y0:y1, :, c] = np.clip(v, 0, 255).astype(np.uint8)
    return out


def generate_imaging(workdir: Path, seed: int) -> dict[str, Path]:
    """Write photo_6000x4000.jpg (quality 90) and scan_4000x3000.png (its own seed)."""
    rng = np.random.default_rng([seed, 5])
    w, h = THUMB_JPEG_SIZE
    jpg = workdir / f"photo_{w}x{h}.jpg"
    Image.fromarray(photo_image(rng, w, h)).save(jpg, quality=THUMB_JPEG_QUALITY)
    w, h = THUMB_PNG_SIZE
    png = workdir / f"scan_{w}x{h}.png"
    Image.fromarray(photo_image(rng, w, h)).save(png, compress_level=6)
    return {"jpg": jpg, "png": png}


def star_polygon(rng: np.random.Generator, vertices: int,
                 radii: tuple[float, float]) -> np.ndarray:
    """Return a (vertices, 2) float64 array of pixel vertices of a star polygon.

    Centre uniform in the GEO_WIDTH x GEO_HEIGHT image, `vertices` angles drawn
    uniformly and sorted, radii uniform in `radii`: every ray from the centre
    crosses the boundary once, so the polygon is simple (it may reach past the
    image border, which every rasterizer clips).
    """
    cx, cy = rng.uniform(0, GEO_WIDTH), rng.uniform(0, GEO_HEIGHT)
    angles = np.sort(rng.uniform(0.0, 2.0 * np.pi, vertices))
    r = rng.uniform(radii[0], radii[1], vertices)
    return np.column_stack((cx + r * np.cos(angles), cy + r * np.sin(angles)))


def to_percent(xy: np.ndarray) -> list[list[float]]:
    """Pixel vertices -> Label Studio [[x%, y%], ...] (px / W * 100)."""
    pct = xy / np.array([GEO_WIDTH, GEO_HEIGHT], dtype=np.float64) * 100.0
    return pct.tolist()


def from_percent(points: list[list[float]], width: int, height: int) -> np.ndarray:
    """Label Studio [[x%, y%], ...] -> (n, 2) float64 pixels, as x / 100 * W (LabelKit's formula)."""
    pct = np.asarray(points, dtype=np.float64)
    return np.column_stack((pct[:, 0] / 100 * width, pct[:, 1] / 100 * height))


def ls_document(regions: list[dict]) -> dict[str, Any]:
    """A `labelkit rasterize` / `hit-test` input of the geometry image size."""
    return {"original_width": GEO_WIDTH, "original_height": GEO_HEIGHT, "regions": regions}


def generate_geometry(workdir: Path, seed: int) -> dict[str, Path]:
    """Generate the geometry inputs into `workdir`; return their paths.

    polygons_1000.ls.json: Label Studio polygonlabels regions, percent;
    polygons_1000.coco-polygons.json: {"width", "height", "polygons"} with the
    same vertices in pixels (derived back from the percent, as LabelKit does);
    ellipses_1000.ls.json: ellipselabels (centre x/y and radiusX/radiusY in
    percent of W/H, rotation in degrees); hit_scene_10000.ls.json and
    hit_points_100000.json ([{"x", "y"}, ...] in pixels).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 2])  # independent of the RLE generator
    paths: dict[str, Path] = {}

    polys = [to_percent(star_polygon(rng, POLY_VERTICES, POLY_RADII)) for _ in range(POLY_COUNT)]
    paths["polygons_ls"] = workdir / f"polygons_{POLY_COUNT}.ls.json"
    write_json(paths["polygons_ls"], ls_document(
        [{"id": f"p{i}", "type": "polygonlabels", "value": {"points": pts}}
         for i, pts in enumerate(polys)]))
    paths["polygons_coco"] = workdir / f"polygons_{POLY_COUNT}.coco-polygons.json"
    write_json(paths["polygons_coco"], {
        "width": GEO_WIDTH, "height": GEO_HEIGHT,
        "polygons": [from_percent(pts, GEO_WIDTH, GEO_HEIGHT).ravel().tolist() for pts in polys]})

    ellipses = []
    for i in range(ELLIPSE_COUNT):
        cx, cy = rng.uniform(0, GEO_WIDTH), rng.uniform(0, GEO_HEIGHT)
        a, b = rng.uniform(*ELLIPSE_AXES), rng.uniform(*ELLIPSE_AXES)
        ellipses.append({"id": f"e{i}", "type": "ellipselabels", "value": {
            "x": cx / GEO_WIDTH * 100, "y": cy / GEO_HEIGHT * 100,
            "radiusX": a / GEO_WIDTH * 100, "radiusY": b / GEO_HEIGHT * 100,
            "rotation": float(rng.uniform(0.0, 180.0))}})
    paths["ellipses_ls"] = workdir / f"ellipses_{ELLIPSE_COUNT}.ls.json"
    write_json(paths["ellipses_ls"], ls_document(ellipses))

    scene = [{"id": f"h{i}", "type": "polygonlabels", "hidden": False,
              "value": {"points": to_percent(star_polygon(
                  rng, int(rng.integers(HIT_VERTICES[0], HIT_VERTICES[1] + 1)), HIT_RADII))}}
             for i in range(HIT_POLYS)]
    paths["hit_scene"] = workdir / f"hit_scene_{HIT_POLYS}.ls.json"
    write_json(paths["hit_scene"], ls_document(scene))
    xs, ys = rng.uniform(0, GEO_WIDTH, HIT_POINTS), rng.uniform(0, GEO_HEIGHT, HIT_POINTS)
    paths["hit_points"] = workdir / f"hit_points_{HIT_POINTS}.json"
    write_json(paths["hit_points"], [{"x": x, "y": y} for x, y in zip(xs.tolist(), ys.tolist())])
    return paths


def export_mask(rng: np.random.Generator) -> np.ndarray:
    """Return a 0/255 uint8 EXPORT_HEIGHT x EXPORT_WIDTH mask of a few filled rotated ellipses."""
    mask = np.zeros((EXPORT_HEIGHT, EXPORT_WIDTH), dtype=np.uint8)
    for _ in range(int(rng.integers(EXPORT_ELLIPSES[0], EXPORT_ELLIPSES[1] + 1))):
        center = (int(rng.integers(0, EXPORT_WIDTH)), int(rng.integers(0, EXPORT_HEIGHT)))
        axes = (int(rng.integers(*EXPORT_AXES)), int(rng.integers(*EXPORT_AXES)))
        cv2.ellipse(mask, center, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
    return mask


#: Placeholders in the task templates, replaced by ids when a copy is written.
_TASK_ID, _ANNOTATION_ID = '"@@TASK@@"', '"@@ANNOTATION@@"'


def export_task_template(rng: np.random.Generator, index: int) -> str:
    """One Label Studio task as compact JSON, with placeholders for its ids.

    One annotation (completed_by 1, not cancelled) with EXPORT_RESULTS
    brushlabels results ("tag" -> "image", label "Cat"), each the
    label_studio_converter.brush.mask2rle RLE of an export_mask. Result ids
    are r<index>_<k>, the same in every copy.
    """
    results = []
    for k in range(int(rng.integers(EXPORT_RESULTS[0], EXPORT_RESULTS[1] + 1))):
        rle = [int(x) for x in ls_brush.mask2rle(export_mask(rng))]
        results.append({"id": f"r{index}_{k}", "type": "brushlabels", "from_name": "tag",
                        "to_name": "image", "original_width": EXPORT_WIDTH,
                        "original_height": EXPORT_HEIGHT, "image_rotation": 0,
                        "value": {"format": "rle", "rle": rle, "brushlabels": ["Cat"]}})
    task = {"id": "@@TASK@@", "data": {"image": f"/data/upload/1/image_{index}.jpg"},
            "annotations": [{"id": "@@ANNOTATION@@", "completed_by": 1, "was_cancelled": False,
                             "created_at": "2024-06-01T12:00:00.000000Z", "result": results}],
            "predictions": []}
    return json.dumps(task, separators=(",", ":"))


def write_tasks(path: Path, templates: list[str], copies: int | None = None,
                min_bytes: int = 0) -> tuple[int, int]:
    """Stream tasks from `templates` into a JSON array at `path`; return (tasks, bytes).

    Copy c of template i gets task id c * len(templates) + i + 1 and
    annotation id 10**9 + that, so every copy is a new task. Writes `copies`
    copies, or with min_bytes as many as it takes to reach that size; only
    one task string is in memory at a time.
    """
    n, written, count = len(templates), 0, 0
    with open(path, "w", encoding="utf-8") as f:
        f.write("[")
        written += 1
        copy = 0
        while (copies is not None and copy < copies) or (copies is None and written < min_bytes):
            for i, template in enumerate(templates):
                tid = copy * n + i + 1
                text = template.replace(_TASK_ID, str(tid), 1).replace(
                    _ANNOTATION_ID, str(10**9 + tid), 1)
                if count:
                    f.write(",\n")
                    written += 2
                f.write(text)
                written += len(text)
                count += 1
            copy += 1
        f.write("]\n")
    return count, path.stat().st_size


def generate_export(workdir: Path, seed: int) -> dict[str, Any]:
    """Generate the export inputs into `workdir`; return their paths and templates.

    export_1000.ls.json: EXPORT_TASKS tasks (ids 1..1000, annotation ids
    10**9 + task id); export_100.ls.json: its first EXPORT_SUBSET tasks. The
    templates stay in the manifest so --big can write more copies.
    """
    rng = np.random.default_rng([seed, 3])  # independent of the RLE and geometry data
    templates = [export_task_template(rng, i) for i in range(EXPORT_TASKS)]
    full = workdir / f"export_{EXPORT_TASKS}.ls.json"
    subset = workdir / f"export_{EXPORT_SUBSET}.ls.json"
    tasks, size = write_tasks(full, templates, copies=1)
    write_tasks(subset, templates[:EXPORT_SUBSET], copies=1)
    masks = sum(t.count('"brushlabels":["Cat"]') for t in templates)
    return {"full": full, "subset": subset, "templates": templates, "tasks": tasks,
            "masks": masks, "bytes": size}


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


def rs_decode(rle: list[int], height: int, width: int) -> np.ndarray:
    """Anchor: label-studio-brush-rle-rs -> row-major (H, W) alpha plane."""
    return np.ascontiguousarray(np.asarray(ls_rs.decode_rle(rle, False)).reshape(height, width, 4)[:, :, 3])


def rs_encode(mask: np.ndarray) -> list[int]:
    """Anchor: label-studio-brush-rle-rs brush RLE of a row-major mask (4 channels, as mask2rle)."""
    return ls_rs.encode_rle(np.repeat(mask.ravel(), 4), 8, [3, 4, 8, 16])


def coco_decode_nocopy(rle: dict) -> np.ndarray:
    """Anchor: COCO RLE -> Fortran-ordered mask view, with no row-major copy."""
    return coco_mask.decode(rle)


def load_ls_shapes(path: Path) -> tuple[int, int, list[dict]]:
    """Read a geometry regions file: (width, height, regions)."""
    doc = json.loads(Path(path).read_text())
    return int(doc["original_width"]), int(doc["original_height"]), doc["regions"]


def fill_polys_one_call(pts: list[np.ndarray], height: int, width: int) -> np.ndarray:
    """Anchor: one cv2.fillPoly call with every polygon.

    OpenCV fills the whole edge set at once, so where polygons overlap the
    parity cancels (even-odd across polygons, not their union).
    """
    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.fillPoly(mask, pts, 255)
    return mask


def fill_polys_each(pts_each: list[list[np.ndarray]], height: int, width: int) -> np.ndarray:
    """Anchor: one cv2.fillPoly call per polygon (their union, as LabelKit paints)."""
    mask = np.zeros((height, width), dtype=np.uint8)
    for pts in pts_each:
        cv2.fillPoly(mask, pts, 255)
    return mask


def fill_ellipses(params: list[tuple], height: int, width: int) -> np.ndarray:
    """Anchor: cv2.ellipse(..., 0, 360, 255, -1) per ellipse (integer centre and axes)."""
    mask = np.zeros((height, width), dtype=np.uint8)
    for center, axes, angle in params:
        cv2.ellipse(mask, center, axes, angle, 0, 360, 255, -1)
    return mask


def strtree_query(polys: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Anchor: build a shapely STRtree and query every point (vectorised)."""
    return shapely.STRtree(polys).query(points, predicate="intersects")


def hit_scene_geometries(path: Path) -> tuple[np.ndarray, list[np.ndarray]]:
    """Scene file -> (shapely polygons array, their pixel vertex arrays)."""
    w, h, regions = load_ls_shapes(path)
    coords = [from_percent(r["value"]["points"], w, h) for r in regions]
    return np.array([shapely.Polygon(c) for c in coords], dtype=object), coords


def hit_points(path: Path) -> np.ndarray:
    """Points file -> shapely points array."""
    pts = json.loads(Path(path).read_text())
    return shapely.points(np.array([[p["x"], p["y"]] for p in pts], dtype=np.float64))


def time_geometry_anchors(manifest: dict, add: Callable) -> None:
    """Time the geometry anchors (OpenCV, pycocotools, shapely) through `add`.

    Every input is read back from the generated files and converted to what
    the anchor takes (int32 vertices, Python float lists, shapely geometries)
    before the clock starts.
    """
    geo = manifest["geometry"]
    w, h, regions = load_ls_shapes(geo["polygons_ls"])
    px = [from_percent(r["value"]["points"], w, h) for r in regions]
    pts_int = [np.round(p).astype(np.int32) for p in px]
    pts_each = [[p] for p in pts_int]
    poly_name = f"polygons_{len(px)}x{POLY_VERTICES}v_{w}x{h}"
    add(poly_name, "cv2.fillPoly, 1 call (int32 vertices; even-odd over all)",
        ("rasterize", "ls", "polygons"), POLYGON_FILL_TARGET, lambda: fill_polys_one_call(pts_int, h, w))
    add(poly_name, "cv2.fillPoly x1000 (int32 vertices; union)",
        ("rasterize", "ls", "polygons"), POLYGON_FILL_TARGET, lambda: fill_polys_each(pts_each, h, w))

    coco_doc = json.loads(Path(geo["polygons_coco"]).read_text())
    flat, ch, cw = coco_doc["polygons"], int(coco_doc["height"]), int(coco_doc["width"])
    add(f"polygons_{len(flat)}x{POLY_VERTICES}v_{cw}x{ch} -> {len(flat)} RLEs",
        "COCO frPyObjects", ("rasterize", "coco", "polygons"), COCO_POLY_TARGET,
        lambda: coco_mask.frPyObjects(flat, ch, cw))

    w, h, regions = load_ls_shapes(geo["ellipses_ls"])
    params = []
    for r in regions:
        v = r["value"]
        cx, cy = v["x"] / 100 * w, v["y"] / 100 * h
        rx, ry = v["radiusX"] / 100 * w, v["radiusY"] / 100 * h
        params.append(((int(round(cx)), int(round(cy))), (int(round(rx)), int(round(ry))),
                       float(v.get("rotation", 0.0))))
    add(f"ellipses_{len(params)}_{w}x{h}", "cv2.ellipse x1000 (int centre/axes)",
        ("rasterize", "ls", "ellipses"), RASTER_TARGET, lambda: fill_ellipses(params, h, w))

    polys, _ = hit_scene_geometries(geo["hit_scene"])
    points = hit_points(geo["hit_points"])
    hit_name = f"hit_test_{len(polys)}_polys_{len(points)}_pts_{w}x{h}"
    add(hit_name, "shapely STRtree build + query", ("hit-test", "ls", "scene"), HIT_TARGET,
        lambda: strtree_query(polys, points))
    tree = shapely.STRtree(polys)
    add(hit_name, "shapely STRtree query only (prebuilt)", ("hit-test", "ls", "scene"),
        HIT_TARGET, lambda: tree.query(points, predicate="intersects"))

    mask = load_png(manifest["vectorize_png"])
    add(f"vectorize_{VECTORIZE_MASK}", "cv2.findContours CCOMP/NONE", ("vectorize", "png", "mask"),
        VECTORIZE_TARGET,
        lambda: cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE))


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
        if ls_rs is not None:
            rle = ls_doc["rle"]
            add(name, "LS decode_rle (brush-rle-rs)", ("decode", "ls", name), LS_RS_DECODE_TARGET,
                lambda: rs_decode(rle, h, w))
            add(name, "LS encode_rle (brush-rle-rs)", ("encode", "ls", name), PEER_TARGET,
                lambda: rs_encode(mask))
        if hotcoco_mask is not None:
            fortran = np.asfortranarray(mask != 0, dtype=np.uint8)
            row_major = np.ascontiguousarray(mask != 0, dtype=np.uint8)
            add(name, "hotcoco decode (+row-major copy)", ("decode", "coco", name),
                HOTCOCO_ROW_TARGET[info["kind"]],
                lambda: np.ascontiguousarray(hotcoco_mask.decode(coco_doc)))
            add(name, "hotcoco encode (row-major in)", ("encode", "coco", name), PEER_TARGET,
                lambda: hotcoco_mask.encode(row_major))
            add(name, "hotcoco decode (column-major out)", ("decode", "coco-cm", name), PEER_TARGET,
                lambda: hotcoco_mask.decode(coco_doc))
            add(name, "hotcoco encode (column-major in)", ("encode", "coco-cm", name), PEER_TARGET,
                lambda: hotcoco_mask.encode(fortran))

    if "merge" in manifest:
        time_set_anchors(manifest, add)
    if "geometry" in manifest:
        time_geometry_anchors(manifest, add)
    if "imaging" in manifest:
        time_imaging_anchors(manifest, add, log)
    return rows


def pillow_thumbnail(data: bytes, size: int) -> Image.Image:
    """Pillow's thumbnail from bytes in memory: thumbnail() drafts the JPEG decode
    (DCT scaling to at least 2x the target, reducing_gap=2.0), reduces, then LANCZOS."""
    im = Image.open(io.BytesIO(data))
    im.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return im


def pyvips_thumbnail(data: bytes, size: int) -> bytes:
    """pyvips' thumbnail from bytes in memory (shrink-on-load, lanczos3), computed."""
    return pyvips.Image.thumbnail_buffer(data, size).write_to_memory()


def time_imaging_anchors(manifest: dict, add: Callable, log: Callable[[str], None]) -> None:
    """Time the Pillow and pyvips thumbnail anchors through `add` (pyvips skipped without libvips)."""
    img = manifest["imaging"]
    if pyvips is not None:
        pyvips.cache_set_max(0)  # no operation cache: every call decodes again
    else:
        log(f"  pyvips unavailable, its thumbnail rows are skipped ({PYVIPS_ERROR}); "
            "install Debian's libvips (apt-get install libvips42) and pyvips")
    for fmt, (w, h) in (("jpg", THUMB_JPEG_SIZE), ("png", THUMB_PNG_SIZE)):
        data = Path(img[fmt]).read_bytes()
        workload = f"thumbnail_{fmt}_{w}x{h} -> {THUMB_SIZE}"
        key = ("thumbnail", fmt, str(THUMB_SIZE))
        add(workload, "Pillow thumbnail (draft, LANCZOS)", key, THUMB_TARGET,
            lambda data=data: pillow_thumbnail(data, THUMB_SIZE))
        if pyvips is not None:
            add(workload, "pyvips thumbnail_buffer", key, THUMB_TARGET,
                lambda data=data: pyvips_thumbnail(data, THUMB_SIZE))


def time_set_anchors(manifest: dict, add: Callable) -> None:
    """Time the COCO merge and IoU anchors (the RLE sets) through `add`."""
    merge_rles = json.loads(Path(manifest["merge"]).read_text())
    add(f"merge_{MERGE_COUNT}_{SET_WIDTH}x{SET_HEIGHT}", "COCO merge", ("merge", "coco", "merge"),
        COCO_TARGET, lambda: coco_mask.merge(merge_rles, intersect=False))

    dt = json.loads(Path(manifest["iou_dt"]).read_text())
    gt = json.loads(Path(manifest["iou_gt"]).read_text())
    crowd = [0] * len(gt)
    add(f"iou_{IOU_COUNT}x{IOU_COUNT}_{SET_WIDTH}x{SET_HEIGHT}", "COCO iou", ("iou", "coco", "iou"),
        COCO_TARGET, lambda: coco_mask.iou(dt, gt, crowd))


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
    """Build the `labelkit bench ...` command line for one LabelKit op."""
    op, fmt, name = key
    if op == "rasterize" and fmt == "coco":
        return [binary, "bench", "rasterize", "--coco-polygons",
                str(manifest["geometry"]["polygons_coco"]), "--runs", str(runs)]
    if op == "rasterize":
        return [binary, "bench", "rasterize", str(manifest["geometry"][f"{name}_ls"]),
                "--runs", str(runs)]
    if op == "hit-test":
        geo = manifest["geometry"]
        return [binary, "bench", "hit-test", str(geo["hit_scene"]),
                "--points", str(geo["hit_points"]), "--runs", str(runs)]
    if op == "vectorize":
        return [binary, "bench", "vectorize", str(manifest["vectorize_png"]), "--runs", str(runs)]
    if op == "thumbnail":
        return [binary, "bench", "thumbnail", str(manifest["imaging"][fmt]), "--size", name,
                "--runs", str(runs)]
    if op == "encode" and fmt == "coco-cm":
        return [binary, "bench", "rle", "encode", "--format", "coco", "--column-major",
                str(manifest["masks"][name]["png"]), "--runs", str(runs)]
    if op == "decode" and fmt == "coco-cm":
        return [binary, "bench", "rle", "decode", "--format", "coco", "--column-major",
                str(manifest["masks"][name]["coco"]), "--runs", str(runs)]
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
    geometry = cross_check_geometry(binary, manifest, timeout, log) if "geometry" in manifest else []
    if "merge" not in manifest:
        return geometry
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
        return checks + geometry
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
    return checks + geometry


def cross_check_geometry(binary: str, manifest: dict, timeout: float,
                         log: Callable[[str], None]) -> list[dict]:
    """Cross-check LabelKit's COCO polygon rasterizer and its hit-testing.

    Polygons: for each of the first POLY_CHECKS polygons, and for one
    three-part polygon, `labelkit rle encode --format coco --polygons ONE.json`
    must print the same size and counts as pycocotools
    merge(frPyObjects(parts, h, w)). Hit-test: `labelkit hit-test SCENE.json
    --points POINTS.json` must hit the same set of regions at every point as
    shapely's STRtree query with predicate "intersects" (points on a boundary
    are measure-zero for these random float points).
    """
    geo = manifest["geometry"]
    checks: list[dict] = []
    have = labelkit_available(binary)
    doc = json.loads(Path(geo["polygons_coco"]).read_text())
    h, w, flat = int(doc["height"]), int(doc["width"]), doc["polygons"]
    cases = [(f"polygon_{i}", [flat[i]]) for i in range(min(POLY_CHECKS, len(flat)))]
    if len(flat) >= POLY_CHECKS + 3:
        cases.append((f"polygon_{POLY_CHECKS}-{POLY_CHECKS + 2} (3 parts)",
                      flat[POLY_CHECKS:POLY_CHECKS + 3]))
    check_dir = Path(geo["polygons_coco"]).parent / "polygon_checks"
    check_dir.mkdir(exist_ok=True)
    for k, (name, parts) in enumerate(cases):
        fmt = "coco --polygons"
        if not have:
            checks.append({"workload": name, "format": fmt, "result": "n/a"})
            continue
        one = check_dir / f"check_{k}.coco-polygons.json"
        write_json(one, {"width": w, "height": h, "polygons": parts})
        cmd = [binary, "rle", "encode", "--format", "coco", "--polygons", str(one)]
        log("  $ " + " ".join(cmd))
        out, err = run_json(cmd, timeout)
        ref = coco_mask.merge(coco_mask.frPyObjects(parts, h, w), intersect=False)
        if out is None:
            result = f"error: {err}"
        elif not isinstance(out, dict) or "counts" not in out:
            result = "error: no 'counts' in output"
        else:
            same = (out["counts"] == ref["counts"].decode("ascii")
                    and list(out.get("size", [])) == [int(v) for v in ref["size"]])
            result = "yes" if same else "no"
        checks.append({"workload": name, "format": fmt, "result": result})

    hit_name = f"hit_test_{HIT_POLYS}_polys_{HIT_POINTS}_pts"
    if not have:
        checks.append({"workload": hit_name, "format": "same hits", "result": "n/a"})
        return checks
    cmd = [binary, "hit-test", str(geo["hit_scene"]), "--points", str(geo["hit_points"])]
    log("  $ " + " ".join(cmd))
    out, err = run_json(cmd, timeout)
    if out is None:
        result = f"error: {err}"
    elif not isinstance(out, list) or not all(isinstance(p, dict) and "hits" in p for p in out):
        result = "error: expected [{\"hits\": [...]}, ...]"
    else:
        polys, _ = hit_scene_geometries(geo["hit_scene"])
        regions = json.loads(Path(geo["hit_scene"]).read_text())["regions"]
        ids = [r["id"] for r in regions]
        points = hit_points(geo["hit_points"])
        point_idx, poly_idx = strtree_query(polys, points)
        want: list[set[str]] = [set() for _ in range(len(points))]
        for pi, gi in zip(point_idx.tolist(), poly_idx.tolist()):
            want[pi].add(ids[gi])
        if len(out) != len(points):
            result = f"no: {len(out)} answers for {len(points)} points"
        else:
            diff = sum(1 for got, ref in zip(out, want) if set(got["hits"]) != ref)
            result = "yes" if diff == 0 else f"no: {diff} of {len(points)} points differ"
    checks.append({"workload": hit_name, "format": "same hits", "result": result})
    return checks


# --------------------------------------------------------------------------
# Export workloads (--only export, --big)
# --------------------------------------------------------------------------

def export_command(binary: str, src: Path, to: str, out: Path, jobs: int) -> list[str]:
    """The `labelkit export` command line that is timed."""
    return [binary, "export", str(src), "--to", to, "-o", str(out), "--annotations", "all",
            "--quiet", "--jobs", str(jobs)]


def run_converter(src: Path, out: Path) -> float:
    """Anchor: label-studio-converter BRUSH_TO_PNG of `src` into a fresh `out`; seconds."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    converter = Converter(config=EXPORT_LABEL_CONFIG, project_dir=None)
    converter.convert(str(src), str(out), "BRUSH_TO_PNG", is_dir=False)
    return time.perf_counter() - start


def run_process(cmd: list[str], timeout: float) -> tuple[float | None, str]:
    """Run `cmd` once; return (wall seconds, '') or (None, error text)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    return elapsed, ""


def time_export(binary: str, src: Path, jobs: int, outroot: Path, keep: Path | None,
                runs: int, max_seconds: float, timeout: float,
                log: Callable[[str], None]) -> Timing | str:
    """Time `labelkit export SRC --to png ... --jobs JOBS` as a whole process.

    One warm-up run (into `keep` when given, left there for the cross-check),
    then up to `runs` timed runs, each into a fresh output folder that is
    removed afterwards (so no run resumes from a journal); stops once the
    timed runs used `max_seconds`, but not before 3 (or `runs`).
    """
    warm = keep or outroot / f"warmup_jobs{jobs}"
    shutil.rmtree(warm, ignore_errors=True)
    log("  $ " + " ".join(export_command(binary, src, "png", warm, jobs)))
    _, err = run_process(export_command(binary, src, "png", warm, jobs), timeout)
    if err:
        return err
    if keep is None:
        shutil.rmtree(warm, ignore_errors=True)
    samples: list[float] = []
    floor = min(3, runs)
    while len(samples) < runs:
        out = outroot / f"run_jobs{jobs}_{len(samples)}"
        shutil.rmtree(out, ignore_errors=True)
        elapsed, err = run_process(export_command(binary, src, "png", out, jobs), timeout)
        shutil.rmtree(out, ignore_errors=True)
        if elapsed is None:
            return err
        samples.append(elapsed)
        if sum(samples) >= max_seconds and len(samples) >= floor:
            break
    return Timing(statistics.median(samples), min(samples), len(samples), len(samples) < runs)


def check_export(lk_dir: Path, conv_dir: Path, task_ids: set[int], rng: np.random.Generator,
                 workload: str) -> list[dict]:
    """Cross-check LabelKit's PNG export against the converter's.

    File names: the converter's PNG names must equal LabelKit's PNG names of
    the tasks the converter exported (`task_ids`). Pixels: EXPORT_CHECK_PNGS
    names drawn at random must decode (PIL, as stored) to equal arrays.
    """
    conv = {p.name for p in conv_dir.glob("*.png")}
    lk_all = {p.relative_to(lk_dir).as_posix() for p in lk_dir.rglob("*.png")}
    pat = re.compile(r"task-(\d+)-")
    lk = {n for n in lk_all if (m := pat.match(n)) and int(m.group(1)) in task_ids}
    if conv == lk and conv:
        names = f"yes ({len(conv)} PNGs)"
    else:
        only_c, only_l = sorted(conv - lk), sorted(lk - conv)
        names = (f"no: {len(only_c)} only from the converter (e.g. {only_c[:1]}), "
                 f"{len(only_l)} only from LabelKit (e.g. {only_l[:1]}), {len(conv & lk)} shared")
    checks = [{"workload": workload, "format": "png", "kind": "same file names",
               "result": names}]
    shared = sorted(conv & lk)
    sample = [shared[i] for i in rng.choice(len(shared), min(EXPORT_CHECK_PNGS, len(shared)),
                                            replace=False)] if shared else []
    differ = []
    for name in sample:
        with Image.open(conv_dir / name) as a, Image.open(lk_dir / name) as b:
            if a.size != b.size or not np.array_equal(np.asarray(a.convert("L")),
                                                      np.asarray(b.convert("L"))):
                differ.append(name)
    if not sample:
        pixels = "error: no PNG in common"
    elif differ:
        pixels = f"no: {len(differ)} of {len(sample)} differ (e.g. {differ[0]})"
    else:
        pixels = f"yes ({len(sample)} of {len(sample)})"
    checks.append({"workload": workload, "format": "png", "kind": "pixel-identical sample",
                   "result": pixels})
    return checks


def run_export(binary: str, manifest: dict, workdir: Path, args: argparse.Namespace,
               log: Callable[[str], None]) -> tuple[list[dict], list[dict], list[str]]:
    """Time the export anchor and `labelkit export`; return (rows, checks, notes).

    The converter is timed once (it takes minutes): first on the
    EXPORT_SUBSET-task file; when 10x that is at most CONVERTER_FULL_LIMIT
    seconds, again on the full file (that run is the one reported), otherwise
    the subset time scaled by EXPORT_TASKS / EXPORT_SUBSET is reported.
    """
    exp = manifest["export"]
    workload = (f"export_{exp['tasks']}_tasks_{exp['masks']}_brushes_"
                f"{EXPORT_WIDTH}x{EXPORT_HEIGHT} -> png")
    outroot = workdir / "export_out"
    outroot.mkdir(exist_ok=True)
    notes: list[str] = []

    log(f"  anchor label-studio-converter BRUSH_TO_PNG, {EXPORT_SUBSET} tasks ...")
    conv_sub = outroot / "converter_subset"
    t_sub = run_converter(exp["subset"], conv_sub)
    scale = EXPORT_TASKS / EXPORT_SUBSET
    if t_sub * scale <= CONVERTER_FULL_LIMIT:
        log(f"  anchor label-studio-converter BRUSH_TO_PNG, {EXPORT_TASKS} tasks ...")
        conv_dir = outroot / "converter"
        t_conv = run_converter(exp["full"], conv_dir)
        shutil.rmtree(conv_sub, ignore_errors=True)
        conv_ids = set(range(1, EXPORT_TASKS + 1))
        anchor = "LS Converter BRUSH_TO_PNG (1 run)"
        notes.append(f"the converter ran once on all {EXPORT_TASKS} tasks "
                     f"({t_conv:.1f} s; its {EXPORT_SUBSET}-task run took {t_sub:.1f} s)")
    else:
        conv_dir, t_conv = conv_sub, t_sub * scale
        conv_ids = set(range(1, EXPORT_SUBSET + 1))
        anchor = f"LS Converter BRUSH_TO_PNG ({EXPORT_SUBSET}-task run x{scale:g})"
        notes.append(f"the converter's time is its {EXPORT_SUBSET}-task run ({t_sub:.1f} s) "
                     f"x{scale:g}: the full file was estimated above "
                     f"{CONVERTER_FULL_LIMIT:g} s; file names are checked on those tasks")
    conv_timing = Timing(t_conv, t_conv, 1)

    lk_keep = outroot / "labelkit_jobs2"
    if labelkit_available(binary):
        jobs1 = time_export(binary, exp["full"], 1, outroot, None, args.runs, args.max_seconds,
                            args.timeout, log)
        jobs2 = time_export(binary, exp["full"], 2, outroot, lk_keep, args.runs,
                            args.max_seconds, args.timeout, log)
    else:
        jobs1 = jobs2 = "binary missing"
    cmd1 = " ".join(export_command(binary, exp["full"], "png", Path("OUT"), 1))
    cmd2 = " ".join(export_command(binary, exp["full"], "png", Path("OUT"), 2))
    rows = [{"workload": workload, "anchor": anchor, "lk_key": ("export", "png", "jobs2"),
             "target": EXPORT_TARGET, "anchor_timing": conv_timing, "labelkit_command": cmd2},
            {"workload": workload, "anchor": "labelkit export --jobs 1",
             "lk_key": ("export", "png", "jobs2"), "target": JOBS_TARGET,
             "anchor_timing": jobs1 if isinstance(jobs1, Timing) else Timing(0.0, 0.0, 0),
             "labelkit_command": cmd2, "anchor_command": cmd1}]
    finish_rows(rows, {("export", "png", "jobs2"): jobs2})
    if isinstance(jobs1, str):
        rows[1]["labelkit_error"] = f"--jobs 1: {jobs1}"
        rows[1]["speedup"] = rows[1]["met"] = None
    if isinstance(jobs1, Timing) and isinstance(jobs2, Timing):
        notes.append(f"labelkit export timed as whole processes (wall clock), fresh output "
                     f"folder per run: --jobs 1 {jobs1.runs} runs, --jobs 2 {jobs2.runs} runs "
                     f"after 1 warm-up each")

    if isinstance(jobs2, Timing):
        checks = check_export(lk_keep, conv_dir, conv_ids,
                              np.random.default_rng([args.seed, 4]), workload)
    else:
        checks = [{"workload": workload, "format": "png", "kind": "same file names",
                   "result": "n/a" if jobs2 == "binary missing" else f"error: {jobs2}"}]
    if not args.keep:
        shutil.rmtree(outroot, ignore_errors=True)
    return rows, checks, notes


# --------------------------------------------------------------------------
# Imaging: thumbnail cross-check, Deep Zoom pyramid (--only imaging)
# --------------------------------------------------------------------------

def check_thumbnails(binary: str, manifest: dict, workdir: Path, timeout: float,
                     log: Callable[[str], None]) -> list[dict]:
    """`labelkit thumbnail --size 256 -o t.png` against Pillow and pyvips: same size, and
    the mean absolute difference from pyvips' result (both Lanczos3 after shrink-on-load)."""
    checks = []
    for fmt in ("jpg", "png"):
        src = Path(manifest["imaging"][fmt])
        workload = f"thumbnail_{src.stem} -> {THUMB_SIZE}"
        out = workdir / f"lk_thumb_{fmt}.png"
        cmd = [binary, "thumbnail", str(src), "--size", str(THUMB_SIZE), "-o", str(out)]
        _, err = run_process(cmd, timeout) if labelkit_available(binary) else (None, "binary missing")
        if err:
            checks.append({"workload": workload, "format": fmt, "kind": "same size as Pillow/pyvips",
                           "result": f"error: {err}"})
            continue
        with Image.open(out) as im:
            lk = np.asarray(im.convert("RGB"), dtype=np.int16)
        pil = pillow_thumbnail(src.read_bytes(), THUMB_SIZE)
        sizes = {"labelkit": lk.shape[1::-1], "Pillow": pil.size}
        diff = ""
        if pyvips is not None:
            v = pyvips.Image.thumbnail_buffer(src.read_bytes(), THUMB_SIZE)
            sizes["pyvips"] = (v.width, v.height)
            ref = np.ndarray(buffer=v.write_to_memory(), dtype=np.uint8,
                             shape=(v.height, v.width, v.bands)).astype(np.int16)
            if ref.shape == lk.shape:
                mad = float(np.abs(ref - lk).mean())
                diff = f", mean |labelkit - pyvips| {mad:.2f}"
                if mad > THUMB_MAX_DIFF:
                    diff = f"; no: mean |labelkit - pyvips| {mad:.2f} > {THUMB_MAX_DIFF:g}"
        same = len(set(sizes.values())) == 1
        text = "x".join(map(str, sizes["labelkit"]))
        result = (f"yes ({text}{diff})" if same and not diff.startswith("; no")
                  else f"no: {sizes}{diff}")
        checks.append({"workload": workload, "format": fmt,
                       "kind": "same size as " + "/".join(k for k in sizes if k != "labelkit"),
                       "result": result})
    return checks


def tiles_command(binary: str, src: Path, out: Path) -> list[str]:
    """The timed `labelkit tiles` command (Deep Zoom, libvips dzsave defaults, Q=85)."""
    return [binary, "tiles", str(src), "--layout", "dzi", "-o", str(out), "--tile-size",
            str(DZ_TILE), "--overlap", str(DZ_OVERLAP), "--quality", str(DZ_QUALITY), "--quiet"]


def dzsave_command(vips: str, src: Path, out: Path) -> list[str]:
    """The timed `vips dzsave` command; writes OUT/<stem>.dzi and OUT/<stem>_files."""
    return [vips, "dzsave", str(src), str(out / src.stem), "--tile-size", str(DZ_TILE),
            "--overlap", str(DZ_OVERLAP), "--suffix", f".jpg[Q={DZ_QUALITY}]"]


def time_process(make_cmd: Callable[[Path], list[str]], outroot: Path, tag: str, keep: Path,
                 runs: int, max_seconds: float, timeout: float,
                 log: Callable[[str], None]) -> Timing | str:
    """Wall time of a whole process writing into a fresh folder per run.

    One warm-up run into `keep` (left there for the cross-check), then up to
    `runs` timed runs, each into a new folder removed afterwards; stops once
    the timed runs used `max_seconds`, but not before 3 (or `runs`).
    """
    shutil.rmtree(keep, ignore_errors=True)
    keep.mkdir(parents=True)
    log("  $ " + " ".join(make_cmd(keep)))
    _, err = run_process(make_cmd(keep), timeout)
    if err:
        return err
    samples: list[float] = []
    floor = min(3, runs)
    while len(samples) < runs:
        out = outroot / f"{tag}_run{len(samples)}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        elapsed, err = run_process(make_cmd(out), timeout)
        shutil.rmtree(out, ignore_errors=True)
        if elapsed is None:
            return err
        samples.append(elapsed)
        if sum(samples) >= max_seconds and len(samples) >= floor:
            break
    return Timing(statistics.median(samples), min(samples), len(samples), len(samples) < runs)


def tile_files(root: Path) -> set[str]:
    """Relative paths of the tiles under a NAME_files folder (vips' metadata file left out)."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and p.name != "vips-properties.xml"}


def run_tiles(binary: str, manifest: dict, workdir: Path, args: argparse.Namespace,
              log: Callable[[str], None]) -> tuple[list[dict], list[dict], list[str]]:
    """Time `vips dzsave` and `labelkit tiles` on the JPEG; return (rows, checks, notes)."""
    src = Path(manifest["imaging"]["jpg"])
    w, h = THUMB_JPEG_SIZE
    workload = f"deepzoom_{w}x{h}_jpg ({DZ_TILE}/{DZ_OVERLAP}, Q={DZ_QUALITY})"
    outroot = workdir / "tiles_out"
    vips = shutil.which("vips")
    key = ("tiles", "dzi", "jpg")
    lk_cmd = " ".join(tiles_command(binary, src, Path("OUT")))
    if vips is None:
        log("  vips CLI not found: the Deep Zoom row is skipped (apt-get install libvips-tools)")
        return [], [], ["Deep Zoom row skipped: the `vips` CLI (Debian libvips-tools) is not installed"]
    vips_keep, lk_keep = outroot / "vips", outroot / "labelkit"
    anchor = time_process(lambda out: dzsave_command(vips, src, out), outroot, "vips", vips_keep,
                          args.runs, args.max_seconds, args.timeout, log)
    if labelkit_available(binary):
        lk = time_process(lambda out: tiles_command(binary, src, out), outroot, "labelkit", lk_keep,
                          args.runs, args.max_seconds, args.timeout, log)
    else:
        lk = "binary missing"
    if isinstance(anchor, str):
        log(f"    vips dzsave failed: {anchor}")
        return [], [], [f"Deep Zoom row skipped: vips dzsave failed ({anchor})"]
    row = {"workload": workload, "anchor": "vips dzsave (whole process)", "lk_key": key,
           "target": DZSAVE_TARGET, "anchor_timing": anchor, "labelkit_command": lk_cmd,
           "anchor_command": " ".join(dzsave_command(vips, src, Path("OUT")))}
    finish_rows([row], {key: lk})
    checks = []
    if isinstance(lk, Timing):
        theirs, ours = tile_files(vips_keep / f"{src.stem}_files"), tile_files(lk_keep / f"{src.stem}_files")
        if theirs == ours and theirs:
            result = f"yes ({len(ours)} tiles)"
            # Pixels of a sample of tiles (both JPEG Q=85 of the same level): mean |diff|.
            sample = sorted(ours)[:: max(1, len(ours) // 20)]
            diffs = []
            for name in sample:
                with Image.open(vips_keep / f"{src.stem}_files" / name) as a, \
                        Image.open(lk_keep / f"{src.stem}_files" / name) as b:
                    if a.size != b.size:
                        diffs.append(float("inf"))
                        continue
                    diffs.append(float(np.abs(np.asarray(a.convert("RGB"), np.int16)
                                              - np.asarray(b.convert("RGB"), np.int16)).mean()))
            worst = max(diffs)
            result = (f"yes ({len(ours)} tiles; mean |diff| of {len(sample)} sampled tiles "
                      f"at most {worst:.2f})" if worst <= THUMB_MAX_DIFF else
                      f"no: tile pixels differ (mean |diff| up to {worst:.2f})")
        else:
            result = (f"no: {len(theirs - ours)} only from vips (e.g. {sorted(theirs - ours)[:1]}), "
                      f"{len(ours - theirs)} only from labelkit (e.g. {sorted(ours - theirs)[:1]})")
        checks.append({"workload": workload, "format": "dzi", "kind": "same tile files as vips dzsave",
                       "result": result})
    notes = [f"Deep Zoom: both timed as whole processes (wall clock, decode + pyramid + JPEG "
             f"encode + files), fresh output folder per run, 1 warm-up; labelkit tiles on "
             f"{os.cpu_count()} threads, vips with its default thread pool"]
    if not args.keep:
        shutil.rmtree(outroot, ignore_errors=True)
    return [row], checks, notes


def parse_time_v(stderr: str) -> tuple[float | None, float | None]:
    """From `/usr/bin/time -v` output: (peak RSS in MB of 2**20 bytes, wall seconds)."""
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \([^)]*\): ([\d:.]+)", stderr)
    seconds = None
    if wall:
        seconds = 0.0
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    return (int(rss.group(1)) / 1024 if rss else None), seconds


def run_big(binary: str, manifest: dict, workdir: Path, args: argparse.Namespace,
            log: Callable[[str], None]) -> list[dict]:
    """--big: peak memory of `labelkit export` on a ~args.big_gb GB file; return rows.

    Streams copies of the export tasks (new ids) into big.ls.json until it
    holds args.big_gb * 10**9 bytes, then runs `/usr/bin/time -v labelkit
    export big.ls.json --to coco|png -o OUT --quiet --jobs 2` for each of
    args.big_to and reads "Maximum resident set size". The big file and the
    outputs are deleted afterwards unless --keep.
    """
    exp = manifest["export"]
    big = workdir / "big.ls.json"
    log(f"  writing {big} (~{args.big_gb:g} GB) ...")
    tasks, size = write_tasks(big, exp["templates"], min_bytes=int(args.big_gb * 1e9))
    workload = f"big_{tasks}_tasks_{size / 1e9:.2f}_GB"
    rows = []
    try:
        for to in args.big_to:
            out = workdir / f"big_out_{to}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = ["/usr/bin/time", "-v"] + export_command(binary, big, to, out, 2)
            cmd.remove("--annotations")
            cmd.remove("all")
            log("  $ " + " ".join(cmd))
            row = {"workload": workload, "to": to, "command": " ".join(cmd[2:]),
                   "rss_mb": None, "wall_s": None, "error": None, "goal_mb": RSS_GOAL_MB}
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True,
                                      timeout=max(args.timeout, 7200.0))
                row["rss_mb"], row["wall_s"] = parse_time_v(proc.stderr)
                if proc.returncode < 0:
                    row["error"] = f"killed by signal {-proc.returncode} (not by this script)"
                elif proc.returncode != 0:
                    row["error"] = f"exit {proc.returncode}: " + "\n".join(
                        ln for ln in proc.stderr.splitlines() if not ln.startswith("\t"))[-300:]
                elif row["rss_mb"] is None:
                    row["error"] = "no 'Maximum resident set size' in /usr/bin/time -v output"
            except (OSError, subprocess.TimeoutExpired) as exc:
                row["error"] = str(exc)
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
            rows.append(row)
    finally:
        if not args.keep:
            big.unlink(missing_ok=True)
    return rows


def memory_table(rows: list[dict]) -> str:
    """Render the --big peak-memory rows as Markdown."""
    out = ["| workload | command | wall (s) | peak RSS (MB) | goal | met? |",
           "|---|---|---:|---:|---:|:-:|"]
    for r in rows:
        rss, wall = r["rss_mb"], r["wall_s"]
        met = "n/a" if r["error"] or rss is None else ("yes" if rss < r["goal_mb"] else "NO")
        out.append(f"| {r['workload']} -> {r['to']} | `{r['command']}` "
                   f"| {'n/a' if wall is None else f'{wall:.1f}'} "
                   f"| {'n/a' if rss is None else f'{rss:.1f}'} | < {r['goal_mb']:g} MB | {met} |")
    return "\n".join(out)


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
    for dist in ("label-studio-converter", "pycocotools", "hotcoco", "label-studio-brush-rle-rs",
                 "opencv-python-headless", "shapely", "numpy", "Pillow"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    versions["pyvips"] = (f"{importlib.metadata.version('pyvips')} (libvips "
                          f"{pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)})"
                          if pyvips is not None else "unavailable")
    vips = shutil.which("vips")
    if vips:
        try:
            versions["vips"] = subprocess.run([vips, "--version"], capture_output=True, text=True,
                                              timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            versions["vips"] = "n/a"
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
        speed = ("n/a" if r["speedup"] is None
                 else f"{r['speedup']:.2f}x" if r["speedup"] < 10 else f"{r['speedup']:.1f}x")
        met = "n/a" if r["met"] is None else ("yes" if r["met"] else "NO")
        anchor_t = r["anchor_timing"]
        out.append(f"| {r['workload']} | {r['anchor']} "
                   f"| {fmt_ms(anchor_t.median_s if anchor_t.runs else None)} "
                   f"| {fmt_ms(lk_t.median_s if lk_t else None)} | {speed} "
                   f"| >= {r['target']:g}x | {met} |")
    return "\n".join(out)


def json_report(machine: dict, versions: dict, args: argparse.Namespace,
                rows: list[dict], checks: list[dict], memory: list[dict] | None = None) -> dict:
    """Build the --json document: machine, versions, settings, rows, cross-checks, --big rows."""
    def timing(t: Timing | None) -> dict | None:
        return None if t is None else {"median_s": t.median_s, "min_s": t.min_s,
                                       "runs": t.runs, "capped": t.capped}
    return {
        "machine": machine, "versions": versions,
        "settings": {"runs": args.runs, "max_seconds": args.max_seconds, "seed": args.seed,
                     "only": args.only, "big": args.big},
        "rows": [{"workload": r["workload"], "anchor": r["anchor"],
                  "labelkit_op": "/".join(r["lk_key"][:2]),
                  "labelkit_command": r.get("labelkit_command"),
                  "anchor_command": r.get("anchor_command"),
                  "anchor_timing": timing(r["anchor_timing"]),
                  "labelkit_timing": timing(r["labelkit_timing"]),
                  "labelkit_error": r["labelkit_error"], "speedup": r["speedup"],
                  "target": r["target"], "met": r["met"]} for r in rows],
        "byte_identical": checks,
        "peak_memory": memory or [],
    }


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Time the anchors (label_studio_converter.brush, pycocotools.mask, "
                    "OpenCV, shapely) and LabelKit's `labelkit bench` on the same seeded data, "
                    "cross-check LabelKit's RLE and hit-test output, and print a Markdown "
                    "ratio table.",
        epilog="example:\n  .venv-compare/bin/python Scripts/compare.py "
               "--labelkit .build/release/labelkit --runs 20 --json out/compare.json\n\n"
               "exit status: 0 if every LabelKit command ran and every cross-check that ran "
               "matched, else 1 (the table is printed either way; a failing op that may not "
               "exist yet, " + ", ".join(sorted(PENDING_OPS)) + ", reads n/a without failing).",
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
    parser.add_argument("--only", choices=SELECTIONS, default="all",
                        help="which workloads to run: rle (RLE codecs, merge, IoU), geometry "
                             "(polygon/ellipse rasterizing, COCO polygons, hit-testing, "
                             "vectorising), export (1,000 brush tasks to PNG: "
                             "label-studio-converter vs `labelkit export`), imaging (256 px "
                             "thumbnails of a 6000x4000 JPEG and a 4000x3000 PNG: Pillow and "
                             "pyvips vs `labelkit bench thumbnail`; a Deep Zoom pyramid: "
                             "`vips dzsave` vs `labelkit tiles`) or all "
                             "(default: %(default)s), e.g. --only export")
    parser.add_argument("--big", action="store_true",
                        help="with --only export or all: also write a ~2 GB export (--big-gb) "
                             "and report the peak resident memory of `labelkit export` on it "
                             "(/usr/bin/time -v; several minutes, 2 GB of disk), e.g. --big")
    parser.add_argument("--big-gb", type=float, default=2.0, metavar="GB",
                        help="size of the --big file in 10**9 bytes (default: %(default)s), "
                             "e.g. --big-gb 0.5")
    parser.add_argument("--big-to", nargs="+", choices=("coco", "png"),
                        default=["coco", "png"], metavar="FMT",
                        help="formats --big exports to: coco, png or both "
                             "(default: coco png), e.g. --big-to coco")
    parser.add_argument("--keep", action="store_true",
                        help="keep the export outputs and the --big file (default: delete "
                             "them once measured), e.g. --keep --workdir out/compare")
    parser.add_argument("--seed", type=int, default=20240601, metavar="N",
                        help="seed for the generated data (default: %(default)s), e.g. --seed 7")
    parser.add_argument("--timeout", type=float, default=900.0, metavar="S",
                        help="kill a single labelkit call after S seconds "
                             "(default: %(default)s), e.g. --timeout 300")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.big and args.only not in ("export", "all"):
        parser.error("--big needs --only export or --only all")
    return args


def run(args: argparse.Namespace, workdir: Path) -> int:
    """Generate, time, cross-check and report; return the exit status."""
    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    binary = str(Path(args.labelkit)) if args.labelkit else ""
    machine, versions = machine_info(), library_versions(binary)

    log(f"generating inputs in {workdir} (seed {args.seed}) ...")
    manifest = generate(workdir, args.seed, args.only)
    log("timing anchors ...")
    rows = time_anchors(manifest, args.runs, args.max_seconds, log)
    log("timing LabelKit ...")
    lk = time_labelkit(binary, [r["lk_key"] for r in rows], manifest, args.runs,
                       args.timeout, log)
    finish_rows(rows, lk)
    for row in rows:
        row["labelkit_command"] = " ".join(bench_command(binary, row["lk_key"], manifest, args.runs))
    log("cross-checking LabelKit output ...")
    checks = cross_check(binary, manifest, args.timeout, log)
    export_notes: list[str] = []
    memory: list[dict] = []
    if "imaging" in manifest:
        log("cross-checking thumbnails; timing the Deep Zoom pyramid (vips dzsave, labelkit tiles) ...")
        checks += check_thumbnails(binary, manifest, workdir, args.timeout, log)
        tile_rows, tile_checks, tile_notes = run_tiles(binary, manifest, workdir, args, log)
        rows += tile_rows
        checks += tile_checks
        export_notes += tile_notes
        if pyvips is None:
            export_notes.append(f"pyvips thumbnail rows skipped: {PYVIPS_ERROR}")
    if "export" in manifest:
        log("timing the export (label-studio-converter, labelkit export) ...")
        export_rows, export_checks, export_notes = run_export(binary, manifest, workdir, args, log)
        rows += export_rows
        checks += export_checks
        if args.big:
            if labelkit_available(binary):
                log("peak memory on a big export (--big) ...")
                memory = run_big(binary, manifest, workdir, args, log)
            else:
                log("  --big skipped: LabelKit binary missing")

    print(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['os']}, "
          f"Python {machine['python']}")
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"Runs: {args.runs} after 1 warm-up (anchors stop after {args.max_seconds:g} s "
          f"of timed runs, but not before {min(3, args.runs)}); seed {args.seed}\n")
    print(markdown_table(rows))
    if "geometry" in manifest:
        print("\n" + GEOMETRY_NOTES)
    if export_notes:
        print("\nNotes: " + "; ".join(export_notes) + ".")
    if memory:
        print("\nPeak memory (--big; /usr/bin/time -v, Maximum resident set size, "
              "MB = 2**20 bytes; wall clock from the same):\n")
        print(memory_table(memory))
        for r in memory:
            if r["error"]:
                print(f"- {r['workload']} -> {r['to']}: {r['error']}")
    capped = [r for r in rows if r["anchor_timing"].capped]
    if capped:
        print("\nAnchor rows timed over fewer runs (--max-seconds): " + ", ".join(
            f"{r['workload']} {r['anchor']} ({r['anchor_timing'].runs})" for r in capped))
    failed = {r["lk_key"]: r["labelkit_error"] for r in rows if r["labelkit_error"]}
    pending = {k for k in failed if k[0] in PENDING_OPS}
    if failed and len(set(failed.values())) == 1:
        print(f"\nLabelKit ops that did not run: all {len(failed)}: {next(iter(failed.values()))}")
    elif failed:
        print("\nLabelKit ops that did not run: " + "; ".join(
            f"{'/'.join(k)}: {v}" for k, v in failed.items()))
    if pending:
        print("(" + ", ".join(sorted("/".join(k) for k in pending)) + ": may not exist yet, "
              "not counted in the exit status)")
    print("\nCross-checks (labelkit rle encode / hit-test / export output vs anchor):")
    for c in checks:
        kind = c.get("kind") or ("same hits" if c["format"] == "same hits" else "byte-identical")
        fmt = "" if c["format"] == "same hits" else f" {c['format']}"
        print(f"- {c['workload']}{fmt}: {kind}: {c['result']}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(json_report(machine, versions, args, rows, checks,
                                                    memory), indent=2, default=str))
        print(f"\nRaw numbers written to {args.json}")

    mismatch = any(c["result"].startswith(("no", "error")) for c in checks)
    hard_failed = {k for k in failed if k not in pending}
    big_failed = any(r["error"] for r in memory)
    return 1 if hard_failed or mismatch or big_failed or not labelkit_available(binary) else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse flags, pick the work directory, run."""
    args = parse_args(argv)
    if args.workdir:
        return run(args, args.workdir)
    with tempfile.TemporaryDirectory(prefix="labelkit-compare-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
