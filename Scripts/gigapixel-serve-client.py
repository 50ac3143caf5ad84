"""Client side of Scripts/gigapixel-serve-bench.sh: drives `labelkit serve` on a
huge source over loopback and prints what it measured.

  python3 gigapixel-serve-client.py PORT PID ID WIDTH HEIGHT

1. The first requests start the tile store's build and get 503 with Retry-After.
2. Polls /pyramids/ID until the store is ready (the build time), sampling the
   server's resident memory and timing 503 answers meanwhile.
3. Random Deep Zoom tiles (every tile of every level equally likely), one
   keep-alive connection, then four at once: p50/p99.
4. Random IIIF regions scaled to 512 pixels wide, random XYZ tiles, thumbnails.
5. The server's peak resident memory (VmHWM) over the whole run.
Exits 1 when a request fails or a target (RSS < 512 MB, tile p99 < 20 ms) is missed.
"""
import http.client
import json
import math
import random
import sys
import threading
import time

port, pid, ident, width, height = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
random.seed(7)


def rss_mb(field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def get(conn, path):
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, response.getheader("Retry-After"), body, (time.perf_counter() - start) * 1000


def quantile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(math.ceil(q * len(values))) - 1)]


# Deep Zoom geometry (254 + 1 overlap), every tile of every level.
max_level = math.ceil(math.log2(max(width, height)))
tiles = []
for level in range(max_level + 1):
    scale = 2 ** (max_level - level)
    w, h = (width + scale - 1) // scale, (height + scale - 1) // scale
    for row in range((h + 253) // 254):
        for col in range((w + 253) // 254):
            tiles.append(f"/dzi/{ident}_files/{level}/{col}_{row}.jpg")

conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
failures = []
started = time.perf_counter()
status, _, body, _ = get(conn, f"/iiif/3/{ident}/info.json")
if status != 200:
    failures.append(f"info.json: {status} {body[:200]!r}")
status, retry, body, _ = get(conn, random.choice(tiles))
if status != 503 or not retry:
    failures.append(f"a tile while building: {status}, Retry-After {retry}")

peak_during_build = 0.0
answers_503 = []
while True:
    status, _, body, _ = get(conn, f"/pyramids/{ident}")
    state = json.loads(body).get("state")
    peak_during_build = max(peak_during_build, rss_mb())
    if state != "building":
        break
    status, retry, _, ms = get(conn, random.choice(tiles))
    if status == 503:
        answers_503.append(ms)
    time.sleep(0.25)
build_s = time.perf_counter() - started
if state != "ready":
    failures.append(f"the build ended {state}: {body[:300]!r}")
    print("\n".join(failures))
    sys.exit(1)


def tile_run(count, out):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(count):
        status, _, body, ms = get(c, random.choice(tiles))
        if status != 200 or body[:2] != b"\xff\xd8":
            failures.append(f"tile: {status}")
        out.append(ms)


one = []
tile_run(3000, one)
four = []
threads = [threading.Thread(target=tile_run, args=(1500, four)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()

iiif = []
for _ in range(40):
    side = random.randint(1000, min(width, height))
    x, y = random.randint(0, width - side), random.randint(0, height - side)
    status, _, body, ms = get(conn, f"/iiif/3/{ident}/{x},{y},{side},{side}/512,/0/default.jpg")
    if status != 200:
        failures.append(f"iiif: {status} {body[:200]!r}")
    iiif.append(ms)
full = []
for size in ("1000,", "2000,", "^!800,800"):
    status, _, body, ms = get(conn, f"/iiif/3/{ident}/full/{size}/0/default.jpg")
    if status != 200:
        failures.append(f"iiif full/{size}: {status} {body[:200]!r}")
    full.append(ms)
xyz_max = math.ceil(math.log2(max(width, height) / 256))
xyz = []
for _ in range(100):
    z = random.randint(0, xyz_max)
    span = 256 * 2 ** (xyz_max - z)
    x, y = random.randrange((width + span - 1) // span), random.randrange((height + span - 1) // span)
    status, _, body, ms = get(conn, f"/xyz/{ident}/{z}/{x}/{y}.png")
    if status != 200:
        failures.append(f"xyz {z}/{x}/{y}: {status}")
    xyz.append(ms)
status, _, body, thumb_ms = get(conn, f"/thumb/{ident}?w=256")
if status != 200:
    failures.append(f"thumb: {status}")
peak = rss_mb("VmHWM")

print(f"build: {build_s:.1f} s ({len(tiles)} tiles), 503 answers while building: {len(answers_503)}, "
      f"p99 {quantile(answers_503, 0.99) if answers_503 else 0:.1f} ms; RSS during the build up to {peak_during_build:.0f} MB")
print(f"random Deep Zoom tiles, 1 connection: p50 {quantile(one, 0.5):.2f} ms, p99 {quantile(one, 0.99):.2f} ms ({len(one)} requests)")
print(f"random Deep Zoom tiles, 4 connections: p50 {quantile(four, 0.5):.2f} ms, p99 {quantile(four, 0.99):.2f} ms ({len(four)} requests)")
print(f"IIIF random regions to 512 wide (cold): p50 {quantile(iiif, 0.5):.0f} ms, p99 {quantile(iiif, 0.99):.0f} ms; "
      f"full/1000, full/2000, ^!800,800: {', '.join(f'{m:.0f}' for m in full)} ms")
print(f"XYZ random tiles (cold): p50 {quantile(xyz, 0.5):.1f} ms, p99 {quantile(xyz, 0.99):.1f} ms; thumbnail 256: {thumb_ms:.0f} ms")
print(f"peak resident memory of the server (VmHWM): {peak:.0f} MB")
if quantile(one, 0.99) >= 20 or quantile(four, 0.99) >= 20:
    failures.append("random tile p99 is not under 20 ms")
if peak >= 512:
    failures.append("peak resident memory is not under 512 MB")
if failures:
    print("FAILED:\n" + "\n".join(failures[:20]))
    sys.exit(1)
