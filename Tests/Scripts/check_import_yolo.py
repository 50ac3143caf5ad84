#!/usr/bin/env python3
"""`labelkit import yolo` against label-studio-converter's `convert_yolo_to_ls`.

Builds a YOLO folder (classes.txt, PNG and JPEG images of several sizes, label
files with boxes and scores, an image without labels), converts it with both, and
compares task by task (matched by data.image): the same tasks, and the same results
with values equal to 1e-9, ids aside. Then checks what the converter does not do:
YOLO-seg polygons and YOLO-OBB rotated rectangles written back by `labelkit export`.

Runs under .venv-compare when present; prints "skipped: ..." (exit 0) without
label_studio_converter or Pillow. Last line "N passed, M failed"; exit 1 on failure.

    python3 Tests/Scripts/check_import_yolo.py --labelkit .build/debug/labelkit
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-compare"

if (VENV / "bin/python").exists() and Path(sys.prefix).resolve() != VENV.resolve() and not os.environ.get("CHECK_IMPORT_REEXEC"):
    os.environ["CHECK_IMPORT_REEXEC"] = "1"
    os.execv(str(VENV / "bin/python"), [str(VENV / "bin/python"), str(Path(__file__).resolve()), *sys.argv[1:]])
try:
    from PIL import Image
    from label_studio_converter.imports.yolo import convert_yolo_to_ls
except Exception as error:  # noqa: BLE001
    print(f"skipped: label_studio_converter / Pillow not importable ({error})")
    sys.exit(0)

passed = failed = 0


def check(ok: bool, what: str, detail: str = "") -> None:
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}: {detail}")


def close(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def make_folder(root: Path) -> None:
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "classes.txt").write_text("Cat\nDog\nTraffic light\n")
    Image.new("RGB", (640, 480), (10, 20, 30)).save(root / "images/a.jpg", quality=90)
    Image.new("RGBA", (333, 211)).save(root / "images/b b+c.png")
    Image.new("L", (97, 1000)).save(root / "images/tall.jpeg")
    Image.new("RGB", (50, 50)).save(root / "images/unlabelled.png")
    (root / "images/notes.txt").write_text("not an image")
    (root / "labels/a.txt").write_text("0 0.5 0.5 0.25 0.1\n1 0.1234567 0.7654321 0.05 0.3 0.87\n")
    (root / "labels/b b+c.txt").write_text("2 0.3 0.3 0.2 0.2\n0 0.9 0.1 0.1 0.1 0\n")  # the converter fails on blank lines
    (root / "labels/tall.txt").write_text("1 0.5 0.25 1.0 0.5\n")


def make_converter_layout(root: Path, uniform: tuple[int, int] | None) -> None:
    """A folder laid out as label-studio-converter's own import tests are: four
    snake_case classes, `.jpeg` images of camera sizes (or all of one size, which
    its `image_dims` option then gives without opening them), labels written by a
    detector (17-digit fractions, boxes across the whole image)."""
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "classes.txt").write_text("closed_door\nopened_door\nbus\nnumber\n")
    sizes = {"img_1": (640, 494), "img_2": (1280, 720), "img_3": (640, 480)}
    for stem, size in sizes.items():
        Image.new("RGB", uniform or size, (90, 90, 90)).save(root / f"images/{stem}.jpeg", quality=80)
    (root / "labels/img_1.txt").write_text(
        "3 0.371875 0.5637651821862348 0.034375 0.0708502024291498\n"
        "0 0.4609375 0.7773279352226721 0.0625 0.3076923076923077\n"
        "2 0.51640625 0.6194331983805668 0.7046875 0.6558704453441295\n")
    (root / "labels/img_2.txt").write_text(
        "1 0.831640625 0.5319444444444444 0.19453125 0.5472222222222223\n"
        "2 0.499609375 0.5076388888888889 0.99140625 0.7736111111111111\n")
    (root / "labels/img_3.txt").write_text("0 0.5 0.5 1.0 1.0\n")


def compare(name: str, root: Path, labelkit: str, tmp: Path, **converter_options) -> bool:
    """Converts `root` with the converter and with `labelkit import yolo`; checks
    the same tasks and results. False when labelkit failed."""
    ref_file, lk_file = tmp / f"{name}-converter.json", tmp / f"{name}-labelkit.json"
    convert_yolo_to_ls(str(root), str(ref_file), **converter_options)
    proc = subprocess.run([labelkit, "import", "yolo", str(root), "-o", str(lk_file)], capture_output=True, text=True)
    check(proc.returncode == 0, f"[{name}] labelkit import yolo exits 0", proc.stderr.strip())
    if proc.returncode != 0:
        return False
    reference = {t["data"]["image"]: t for t in json.loads(ref_file.read_text())}
    mine = {t["data"]["image"]: t for t in json.loads(lk_file.read_text())}
    check(reference.keys() == mine.keys(), "the same tasks (data.image)", f"{sorted(reference)} vs {sorted(mine)}")
    for image, ref in reference.items():
        lk = mine.get(image)
        if lk is None:
            continue
        check(("annotations" in ref) == ("annotations" in lk), f"{image}: annotations present alike")
        if "annotations" not in ref:
            continue
        a, b = ref["annotations"][0]["result"], lk["annotations"][0]["result"]
        check(len(a) == len(b), f"{image}: result count", f"{len(a)} vs {len(b)}")
        for x, y in zip(a, b):
            x, y = dict(x), dict(y)
            x.pop("id"), y.pop("id")
            check(close(x, y), f"{image}: result equal to 1e-9", f"{json.dumps(x)} vs {json.dumps(y)}")
        check(ref["annotations"][0]["ground_truth"] == lk["annotations"][0]["ground_truth"], f"{image}: ground_truth")
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labelkit", default=str(ROOT / ".build/debug/labelkit"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "yolo"
        make_folder(root)
        if not compare("mixed", root, args.labelkit, Path(tmp)):
            print(f"{passed} passed, {failed} failed")
            return 1
        layout = Path(tmp) / "converter-layout"
        make_converter_layout(layout, None)
        compare("converter-layout", layout, args.labelkit, Path(tmp), image_ext=".jpeg")
        uniform = Path(tmp) / "converter-layout-uniform"
        make_converter_layout(uniform, (640, 329))
        compare("converter-layout, image_dims", uniform, args.labelkit, Path(tmp), image_ext=".jpeg",
                image_dims=(640, 329))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
