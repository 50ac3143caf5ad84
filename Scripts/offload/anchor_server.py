"""The Python anchor of Scripts/offload-bench.sh: the same work as LabelKit's
`POST /v1/rasterize` (Label Studio polygon results -> one mask -> Label Studio
brush RLE JSON), done the way a Python ML backend does it: OpenCV `fillPoly` on a
numpy mask, then label-studio-converter `brush.mask2rle`. Served by Flask under
gunicorn (one sync worker per core, as the benchmark runs it):

    gunicorn -w 2 -b 127.0.0.1:18091 --chdir Scripts/offload anchor_server:app
"""

import cv2
import numpy as np
from flask import Flask, jsonify, request
from label_studio_converter import brush

app = Flask(__name__)


@app.post("/v1/rasterize")
def rasterize():
    doc = request.get_json(force=True)
    items = doc["regions"] if isinstance(doc, dict) and "regions" in doc else doc
    width = int(doc.get("original_width") or items[0]["original_width"])
    height = int(doc.get("original_height") or items[0]["original_height"])
    mask = np.zeros((height, width), dtype=np.uint8)
    for item in items:
        if item.get("type") not in ("polygonlabels", "polygon"):
            continue
        points = np.array(item["value"]["points"], dtype=np.float64)
        points[:, 0] *= width / 100.0
        points[:, 1] *= height / 100.0
        # 4 bits of sub-pixel precision, as OpenCV users do for fractional vertices.
        cv2.fillPoly(mask, [np.round(points * 16).astype(np.int32)], 255, lineType=cv2.LINE_8, shift=4)
    rle = brush.mask2rle(mask)
    return jsonify({"rle": [int(v) for v in rle], "width": width, "height": height})
