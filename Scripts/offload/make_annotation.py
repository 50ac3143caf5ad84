"""Writes the offload benchmark's annotation: 20 polygons (12 to 40 vertices each,
star-shaped around random centres, radii 40 to 220 px) on a 1920x1080 image, as
Label Studio polygonlabels results in percent, seeded so every run is the same.

    python3 Scripts/offload/make_annotation.py OUT.json [--seed 7] [--count 20]
"""

import argparse
import json
import math
import random


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    w, h = args.width, args.height
    regions = []
    for i in range(args.count):
        cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
        n = rng.randint(12, 40)
        base = rng.uniform(40, 220)
        points = []
        for k in range(n):
            angle = 2 * math.pi * k / n
            r = base * rng.uniform(0.55, 1.0)
            x = min(max(cx + r * math.cos(angle), 0), w)
            y = min(max(cy + r * math.sin(angle), 0), h)
            points.append([round(x / w * 100, 4), round(y / h * 100, 4)])
        regions.append({
            "id": f"poly{i:06d}",
            "type": "polygonlabels",
            "from_name": "label",
            "to_name": "image",
            "original_width": w,
            "original_height": h,
            "value": {"points": points, "closed": True, "polygonlabels": ["Object"]},
        })
    with open(args.out, "w") as f:
        json.dump({"original_width": w, "original_height": h, "regions": regions}, f)


if __name__ == "__main__":
    main()
