import Foundation

/// The viewer page: pan and zoom over an image's Deep Zoom tiles on a canvas,
/// with the annotation overlay drawn into the tiles by the server. Plain
/// JavaScript written for LabelKit, no third-party code.
enum ViewerPage {
    /// The page for `identifier` (raw, as in URLs) and an optional overlay name.
    static func html(identifier: String, overlay: String?) -> String {
        func literal(_ value: String?) -> String {
            guard let value else { return "null" }
            let data = (try? JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
            let array = String(decoding: data, as: UTF8.self)
            return String(array.dropFirst().dropLast()).replacingOccurrences(of: "</", with: "<\\/")
        }
        return template.replacingOccurrences(of: "__ID__", with: literal(identifier))
            .replacingOccurrences(of: "__OVERLAY__", with: literal(overlay))
    }

    static let template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>LabelKit viewer</title>
        <style>
          html, body { margin: 0; height: 100%; background: #1d1f21; overflow: hidden; }
          canvas { display: block; cursor: grab; touch-action: none; }
          #status { position: fixed; left: 8px; bottom: 8px; color: #ddd; font: 12px system-ui, sans-serif;
                    background: rgba(0, 0, 0, 0.55); padding: 4px 8px; border-radius: 4px; }
        </style>
        </head>
        <body>
        <canvas id="view"></canvas>
        <div id="status">loading</div>
        <script>
        "use strict";
        const identifier = __ID__, overlay = __OVERLAY__;
        const query = overlay ? "?overlay=" + encodeURIComponent(overlay) : "";
        const canvas = document.getElementById("view"), context = canvas.getContext("2d");
        const statusLine = document.getElementById("status");
        const tiles = new Map(), failures = new Map(), maxTries = 6;
        let width = 0, height = 0, tileSize = 254, overlap = 1, maxLevel = 0;
        let scale = 1, originX = 0, originY = 0, pending = 0, failed = 0;

        function tile(level, column, row) {
          const key = level + "/" + column + "_" + row;
          let image = tiles.get(key);
          if (!image) {
            image = new Image();
            pending += 1;
            image.onload = () => { pending -= 1; failures.delete(key); draw(); };
            // A busy server answers 503 (Retry-After); others may be passing: retry
            // with backoff (0.5 s ... 8 s), then give up and say so.
            image.onerror = () => {
              pending -= 1;
              const tries = (failures.get(key) || 0) + 1;
              failures.set(key, tries);
              if (tries < maxTries) {
                setTimeout(() => { if (tiles.get(key) === image) tiles.delete(key); draw(); }, 250 * Math.pow(2, tries));
              } else {
                failed += 1;
              }
              draw();
            };
            image.src = "/dzi/" + identifier + "_files/" + key + ".jpg" + query;
            tiles.set(key, image);
          }
          return image;
        }

        function levelFor(scaleNow) {
          return Math.max(0, Math.min(maxLevel, maxLevel + Math.ceil(Math.log2(scaleNow))));
        }

        function drawLevel(level) {
          const factor = Math.pow(2, maxLevel - level);
          const levelWidth = Math.ceil(width / factor), levelHeight = Math.ceil(height / factor);
          const x0 = Math.max(0, -originX / scale / factor), y0 = Math.max(0, -originY / scale / factor);
          const x1 = Math.min(levelWidth, (canvas.width - originX) / scale / factor);
          const y1 = Math.min(levelHeight, (canvas.height - originY) / scale / factor);
          let complete = true;
          for (let row = Math.floor(y0 / tileSize); row * tileSize < y1; row++) {
            for (let column = Math.floor(x0 / tileSize); column * tileSize < x1; column++) {
              const image = tile(level, column, row);
              if (!image.complete || !image.naturalWidth) { complete = false; continue; }
              const x = column * tileSize - (column > 0 ? overlap : 0), y = row * tileSize - (row > 0 ? overlap : 0);
              context.drawImage(image, originX + x * factor * scale, originY + y * factor * scale,
                                image.naturalWidth * factor * scale, image.naturalHeight * factor * scale);
            }
          }
          return complete;
        }

        function draw() {
          if (!width) return;
          context.fillStyle = "#1d1f21";
          context.fillRect(0, 0, canvas.width, canvas.height);
          const level = levelFor(scale);
          if (level > 0) drawLevel(level - 1);
          const complete = drawLevel(level);
          statusLine.textContent = identifier + "  " + width + "\\u00d7" + height + "  zoom " + (scale * 100).toFixed(1) +
            "%  level " + level + (overlay ? "  overlay " + overlay : "") + (complete && pending === 0 ? "" : "  loading") +
            (failed ? "  " + failed + (failed === 1 ? " tile" : " tiles") + " failed" : "");
          document.body.dataset.ready = complete && pending === 0 ? "yes" : "no";
        }

        function fit() {
          canvas.width = window.innerWidth;
          canvas.height = window.innerHeight;
          scale = Math.min(canvas.width / width, canvas.height / height);
          originX = (canvas.width - width * scale) / 2;
          originY = (canvas.height - height * scale) / 2;
          draw();
        }

        let drag = null;
        canvas.addEventListener("pointerdown", (event) => { drag = { x: event.clientX, y: event.clientY }; canvas.setPointerCapture(event.pointerId); });
        canvas.addEventListener("pointermove", (event) => {
          if (!drag) return;
          originX += event.clientX - drag.x; originY += event.clientY - drag.y;
          drag = { x: event.clientX, y: event.clientY };
          draw();
        });
        canvas.addEventListener("pointerup", () => { drag = null; });
        canvas.addEventListener("pointercancel", () => { drag = null; });
        canvas.addEventListener("wheel", (event) => {
          event.preventDefault();
          const factor = Math.exp(-event.deltaY * 0.0015);
          const next = Math.max(0.01, Math.min(16, scale * factor));
          originX = event.clientX - (event.clientX - originX) * next / scale;
          originY = event.clientY - (event.clientY - originY) * next / scale;
          scale = next;
          draw();
        }, { passive: false });
        window.addEventListener("resize", fit);
        window.addEventListener("keydown", (event) => { if (event.key === "0") fit(); });

        fetch("/dzi/" + identifier + ".dzi").then((response) => {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        }).then((text) => {
          const root = new DOMParser().parseFromString(text, "application/xml").documentElement;
          const size = root.getElementsByTagName("Size")[0];
          tileSize = Number(root.getAttribute("TileSize"));
          overlap = Number(root.getAttribute("Overlap"));
          width = Number(size.getAttribute("Width"));
          height = Number(size.getAttribute("Height"));
          maxLevel = Math.ceil(Math.log2(Math.max(width, height)));
          fit();
        }).catch((error) => { statusLine.textContent = "cannot load " + identifier + ": " + error.message; });
        </script>
        </body>
        </html>

        """
}
