#!/usr/bin/env python3
"""Writes the seed corpora of the LabelKit fuzzers into Fuzz/Corpus/<target>/ from the
test fixtures (Tests/Fixtures, SampleImages) plus a few hand-written edge cases.

    python3 Fuzz/Scripts/make-corpus.py        # from the repository root (make fuzz-corpus)

Each seed is in its target's input layout (see the doc comment of each target). The output
is deterministic and small (well under 2 MB in all): large fixtures are cut down (images
to their first 8 KiB, Label Studio tasks to their first regions) or skipped. Existing seeds
of a target are replaced.
"""
import json
import os
import shutil
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "Tests", "Fixtures")
OUT = os.path.join(ROOT, "Fuzz", "Corpus")


def load(*path):
    with open(os.path.join(*path)) as f:
        return json.load(f)


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(OUT, target)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.count = 0
        self.bytes = 0

    def add(self, name, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        with open(os.path.join(self.dir, safe), "wb") as f:
            f.write(data)
        self.count += 1
        self.bytes += len(data)


def ls_rle():
    c = Corpus("FuzzLabelStudioRLE")
    for e in load(FIX, "ls_rle", "index.json")["cases"]:
        case = load(FIX, "ls_rle", e["json"])
        rle = bytes(case["rle"])
        w, h = case["width"], case["height"]
        if w <= 256 and h <= 256:
            c.add(e["name"], bytes([0, w - 1, h - 1]) + rle)
        if len(rle) <= 8192:
            c.add(e["name"] + ".any", bytes([1]) + struct.pack("<ii", w, h) + rle)
    # thi.ng rle-pack as the Label Studio frontend writes it: a 2x3 mask, no padding byte.
    c.add("thing_3x2", bytes([0, 2, 1, 0, 0, 0, 24, 57, 27, 252, 96, 19, 255, 219, 0]))
    # A header announcing 2^30 words for a 16384 x 16384 brush, with no chunks.
    c.add("huge_header.any", bytes([1]) + struct.pack("<ii", 16384, 16384) + bytes([64, 0, 0, 0, 57, 27, 255, 0]))
    return c


def coco_rle():
    c = Corpus("FuzzCOCORLE")
    for e in load(FIX, "coco_rle", "index.json")["masks"]:
        case = load(FIX, "coco_rle", e["json"])
        h, w = case["height"], case["width"]
        counts = case["rle"]["counts"]
        if len(counts) > 8192:
            continue
        if h <= 32 and w <= 32:
            c.add(e["name"], bytes([1, h, w]) + counts.encode())
        c.add(e["name"] + ".u16", bytes([0]) + struct.pack("<HH", h, w) + counts.encode())
    for i, p in enumerate(load(FIX, "coco_rle", "polygons.json")["cases"][:24]):
        h, w = p["height"], p["width"]
        if h > 255 or w > 255:
            continue
        coords = [v for poly in p["polygons"] for v in poly][:64]
        c.add("polygon_%d" % i, bytes([2, h, w]) + b"".join(struct.pack("<i", int(v * 16)) for v in coords))
    boxes = load(FIX, "coco_rle", "boxes.json")
    h, w = boxes["height"], boxes["width"]
    for i, b in enumerate(boxes["cases"][:8]):
        c.add("box_%d" % i, bytes([3, h, w]) + b"".join(struct.pack("<i", int(v * 16)) for v in b["bbox_in"]))
    c.add("far_polygon", bytes([2, 8, 8]) + b"".join(struct.pack("<i", v) for v in [0, 0, 2**31 - 1, 0, 0, 2**31 - 1]))
    return c


JSON_EDGES = [
    "null", "true", "false", "0", "-0", "-0.0", "1e400", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "123456789012345678",
    "1234567890123456789", "[1234567890123456789, 1]", "0.1", "5e-324", "1.7976931348623157e308",
    "[0.30000000000000004, 2.5e-8, 1E+2]", '"\\u0000\\u001f\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\ud83d\\ude00"',
    '"\\ud800"', '"\\udc00\\ud800\\ud800\\udc00"', '"é€😀"', '{"a": {"b": [1, {"c": [[], {}]}]}}',
    '{"a": 1, "a": 2}', "[" * 600 + "]" * 600, '[1, 2, 3, -4, 5]', '[1, 2.5, "x", null, true]',
    '  {"k" : [ 1 , 2 ] }  ', "[]", "{}", '""', "[01]", "[1.]", "[.5]", "[-]", '{"a" 1}', "[1,]", '"\t"',
]


def exact_json():
    c = Corpus("FuzzExactJSON")
    for i, text in enumerate(JSON_EDGES):
        c.add("edge_%02d" % i, text)
    # Small slices of real documents: a few items of each fixture family.
    for name in ["rectangles", "ellipses", "polygons"]:
        doc = load(FIX, "geometry", name + ".json")
        cases = doc.get("cases", [])[:2]
        c.add("geometry_" + name, json.dumps({"about": doc.get("about", "")[:200], "cases": cases})[:4096])
    pair = load(FIX, "coco_rle", "pairs.json")["pairs"][0]
    c.add("coco_pair", json.dumps(pair)[:4096])
    task = load(ROOT, "SampleImages", "annotations.json")[0]
    c.add("ls_task", json.dumps(task)[:4096])
    return c


def ls_task():
    c = Corpus("FuzzLabelStudioTask")
    tasks = load(ROOT, "SampleImages", "annotations.json")
    for i, task in enumerate(tasks):
        # Each task alone, then each result alone (so no seed is large).
        for a in task.get("annotations", []):
            for j, r in enumerate(a["result"]):
                if len(json.dumps(r)) <= 16384:
                    one = dict(task, annotations=[dict(a, result=[r])])
                    c.add("task%d_result%d_%s" % (i, j, r["type"]), json.dumps([one]))
        small = dict(task, annotations=[dict(a, result=[r for r in a["result"] if r["type"] != "brushlabels"])
                                        for a in task.get("annotations", [])])
        c.add("task%d_shapes" % i, json.dumps([small], indent=1))
    # Other shapes the readers accept: a result list, a regions document, JSON-MIN, predictions.
    rect = {"id": "r1", "type": "rectanglelabels", "original_width": 100, "original_height": 80,
            "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 15, "rectanglelabels": ["A"]}}
    poly = {"id": 7, "type": "polygonlabels", "original_width": 100, "original_height": 80,
            "value": {"points": [[0, 0], [50, 0], [50, 50.5]], "polygonlabels": ["B"]}}
    labels = {"id": "l", "type": "labels", "original_width": 10, "original_height": 10,
              "value": {"x": 1, "y": 2, "radiusX": 3, "radiusY": 4, "labels": ["C"]}}
    c.add("results", json.dumps([rect, poly, labels]))
    c.add("regions_document", json.dumps({"original_width": 100, "original_height": 80, "regions": [rect, poly]}))
    c.add("json_min", json.dumps([{"id": 3, "image": "a.jpg", "annotator": "x@y.z", "annotation_id": 9,
                                   "label": [dict(rect["value"], original_width=100, original_height=80)]}]))
    c.add("predictions", json.dumps([{"id": 4, "data": {"image": "b.png"}, "predictions": [{"result": [rect]}],
                                      "annotations": [{"id": 1, "was_cancelled": True, "result": [poly]}]}]))
    brush = {"id": "b", "type": "brushlabels", "original_width": 3, "original_height": 2,
             "value": {"format": "rle", "rle": [0, 0, 0, 24, 57, 27, 252, 96, 19, 255, 219, 0]}}
    c.add("brush_small", json.dumps({"result": [brush]}))
    c.add("single_object", json.dumps({"id": 5, "data": {}, "annotations": [{"result": [brush, rect]}]}))
    return c


def iiif():
    c = Corpus("FuzzIIIFRequest")
    requests = [
        "full/max/0/default.jpg", "square/256,/90/gray.png", "pct:10,10,50,50/!256,256/!180/color.jpg",
        "0,0,100,100/^200,/0/bitonal.png", "full/pct:50/270/default.png", "125,15,120,140/,140/0/default.jpg",
        "full/^max/0/default.jpg", "full/^!4000,4000/360/default.png", "10,10,5000,5000/100,100/45/default.jpg",
        "pct:0.5,0.5,99.5,99.5/^pct:150.25/!0/gray.jpg", "square/!1,1/0/color.png", "full/1,1/0/default.jpg",
    ]
    sizes = [(1000, 800), (6000, 4000), (1, 1), (300, 200), (65535, 3)]
    for i, r in enumerate(requests):
        w, h = sizes[i % len(sizes)]
        c.add("req_%02d" % i, struct.pack("<II", w - 1, h - 1) + bytes([0]) + r.encode())
    # Custom limits: maxWidth, maxHeight, maxArea; strictConfined.
    c.add("limits", struct.pack("<II", 999, 799) + bytes([5]) + struct.pack("<HHI", 511, 511, 99999)
          + b"full/!600,600/0/default.png")
    c.add("tall", struct.pack("<II", 0, 1000000) + bytes([1]) + struct.pack("<HHI", 16383, 16383, 1000)
          + b"full/max/0/default.png")
    return c


def image_header():
    c = Corpus("FuzzImageHeader")
    for sub in ["png", "jpeg", "orientation"]:
        for name in sorted(os.listdir(os.path.join(FIX, "imaging", sub))):
            if not name.endswith((".png", ".jpg")):
                continue
            if sub == "orientation" and not (name.endswith("_le.jpg") and name[1] in "1368") \
                    and not name.startswith(("corrupt", "o6_be")):
                continue
            with open(os.path.join(FIX, "imaging", sub, name), "rb") as f:
                c.add(sub + "_" + name, f.read()[:8192])
    for name in ["bomb_100000x100000.png", "bomb_65000x65000.jpg"]:
        with open(os.path.join(FIX, "imaging", name), "rb") as f:
            c.add(name, f.read())
    for name in ["astronaut.jpg", "coffee.png"]:
        with open(os.path.join(ROOT, "SampleImages", name), "rb") as f:
            c.add("sample_" + name, f.read()[:8192])
    return c


def main():
    total = 0
    for make in [ls_rle, coco_rle, exact_json, ls_task, iiif, image_header]:
        c = make()
        total += c.bytes
        print("%-22s %4d seeds %9d bytes" % (os.path.basename(c.dir), c.count, c.bytes))
    print("%-22s %25d bytes" % ("total", total))
    if total > 2 << 20:
        sys.exit("the seed corpora are over 2 MB")


if __name__ == "__main__":
    main()
