#!/usr/bin/env python3
"""The service survives hostile clients: a mix of heavy overlays, the scan bomb,
20 MiB bodies, distinct renders and idle connections runs against `labelkit
serve` while a prober times GET /healthz and one cached tile; then resident
memory must come back.

Usage: hostile-mix.py LABELKIT [--seconds 30] [--idle 2000] [--renders 64] [--json OUT]

Passes (exit 0) when the p99 of both probes is under 100 ms and the server's
VmRSS comes back to within 100 MB of its start within 10 s of the end of the
attack; exit 1 otherwise, 2 when the run itself could not be made (the server
did not start, a fixture is missing). Standard library only (Linux: /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import ctypes
import itertools
import json
import math
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VALIDATOR_ID = "67352ccc-d1b0-11e1-89ae-279075081939"
VALIDATOR = REPO / "Tests/Fixtures/iiif-validator" / f"{VALIDATOR_ID}.png"
PHOTO_ID = "astronaut"
PHOTO = REPO / "SampleImages" / f"{PHOTO_ID}.jpg"
BOMB_ID = "scan-bomb-2000"
BOMB = REPO / "Tests/Fixtures/hostile" / f"{BOMB_ID}.jpg"
TILE = f"/dzi/{VALIDATOR_ID}_files/9/0_0.jpg"
PROBES = {"healthz": "/healthz", "tile": TILE}

P99_LIMIT_MS = 100.0
RSS_SLACK_MB = 100.0
RETURN_WINDOW_S = 10.0
PROBE_INTERVAL_S = 0.05
PROBE_TIMEOUT_S = 5.0
FAILED_MS = 5000.0
BODY_BYTES = 20 << 20


# --- a tiny HTTP/1.1 keep-alive client on asyncio streams -------------------------------------


class Closed(ConnectionError):
    """The server closed the connection before a whole response arrived."""


class Conn:
    """One keep-alive connection, opened on first use and after the server closes it."""

    def __init__(self, port: int, local: str | None = None):
        self.port = port
        self.local = local
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    @property
    def is_open(self) -> bool:
        return self.writer is not None

    async def open(self) -> None:
        self.close()
        local = (self.local, 0) if self.local else None
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=local)
        self.opened += 1

    def close(self) -> None:
        if self.writer is not None:
            # abort: no lingering flush of a 20 MiB body nobody reads any more
            self.writer.transport.abort()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, int]:
        """Sends one request; returns (status, body length). Raises on a closed or broken connection."""
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n")
        if body:
            self.writer.write(body)
        try:
            # The transport sends the body in the background while the answer is read, so a
            # server that answers (and closes) before it has read a large body is seen too.
            status, length, close = await read_response(self.reader)
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return status, length


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Reads one response (status line, headers, Content-Length or chunked body, discarded)."""
    line = await reader.readline()
    if not line:
        raise Closed("closed before the status line")
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise Closed(f"bad status line {line[:80]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if not line:
            raise Closed("closed in the headers")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    close = headers.get("connection", "").lower() == "close"
    if status < 200 or status in (204, 304):
        return status, 0, close
    if "content-length" in headers:
        length = int(headers["content-length"])
        await skip(reader, length)
        return status, length, close
    if "chunked" in headers.get("transfer-encoding", "").lower():
        length = 0
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return status, length, close
            await skip(reader, size + 2)
            length += size
    length = 0
    while chunk := await reader.read(1 << 16):
        length += len(chunk)
    return status, length, True


async def skip(reader: asyncio.StreamReader, count: int) -> None:
    while count > 0:
        chunk = await reader.read(min(count, 1 << 16))
        if not chunk:
            raise Closed("closed in the body")
        count -= len(chunk)


def error_name(error: BaseException) -> str:
    if isinstance(error, (asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(error, (Closed, asyncio.IncompleteReadError)):
        return "closed"
    if isinstance(error, ConnectionResetError):
        return "reset"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, BrokenPipeError):
        return "broken-pipe"
    return type(error).__name__


# --- the attackers (one process) --------------------------------------------------------------


class Kind:
    """Requests and outcomes of one kind of attacker."""

    def __init__(self) -> None:
        self.requests = 0
        self.statuses: collections.Counter[str] = collections.Counter()
        self.errors: collections.Counter[str] = collections.Counter()
        self.connections = 0
        self.extra: dict[str, int] = {}

    def report(self) -> dict:
        return {
            "requests": self.requests,
            "statuses": dict(sorted(self.statuses.items())),
            "errors": dict(sorted(self.errors.items())),
            "connections": self.connections,
            **self.extra,
        }


async def loop_requests(conn: Conn, kind: Kind, next_request, deadline: float) -> None:
    """Sends next_request() on `conn` until the deadline, reopening it when the server closes it.
    A request still unanswered at the deadline is counted as unfinished."""
    try:
        while time.monotonic() < deadline:
            method, path, body = next_request()
            opened = conn.opened
            try:
                async with asyncio.timeout_at(deadline):
                    status, _ = await conn.request(method, path, body)
                kind.statuses[str(status)] += 1
            except TimeoutError:
                kind.extra["unfinished"] = kind.extra.get("unfinished", 0) + 1
                break
            except Exception as error:  # noqa: BLE001 - every failure is an outcome to count
                conn.close()
                kind.errors[error_name(error)] += 1
                await asyncio.sleep(0.02)  # a refusing server must not turn this into a busy loop
            finally:
                kind.connections += conn.opened - opened
            kind.requests += 1
    finally:
        conn.close()


def rectangles(count: int) -> bytes:
    region = {
        "type": "rectanglelabels", "original_width": 1000, "original_height": 1000,
        "value": {"x": 0, "y": 0, "width": 100, "height": 100, "rotation": 0, "rectanglelabels": ["a"]},
    }
    return json.dumps([dict(region, id=f"r{i}") for i in range(count)]).encode()


def ellipses(count: int) -> bytes:
    region = {
        "type": "ellipselabels", "original_width": 1000, "original_height": 1000,
        "value": {"x": 50, "y": 50, "radiusX": 1e9, "radiusY": 1e9, "rotation": 0, "ellipselabels": ["a"]},
    }
    return json.dumps([dict(region, id=f"e{i}") for i in range(count)]).encode()


async def idle_connection(port: int, local: str, stats: Kind, held: list[int], opening: asyncio.Semaphore) -> None:
    """Holds one connection without a byte sent until cancelled; reopens it when the server closes it."""
    while True:
        try:
            async with opening:
                reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0))
        except OSError as error:
            stats.errors[error_name(error)] += 1
            await asyncio.sleep(0.2)
            continue
        stats.requests += 1  # connections opened
        held[0] += 1
        held[1] = max(held[1], held[0])
        try:
            await reader.read(1)  # b"" once the server closes it
            stats.extra["closed_by_server"] = stats.extra.get("closed_by_server", 0) + 1
        except OSError as error:
            stats.errors[error_name(error)] += 1
        finally:
            held[0] -= 1
            writer.transport.abort()
        await asyncio.sleep(0.05)


async def attack(port: int, seconds: float, options: dict, results) -> dict:
    kinds = {name: Kind() for name in ("overlays", "scan-bomb", "bodies", "renders", "idle")}
    tasks: list[asyncio.Task] = []

    # Heavy overlays: 200 full-image rectangles and 10,000 ellipses of radius 1e9 %.
    overlay_ids = []
    for body in (rectangles(200), ellipses(10_000)):
        status, overlay = await post_annotation(port, body)
        kinds["overlays"].requests += 1
        kinds["overlays"].statuses[f"POST {status}"] += 1
        if overlay:
            overlay_ids.append(overlay)
    counter = itertools.count()

    def overlay_request(overlay: str):
        def next_request():
            i = next(counter)
            choice = i % 8
            if choice == 0:
                fmt = "jpg" if i % 16 == 0 else "png"
                return "GET", f"/iiif/3/{VALIDATOR_ID}/full/^max/0/default.{fmt}?overlay={overlay}", None
            if choice in (1, 2, 3):
                return "GET", f"/iiif/3/{VALIDATOR_ID}/full/^{1500 + i},/0/default.jpg?overlay={overlay}", None
            if choice in (4, 5):
                return "GET", f"/iiif/3/{VALIDATOR_ID}/full/^{1500 + i},/0/default.png?overlay={overlay}", None
            return "GET", f"/thumb/{VALIDATOR_ID}?w={2048 - i % 1024}&h=2048&fit=force&overlay={overlay}", None
        return next_request

    # Idle connections, spread over loopback source addresses (127.0.0.2, ...) so that no
    # address passes the server's per-client cap unless --idle-per-address says so; all of
    # them are open before the clock starts (up to 30 s to open them).
    held = [0, 0]
    opening = asyncio.Semaphore(256)
    per_address = max(1, options["idle_per_address"])
    idle_tasks = [
        asyncio.create_task(idle_connection(port, f"127.0.0.{2 + n // per_address}", kinds["idle"], held, opening))
        for n in range(options["idle"])
    ]
    ramp = time.monotonic()
    while held[0] < options["idle"] and time.monotonic() - ramp < 30:
        await asyncio.sleep(0.05)
    kinds["idle"].extra["held_at_start"] = held[0]
    kinds["idle"].extra["open_seconds"] = round(time.monotonic() - ramp, 2)

    # The clock: the prober starts with the same times.
    start_at = time.monotonic() + 0.2
    deadline = start_at + seconds
    results.put(("times", (start_at, deadline)))

    await wait_until(start_at)
    for overlay in overlay_ids:
        for _ in range(options["overlay_connections"]):
            tasks.append(asyncio.create_task(
                loop_requests(Conn(port), kinds["overlays"], overlay_request(overlay), deadline)))

    # The scan bomb (a 1024x1024 progressive JPEG with 2,000 scans): 422 every time.
    bombs = itertools.count()

    def bomb_request():
        i = next(bombs)
        if i % 2 == 0:
            return "GET", f"/iiif/3/{BOMB_ID}/full/max/0/default.jpg", None
        return "GET", f"/thumb/{BOMB_ID}?w={64 + i}", None

    for _ in range(options["bomb_connections"]):
        tasks.append(asyncio.create_task(loop_requests(Conn(port), kinds["scan-bomb"], bomb_request, deadline)))

    # 20 MiB bodies: a JSON string of 20 MiB that is no RLE.
    filler = BODY_BYTES - len(b'{"rle": "", "width": 1, "height": 1}')
    big = b'{"rle": "' + b"a" * filler + b'", "width": 1, "height": 1}'

    def body_request():
        return "POST", "/v1/rle/decode", big

    for _ in range(options["body_connections"]):
        tasks.append(asyncio.create_task(loop_requests(Conn(port), kinds["bodies"], body_request, deadline)))

    # Distinct renders of the photo: a new ^w,h size each time (never cached).
    sizes = itertools.count()

    def render_request():
        i = next(sizes)
        w, h = 256 + i % 1793, 256 + (i // 1793) % 1793
        return "GET", f"/iiif/3/{PHOTO_ID}/full/^{w},{h}/0/default.jpg", None

    for _ in range(options["renders"]):
        tasks.append(asyncio.create_task(loop_requests(Conn(port), kinds["renders"], render_request, deadline)))

    # Every loop ends by itself at the deadline; a straggler is cancelled a moment later.
    await wait_until(deadline)
    for task in idle_tasks:
        task.cancel()
    _, stragglers = await asyncio.wait(tasks, timeout=2) if tasks else (set(), set())
    for task in stragglers:
        task.cancel()
    if idle_tasks or stragglers:
        await asyncio.wait(idle_tasks + list(stragglers), timeout=2)
    kinds["idle"].extra["held_max"] = held[1]
    kinds["idle"].extra["addresses"] = math.ceil(options["idle"] / per_address)
    kinds["overlays"].extra["overlay_ids"] = len(overlay_ids)
    return {"kinds": {name: kind.report() for name, kind in kinds.items()}, "stragglers": len(stragglers)}


async def post_annotation(port: int, body: bytes) -> tuple[str, str | None]:
    """POSTs an annotation; returns the status (or error) and the "id" of the answer."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"POST /annotations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        data = await asyncio.wait_for(reader.read(), 60)
        writer.transport.abort()
        head, _, answer = data.partition(b"\r\n\r\n")
        status = head.split(None, 2)[1].decode()
        return status, json.loads(answer).get("id") if status.startswith("2") else None
    except Exception as error:  # noqa: BLE001
        return error_name(error), None


async def wait_until(when: float) -> None:
    delay = when - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


def attacker_main(port: int, seconds: float, options: dict, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        report = asyncio.run(attack(port, seconds, options, results))
        report["cpu_s"] = cpu_seconds()
    except Exception as error:  # noqa: BLE001
        report = {"error": repr(error)}
    results.put(("attack", report))


# --- the prober (its own process) --------------------------------------------------------------


async def probe(port: int, path: str, start_at: float, deadline: float) -> dict:
    """GET `path` every 50 ms on one keep-alive connection, timed end to end."""
    conn = Conn(port)
    samples: list[float] = []
    statuses: collections.Counter[str] = collections.Counter()
    retried = 0
    await wait_until(start_at)
    tick = time.monotonic()
    late: list[float] = []
    while tick < deadline:
        await wait_until(tick)
        started = time.perf_counter()
        late.append((time.monotonic() - tick) * 1000)  # this process's own scheduling delay
        outcome: str
        try:
            async def once() -> int:
                nonlocal retried
                reused = conn.is_open
                try:
                    return (await conn.request("GET", path))[0]
                except (ConnectionError, asyncio.IncompleteReadError, OSError):
                    if not reused:
                        raise
                    # A keep-alive connection the server closed while it sat idle: what any
                    # HTTP client does, one retry on a new connection (its time counts too).
                    retried += 1
                    return (await conn.request("GET", path))[0]

            async with asyncio.timeout(PROBE_TIMEOUT_S):
                status = await once()
            elapsed = (time.perf_counter() - started) * 1000
            outcome = str(status)
            samples.append(elapsed if status == 200 else FAILED_MS)
        except Exception as error:  # noqa: BLE001
            conn.close()
            outcome = error_name(error)
            samples.append(FAILED_MS)
        statuses[outcome] += 1
        tick = max(tick + PROBE_INTERVAL_S, time.monotonic())
    conn.close()
    return {"path": path, "samples_ms": samples, "statuses": dict(statuses), "retried": retried,
            "connections": conn.opened, "wakeup_late_p99_ms": round(percentile(late, 99), 1)}


async def probes(port: int, start_at: float, deadline: float) -> dict:
    runs = await asyncio.gather(*(probe(port, path, start_at, deadline) for path in PROBES.values()))
    return dict(zip(PROBES, runs))


def prober_main(port: int, start_at: float, deadline: float, results) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -5)  # wakes on time on a busy machine (root only; else as is)
    except OSError:
        pass
    try:
        report = asyncio.run(probes(port, start_at, deadline))
        report = {"probes": report, "cpu_s": cpu_seconds()}
    except Exception as error:  # noqa: BLE001
        report = {"error": repr(error)}
    results.put(("probe", report))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 2)


# --- the server and its memory ----------------------------------------------------------------


def status_mb(pid: int, field: str) -> float | None:
    """A kB field of /proc/PID/status (VmRSS, VmHWM) in MB (10^6 bytes)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        return None
    return None


def server_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (/proc/PID/stat), in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def die_with_parent() -> None:
    """In the server's child process: SIGKILL when this script dies (Linux prctl)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        pass


def start_server(binary: str, work: Path) -> tuple[subprocess.Popen, int, Path]:
    root = work / "root"
    root.mkdir()
    for source in (VALIDATOR, PHOTO, BOMB):
        shutil.copy(source, root / source.name)
    log = work / "serve.log"
    with open(log, "wb") as stderr:
        try:
            server = subprocess.Popen(
                [binary, "serve", "--root", str(root), "--db", str(work / "cache.sqlite"), "--port", "0",
                 "--log-level", "warning"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, preexec_fn=die_with_parent)
        except OSError as error:
            raise SetupError(f"cannot run {binary}: {error}") from error
    for _ in range(300):
        text = log.read_text(errors="replace")
        marker = text.find("http://127.0.0.1:")
        if marker >= 0 and "\n" in text[marker:]:
            digits = "".join(itertools.takewhile(str.isdigit, text[marker + len("http://127.0.0.1:"):]))
            return server, int(digits), log
        if server.poll() is not None:
            break
        time.sleep(0.05)
    raise SetupError(f"the server did not start:\n{log.read_text(errors='replace')}")


class SetupError(Exception):
    """The run could not be made (exit 2)."""


class ServerDied(SetupError):
    """The server exited during the attack (exit 1)."""


def get(port: int, path: str) -> int:
    async def go() -> int:
        conn = Conn(port)
        try:
            return (await asyncio.wait_for(conn.request("GET", path), 60))[0]
        finally:
            conn.close()
    return asyncio.run(go())


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labelkit", help="the labelkit binary, e.g. .build/release/labelkit")
    parser.add_argument("--seconds", type=float, default=30, help="length of the attack (30)")
    parser.add_argument("--idle", type=int, default=2000, help="idle connections held (2000)")
    parser.add_argument("--renders", type=int, default=64, help="connections looping distinct renders (64)")
    parser.add_argument("--idle-per-address", type=int, default=500,
                        help="idle connections per loopback source address 127.0.0.2, .3, ... (500; the server "
                             "allows 1,024 per client address, so more makes it displace the longest idle)")
    parser.add_argument("--overlay-connections", type=int, default=2, help="connections per overlay (2)")
    parser.add_argument("--bomb-connections", type=int, default=2, help="connections looping the scan bomb (2)")
    parser.add_argument("--body-connections", type=int, default=4, help="connections posting 20 MiB bodies (4)")
    parser.add_argument("--json", metavar="OUT", help="write every number to this JSON file")
    parser.add_argument("--p99-ms", type=float, default=P99_LIMIT_MS,
                        help="the probes' p99 limit in ms (100; the debug build in make test uses 1000)")
    args = parser.parse_args()

    for fixture in (VALIDATOR, PHOTO, BOMB):
        if not fixture.is_file():
            print(f"hostile-mix: missing fixture {fixture}", file=sys.stderr)
            return 2
    soft, _ = raise_fd_limit()
    needed = args.idle + args.renders + 2 * args.overlay_connections + args.bomb_connections + args.body_connections + 64
    if soft != resource.RLIM_INFINITY and soft < needed:
        print(f"hostile-mix: the open-file limit is {soft}; {needed} are needed", file=sys.stderr)
        return 2
    if args.idle_per_address * 250 < args.idle:
        print("hostile-mix: --idle needs more than 250 loopback addresses; raise --idle-per-address", file=sys.stderr)
        return 2

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="hostile-mix-"))
    server: subprocess.Popen | None = None
    children: list[multiprocessing.Process] = []
    previous_term = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        server, port, _ = start_server(args.labelkit, work)
        pid = server.pid
        for path in ("/healthz", TILE, TILE):
            if (status := get(port, path)) != 200:
                raise SetupError(f"GET {path} answered {status} before the attack")
        rss_start = status_mb(pid, "VmRSS") or math.nan
        cpu_start = server_cpu_seconds(pid) or 0.0

        context = multiprocessing.get_context("fork")
        results = context.Queue()
        options = {
            "idle": args.idle, "renders": args.renders, "idle_per_address": args.idle_per_address,
            "overlay_connections": args.overlay_connections, "bomb_connections": args.bomb_connections,
            "body_connections": args.body_connections,
        }
        # The attackers post the overlays and open the idle connections first, then set the clock.
        attacker = context.Process(
            target=attacker_main, args=(port, args.seconds, options, results), name="attackers")
        children.append(attacker)
        attacker.start()
        reports: dict = {}
        try:
            kind, value = results.get(timeout=120)
        except Exception:  # noqa: BLE001
            raise SetupError("the attackers did not start")
        if kind != "times":
            raise SetupError(f"the attackers failed before the start: {value}")
        start_at, deadline = value
        prober = context.Process(target=prober_main, args=(port, start_at, deadline, results), name="prober")
        children.append(prober)
        prober.start()

        # During the attack: the peak (sampled, and the kernel's high-water mark).
        rss_during: list[tuple[float, float]] = []
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise ServerDied(f"FAIL: the server exited with {server.returncode} during the attack")
            if (rss := status_mb(pid, "VmRSS")) is not None:
                rss_during.append((round(time.monotonic() - start_at, 2), rss))
            time.sleep(0.25)

        server_cpu = round((server_cpu_seconds(pid) or math.nan) - cpu_start, 2)

        # After it (the attackers close everything at the deadline): every 0.5 s for up to 10 s.
        rss_after: list[tuple[float, float]] = []
        returned_after: float | None = None
        while True:
            since = time.monotonic() - deadline
            if (rss := status_mb(pid, "VmRSS")) is not None:
                rss_after.append((round(since, 2), rss))
                if rss <= rss_start + RSS_SLACK_MB:
                    returned_after = since
                    break
            if since + 0.5 > RETURN_WINDOW_S:
                break
            time.sleep(0.5)
        hwm = status_mb(pid, "VmHWM")
        alive = server.poll() is None

        for _ in children:
            try:
                kind, report = results.get(timeout=60)
                reports[kind] = report
            except Exception:  # noqa: BLE001
                break
        for child in children:
            child.join(timeout=10)
    except SetupError as error:
        print(f"hostile-mix: {error}", file=sys.stderr)
        log_path = work / "serve.log"
        if log_path.exists() and log_path.stat().st_size and "did not start" not in str(error):
            print("server log (last lines):\n" + "\n".join(log_path.read_text(errors="replace").splitlines()[-20:]),
                  file=sys.stderr)
        return 1 if isinstance(error, ServerDied) else 2
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        if server is not None:
            server_log = (work / "serve.log").read_text(errors="replace")
        shutil.rmtree(work, ignore_errors=True)

    reports["server_cpu_s"] = server_cpu
    reports["load_before"] = load_before
    return summarize(args, reports, rss_start, rss_during, rss_after, returned_after, hwm, alive, server_log)


def summarize(args, reports, rss_start, rss_during, rss_after, returned_after, hwm, alive, server_log) -> int:
    attack_report = reports.get("attack", {"error": "no report from the attackers"})
    probe_report = reports.get("probe", {"error": "no report from the prober"})
    failures: list[str] = []
    notes: list[str] = []

    load = reports.get("load_before", (math.nan,) * 3)
    print(f"hostile mix: {args.seconds:g} s, {os.cpu_count()} cores (load average before: "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}), idle {args.idle}, renders {args.renders}")
    if load[0] > (os.cpu_count() or 1) / 2:
        notes.append("the machine was busy before the run (load average); latencies include other work")
    print(f"{'attacker':<11} {'opened':>6} {'requests':>8}  statuses / errors")
    if "error" in attack_report:
        failures.append(f"attackers: {attack_report['error']}")
    else:
        if attack_report["stragglers"]:
            notes.append(f"{attack_report['stragglers']} attacker tasks did not end at the deadline")
        for name, kind in attack_report["kinds"].items():
            seen = ", ".join(f"{k} x{v}" for k, v in kind["statuses"].items())
            errors = ", ".join(f"{k} x{v}" for k, v in kind["errors"].items())
            opened, requests = kind["connections"], kind["requests"]
            if kind.get("unfinished"):
                seen += f"; {kind['unfinished']} unanswered at the end"
            if name == "idle":
                opened, requests = kind["requests"], "-"
                seen = (f"{kind.get('held_at_start', 0)} open at the start (opened in {kind.get('open_seconds', 0)} s "
                        f"from {kind.get('addresses', 0)} addresses), at most {kind.get('held_max', 0)} at once; "
                        f"closed by the server: {kind.get('closed_by_server', 0)}")
            print(f"{name:<11} {opened:>6} {requests:>8}  {seen}" + (f"; errors {errors}" if errors else ""))
            odd = [s for s in kind["statuses"] if s.split()[-1].startswith("5") and s.split()[-1] != "503"]
            if odd:
                notes.append(f"{name}: server errors {odd}")
        held = attack_report["kinds"]["idle"].get("held_at_start", 0)
        if held < args.idle:
            notes.append(f"idle: only {held} of {args.idle} were open when the clock started")

    print(f"{'probe':<11} {'count':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    if "error" in probe_report:
        failures.append(f"prober: {probe_report['error']}")
    else:
        for name, run in probe_report["probes"].items():
            samples = run["samples_ms"]
            p50, p99, peak = percentile(samples, 50), percentile(samples, 99), max(samples, default=math.nan)
            run.update(p50_ms=p50, p99_ms=p99, max_ms=peak, count=len(samples))
            seen = ", ".join(f"{k} x{v}" for k, v in sorted(run["statuses"].items()))
            retried = f"; {run['retried']} retried on a new connection" if run["retried"] else ""
            retried += f"; prober wake-up late p99 {run['wakeup_late_p99_ms']:.1f} ms"
            print(f"{name:<11} {len(samples):>8} {p50:>8.1f} {p99:>8.1f} {peak:>8.1f}  {seen}{retried}")
            if not samples or not p99 < args.p99_ms:
                failures.append(f"{run['path']}: p99 {p99:.1f} ms (limit {args.p99_ms:g} ms)")

    print(f"CPU s during the attack: server {reports['server_cpu_s']}, attackers "
          f"{attack_report.get('cpu_s', '?')}, prober {probe_report.get('cpu_s', '?')}")
    peak = max((rss for _, rss in rss_during + rss_after), default=math.nan)
    end = rss_after[-1][1] if rss_after else math.nan
    when = f"after {returned_after:.1f} s" if returned_after is not None else f"not within {RETURN_WINDOW_S:g} s"
    print(f"RSS MB: start {rss_start:.1f}, peak {peak:.1f} (VmHWM {hwm or math.nan:.1f}), end {end:.1f}; "
          f"back to <= start + {RSS_SLACK_MB:g}: {when}")
    if returned_after is None:
        failures.append(f"memory: {end:.1f} MB {RETURN_WINDOW_S:g} s after the end (start {rss_start:.1f} MB)")
    if not alive:
        failures.append("the server exited")
    log_lines = [line for line in server_log.splitlines() if line.strip() and "labelkit: serving" not in line]
    if log_lines:
        notes.append(f"server log: {len(log_lines)} lines, last: {log_lines[-1][:200]}")
    for note in notes:
        print(f"note: {note}")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("hostile-mix: " + ("FAIL" if failures else "PASS"))

    if args.json:
        out = {
            "seconds": args.seconds, "idle": args.idle, "renders": args.renders, "cores": os.cpu_count(),
            "attack": attack_report, "probe": probe_report, "server_cpu_s": reports["server_cpu_s"],
            "load_before": reports["load_before"],
            "rss_mb": {"start": rss_start, "peak": peak, "hwm": hwm, "end": end, "returned_after_s": returned_after,
                       "during": rss_during, "after": rss_after},
            "notes": notes, "failures": failures, "passed": not failures,
        }
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
