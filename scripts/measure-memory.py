#!/usr/bin/env python3
"""Measures the peak resident set (VmHWM) of the release server for issue 14's scenarios.

Each scenario starts a fresh server (so its high-water mark is the scenario's own), runs, and
reads /proc/PID/status; the server's /metrics gives the budget's peak reservation. Scenarios:

- one:    one 63 MB request (3.3 million float64 numbers in 17 digits, gelu, values and gradients);
- two:    two of them at once;
- uploads: 20 clients each upload a 60 MB body at the same time;
- flood:  a small budget (--flood-budget, 400 MiB) under 8 maximum-size uploads, 4 slow uploads
          (1 MB/s) and 4 answers of 8 MB at once, with /healthz polled every 100 ms: every request
          must be answered 200, 413 or 503 with a JSON error, /healthz within a second, and the
          resident set must stay within budget + baseline + 64 MiB (allocator slack, thread
          stacks); the exit status is non-zero otherwise. --quick runs it at a tenth of the sizes
          (1.5 MB uploads) with a 64 MiB budget, which scripts/test.sh does against the debug build.

The baseline is the idle server's resident set after one small request. A peer binary (--peer,
e.g. an older build) runs the same scenarios in the same run, for the before/after ratio.
Standard library only. Usage:
  swift build -c release --product activation-server
  scripts/measure-memory.py [--scenarios one,two,uploads,flood] [--budget BYTES] [--peer PATH]
"""
import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Server:
    def __init__(self, binary, env):
        self.port = free_port()
        full_env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), LOG_LEVEL="error", DRAIN_SECONDS="0",
                        **env)
        self.process = subprocess.Popen([binary], env=full_env)
        for _ in range(200):
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("server did not start")

    def get(self, path, timeout=5):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def rss_mib(self):
        return status_kib(self.process.pid, "VmRSS") / 1024

    def peak_mib(self):
        return status_kib(self.process.pid, "VmHWM") / 1024

    def metric(self, name):
        status, body = self.get("/metrics")
        for line in body.decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.process.returncode


def gelu_body(target_bytes, seed=1):
    """A /v1/activate body of about target_bytes: float64 numbers printed with 17 digits."""
    rng = random.Random(seed)
    count = target_bytes // 19
    numbers = ",".join(f"{rng.uniform(-4, 4):.17g}" for _ in range(count))
    body = ('{"function":"gelu","dtype":"float64","outputs":["values","gradients"],"inputs":[' + numbers + "]}")
    return body.encode(), count


def post(port, body, timeout=120, pace=None):
    """POSTs body; pace (bytes per second) sends it slowly. Returns (status, json or None, seconds)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        head = (f"POST /v1/activate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        try:
            s.sendall(head)
            if pace:
                step = max(1, pace // 10)
                for offset in range(0, len(body), step):
                    s.sendall(body[offset:offset + step])
                    time.sleep(0.1)
            else:
                s.sendall(body)
        except OSError:
            pass  # the server answered early (413/503) and closed; the answer is still readable
        chunks = []
        while True:
            try:
                chunk = s.recv(1 << 20)
            except (ConnectionResetError, TimeoutError, socket.timeout):
                break
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head_end = raw.find(b"\r\n\r\n")
    if head_end < 0:
        return None, None, time.monotonic() - started
    status = int(raw[9:12])
    payload = raw[head_end + 4:]
    document = None
    if status != 200:
        try:
            document = json.loads(payload)
        except ValueError:
            document = None
    return status, document, time.monotonic() - started


def run_concurrently(jobs):
    results = [None] * len(jobs)

    def run(index, job):
        results[index] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def scenario(binary, env, jobs, health_poll=False):
    server = Server(binary, env)
    server.get("/v1/functions/gelu")
    baseline = server.rss_mib()
    health = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            started = time.monotonic()
            try:
                status, _ = server.get("/healthz", timeout=5)
            except OSError:
                status = None
            health.append((status, time.monotonic() - started))
            time.sleep(0.1)

    poller = threading.Thread(target=poll)
    if health_poll:
        poller.start()
    started = time.monotonic()
    results = run_concurrently([lambda job=job: job(server.port) for job in jobs])
    elapsed = time.monotonic() - started
    stop.set()
    if health_poll:
        poller.join()
    peak = server.peak_mib()
    budget = server.metric("http_memory_budget_bytes")
    reserved_peak = server.metric("http_memory_peak_bytes")
    alive = server.process.poll() is None
    server.stop()
    return {"baseline_mib": baseline, "peak_mib": peak, "alive": alive, "seconds": elapsed,
            "statuses": [r[0] for r in results], "errors": [r[1] for r in results],
            "budget_mib": budget / 2**20 if budget else None,
            "reserved_peak_mib": reserved_peak / 2**20 if reserved_peak else None,
            "health_max_seconds": max((h[1] for h in health), default=None),
            "health_failures": sum(1 for h in health if h[0] != 200)}


def describe(name, binary, result):
    statuses = {}
    for status in result["statuses"]:
        statuses[status] = statuses.get(status, 0) + 1
    codes = sorted({e["error"]["code"] for e in result["errors"] if isinstance(e, dict) and "error" in e})
    line = (f"| {name} | {binary} | {result['baseline_mib']:.0f} | {result['peak_mib']:.0f} | "
            f"{result['budget_mib']:.0f} | " if result["budget_mib"] else
            f"| {name} | {binary} | {result['baseline_mib']:.0f} | {result['peak_mib']:.0f} | - | ")
    line += (f"{result['reserved_peak_mib']:.0f} | " if result["reserved_peak_mib"] else "- | ")
    line += f"{statuses} {codes if codes else ''} | {result['seconds']:.1f} |"
    if result["health_max_seconds"] is not None:
        line += f" healthz max {result['health_max_seconds'] * 1000:.0f} ms, {result['health_failures']} failed |"
    return line


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build/release/activation-server"))
    parser.add_argument("--peer", help="another build to run the same scenarios (e.g. before this change)")
    parser.add_argument("--scenarios", default="one,two,uploads,flood")
    parser.add_argument("--budget", type=int, default=402653184,
                        help="MEMORY_BUDGET_BYTES for the uploads scenario and the budgeted runs (the manifests')")
    parser.add_argument("--flood-budget", type=int, default=400 << 20)
    parser.add_argument("--quick", action="store_true",
                        help="the flood at a tenth of the sizes with a 64 MiB budget: the check scripts/test.sh runs "
                             "against the debug build")
    args = parser.parse_args()
    if args.quick:
        args.flood_budget = min(args.flood_budget, 64 << 20)
    scenarios = args.scenarios.split(",")

    print("building bodies...", file=sys.stderr)
    scale = 10 if args.quick else 1
    big, count = gelu_body(63_000_000 // scale) if set(scenarios) & {"one", "two"} else (b"", 0)
    upload, _ = gelu_body(60_000_000 // scale // (4 if args.quick else 1), seed=2)
    print(f"one request: {len(big)} bytes, {count} numbers", file=sys.stderr)
    small_answer, _ = gelu_body(4_000_000 // scale, seed=3)
    answer_body, _ = gelu_body(8_000_000 // scale, seed=4)

    binaries = [("this", args.binary)] + ([("peer", args.peer)] if args.peer else [])
    rows = []
    failures = []
    for scenario_name in scenarios:
        for label, binary in binaries:
            runs = []
            if scenario_name == "one":
                runs.append(("one 63 MB gelu", {}, [lambda port: post(port, big)]))
                if label == "this":
                    runs.append(("one 63 MB gelu, manifest budget", {"MEMORY_BUDGET_BYTES": str(args.budget)},
                                 [lambda port: post(port, big)]))
            elif scenario_name == "two":
                runs.append(("two 63 MB gelu at once", {}, [lambda port: post(port, big)] * 2))
                if label == "this":
                    runs.append(("two 63 MB gelu at once, manifest budget",
                                 {"MEMORY_BUDGET_BYTES": str(args.budget)}, [lambda port: post(port, big)] * 2))
            elif scenario_name == "uploads":
                if label == "this":
                    runs.append(("20 uploads of 60 MB, manifest budget", {"MEMORY_BUDGET_BYTES": str(args.budget)},
                                 [lambda port: post(port, upload)] * 20))
            elif scenario_name == "flood" and label == "this":
                jobs = ([lambda port: post(port, upload)] * 8
                        + [lambda port: post(port, small_answer, pace=1_000_000 // scale)] * 4
                        + [lambda port: post(port, answer_body)] * 4)
                runs.append((f"flood, budget {args.flood_budget >> 20} MiB",
                             {"MEMORY_BUDGET_BYTES": str(args.flood_budget), "MEMORY_WAIT_SECONDS": "10"}, jobs))
            for name, env, jobs in runs:
                print(f"{label}: {name}", file=sys.stderr)
                result = scenario(binary, env, jobs, health_poll=scenario_name == "flood")
                rows.append(describe(name, label, result))
                if label == "this":
                    if not result["alive"]:
                        failures.append(f"{name}: the server died")
                    for status, error in zip(result["statuses"], result["errors"]):
                        if status not in (200, 413, 503) or (status != 200 and not (isinstance(error, dict)
                                                                                    and "error" in error)):
                            failures.append(f"{name}: answered {status} {error}")
                    if scenario_name == "flood":
                        bound = args.flood_budget / 2**20 + result["baseline_mib"] + 64
                        if result["peak_mib"] > bound:
                            failures.append(f"{name}: peak {result['peak_mib']:.0f} MiB above budget + baseline + 64")
                        if result["health_max_seconds"] is None or result["health_max_seconds"] >= 1 \
                                or result["health_failures"]:
                            failures.append(f"{name}: /healthz slower than 1 s or failing")
    print("| scenario | build | baseline MiB | peak RSS MiB | budget MiB | reserved peak MiB | answers | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
