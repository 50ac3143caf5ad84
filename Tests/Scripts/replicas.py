#!/usr/bin/env python3
"""Three `labelkit serve` replicas on one PostgreSQL database, 50 annotators over HTTP.

    Scripts/postgres.sh run python3 Tests/Scripts/replicas.py --labelkit .build/debug/labelkit

Creates a fresh database on the server, starts three replicas sharing it (and an
operator token), imports 1,000 frames, creates a task with overlap 2 and lets 50
annotators (each with their own signed token, minted on one replica) work through
it, every request going to the next replica round-robin; 10% of the units are
skipped. Partway through, one replica is killed with SIGKILL and restarted on the
same port. Then it checks, against the database itself:

- every submission a replica acknowledged is stored;
- every unit has exactly `overlap` submissions, from distinct annotators;
- no annotator was handed a unit they had already been given (resumed locks aside);
- every unit is finished, and the task's status agrees.

Exit 0 on success, 1 with the failures listed. Only the standard library is used;
`psql` (PostgreSQL's client) creates the database.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import urllib.parse

ANNOTATORS = 50
FRAMES = 1000
OVERLAP = 2
OPERATOR = "replica-test-operator-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url, sql):
    u = urllib.parse.urlparse(url)
    env = dict(os.environ, PGCONNECT_TIMEOUT="10")
    out = subprocess.run(
        ["psql", "-h", u.hostname, "-p", str(u.port or 5432), "-U", u.username, "-d", u.path.lstrip("/"),
         "-AtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
        env=env, check=True, capture_output=True, text=True)
    return out.stdout


class Replica:
    def __init__(self, binary, folder, frames_db, index):
        self.binary, self.folder, self.frames_db, self.index = binary, folder, frames_db, index
        self.port = free_port()
        self.process = None

    def start(self):
        log = open(os.path.join(self.folder, f"replica-{self.index}.log"), "ab")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--root", self.folder, "--db", os.path.join(self.folder, f"r{self.index}.sqlite"),
             "--frames-db", self.frames_db, "--port", str(self.port), "--token", OPERATOR, "--log-level", "warning"],
            stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _ = request(self.port, "GET", "/healthz", None, None, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"replica {self.index} exited with {self.process.returncode}; see its log")
            time.sleep(0.1)
        raise SystemExit(f"replica {self.index} did not answer /healthz within 60 s")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def request(port, method, path, body, token, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read()
        return response.status, (json.loads(text) if text else None)
    finally:
        connection.close()


class Run:
    def __init__(self, replicas, task):
        self.replicas, self.task = replicas, task
        self.lock = threading.Lock()
        self.acknowledged = []      # (user, unit) answered 200, or 409 "already submitted" after a retry
        self.given = {}             # user -> units handed out fresh (not resumed)
        self.failures = []
        self.requests = 0
        self.retries = 0

    def call(self, counter, token, action, body):
        """POSTs to the next replica round-robin; a refused or cut connection goes to the next one."""
        for attempt in range(60):
            replica = self.replicas[(counter[0] + attempt) % len(self.replicas)]
            try:
                status, answer = request(replica.port, "POST", f"/frames/tasks/{self.task}/{action}", body, token)
                counter[0] += 1
                with self.lock:
                    self.requests += 1
                return status, answer, attempt > 0
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.retries += 1
                time.sleep(0.05)
        raise RuntimeError(f"{action}: no replica answered in 60 attempts")

    def annotator(self, index, token):
        user = f"annotator-{index:02d}"
        rng = random.Random(index)
        counter = [index]
        given = []
        try:
            while True:
                status, answer, _ = self.call(counter, token, "next", {})
                if status != 200:
                    raise RuntimeError(f"next: HTTP {status} {answer}")
                if answer["status"] == "done":
                    break
                if answer["status"] == "locked":
                    time.sleep(0.02)
                    continue
                unit = answer["unit"]
                if answer.get("reason") != "resumed":
                    given.append(unit)
                action = "skip" if rng.random() < 0.1 else "submit"
                body = {"unit": unit} if action == "skip" else {"unit": unit, "result": {"by": user}}
                status, answer, retried = self.call(counter, token, action, body)
                if status == 200:
                    if action == "submit":
                        with self.lock:
                            self.acknowledged.append((user, unit))
                elif status == 409 and retried and "already" in json.dumps(answer):
                    # The first attempt was committed before its replica died.
                    if action == "submit":
                        with self.lock:
                            self.acknowledged.append((user, unit))
                elif status == 409:
                    # The lock lapsed and others finished the unit: allowed, nothing stored.
                    pass
                else:
                    raise RuntimeError(f"{action} unit {unit}: HTTP {status} {answer}")
        except Exception as error:  # noqa: BLE001 - every failure is reported
            with self.lock:
                self.failures.append(f"{user}: {error}")
        with self.lock:
            self.given[user] = given


def check_metrics(replicas):
    """Every replica's /metrics parses with Prometheus' own parser and counts label-stream calls."""
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        print("replicas: prometheus_client not installed; /metrics parsing skipped")
        return []
    failures, operations = [], 0
    for replica in replicas:
        connection = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=30)
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        try:
            families = {family.name: family for family in text_string_to_metric_families(text)}
        except Exception as error:  # noqa: BLE001 - any parse failure is the finding
            failures.append(f"replica {replica.index}: /metrics does not parse: {error}")
            continue
        for name in ("labelkit_http_requests", "labelkit_http_request_duration_seconds", "labelkit_label_operations"):
            if name not in families:
                failures.append(f"replica {replica.index}: /metrics lacks {name}")
        family = families.get("labelkit_label_operations")
        operations += sum(s.value for s in family.samples if s.name.endswith("_total")) if family else 0
    if operations == 0:
        failures.append("/metrics counted no label-stream operations")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelkit", required=True)
    parser.add_argument("--postgres", default=os.environ.get("LABELKIT_TEST_POSTGRES"),
                        help="a database on the server to create the test's database from "
                             "(default: $LABELKIT_TEST_POSTGRES, set by Scripts/postgres.sh run)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and database")
    args = parser.parse_args()
    if not args.postgres:
        print("replicas: skipped (no PostgreSQL server: run under Scripts/postgres.sh run)")
        return 0
    if not shutil.which("psql"):
        print("replicas: psql not found (PostgreSQL's client); skipped")
        return 0

    name = f"lk_replicas_{os.getpid()}"
    psql(args.postgres, f"CREATE DATABASE {name}")
    base = urllib.parse.urlparse(args.postgres)
    frames_db = urllib.parse.urlunparse(base._replace(path="/" + name))
    folder = tempfile.mkdtemp(prefix="labelkit-replicas-")
    replicas = [Replica(os.path.abspath(args.labelkit), folder, frames_db, i) for i in range(3)]
    started = time.time()
    try:
        for replica in replicas:
            replica.start()
        frames = [{"id": f"f{i:04d}", "context_id": f"c{i // 100}", "timestamp_ms": i} for i in range(FRAMES)]
        status, answer = request(replicas[0].port, "POST", "/frames/import", frames, OPERATOR)
        assert status == 200 and answer == {"imported": FRAMES}, (status, answer)
        status, answer = request(
            replicas[1].port, "POST", "/frames/tasks", {"id": "review", "order": "random", "overlap": OVERLAP}, OPERATOR)
        assert status == 201, (status, answer)
        tokens = []
        for index in range(ANNOTATORS):
            status, answer = request(
                replicas[index % 3].port, "POST", "/auth/tokens",
                {"user": f"annotator-{index:02d}", "role": "annotator", "ttl": 3600}, OPERATOR)
            assert status == 201, (status, answer)
            tokens.append(answer["token"])

        run = Run(replicas, "review")
        threads = [threading.Thread(target=run.annotator, args=(i, tokens[i])) for i in range(ANNOTATORS)]
        for thread in threads:
            thread.start()
        # Kill one replica once about a third of the work is acknowledged, and restart it.
        while len(run.acknowledged) < FRAMES * OVERLAP // 3 and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        killed_at = len(run.acknowledged)
        replicas[1].kill()
        time.sleep(1)
        replicas[1].start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - started

        failures = list(run.failures)
        rows = psql(frames_db, "SELECT \"user\", unit FROM label_mark WHERE task_id = 'review' AND kind = 'submitted'")
        stored = {(line.split("|")[0], int(line.split("|")[1])) for line in rows.split()}
        lost = [pair for pair in run.acknowledged if pair not in stored]
        if lost:
            failures.append(f"{len(lost)} acknowledged submissions are not stored, e.g. {lost[:3]}")
        per_unit = {}
        for user, unit in stored:
            per_unit.setdefault(unit, []).append(user)
        wrong = {unit: users for unit, users in per_unit.items() if len(users) != OVERLAP or len(set(users)) != OVERLAP}
        if wrong:
            failures.append(f"{len(wrong)} units without exactly {OVERLAP} distinct annotators, e.g. {list(wrong.items())[:3]}")
        if len(per_unit) != FRAMES:
            failures.append(f"{FRAMES - len(per_unit)} units have no submission at all")
        for user, units in run.given.items():
            if len(units) != len(set(units)):
                failures.append(f"{user} was handed a unit twice")
        failures += check_metrics(replicas)
        status, answer = request(replicas[0].port, "GET", "/frames/tasks/review", None, OPERATOR)
        label = answer["label"]
        if label["complete"] != FRAMES or label["submitted"] != FRAMES * OVERLAP or label["locked"] != 0:
            failures.append(f"status disagrees: {label}")
        print(f"replicas: 3 replicas, {ANNOTATORS} annotators, {FRAMES} units, overlap {OVERLAP}: "
              f"{len(run.acknowledged)} submissions acknowledged, {len(stored)} stored, {run.requests} requests "
              f"({run.retries} retried after the kill at {killed_at} submissions) in {elapsed:.1f} s")
        for failure in failures:
            print(f"replicas: FAIL {failure}")
        return 1 if failures else 0
    finally:
        for replica in replicas:
            replica.stop()
        if args.keep:
            print(f"replicas: kept {folder} and database {name}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            try:
                psql(args.postgres, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            except subprocess.CalledProcessError:
                pass


if __name__ == "__main__":
    sys.exit(main())
