#!/usr/bin/env python3
"""CPU time per request: the service against the FastAPI peer, on the bodies of load-compare.sh.

Throughput under wrk on this 2-core machine measures the neighbours as much as the server. This
measures what a request costs the server itself: each body is posted N times, one after the other
on one keep-alive connection, and the server's CPU time (user + system, summed over every thread
of every process of the server, from /proc/PID/task/TID/schedstat, nanoseconds) is read before
and after. Other load on the machine slows a request down but hardly changes its CPU time, so
the ratio of two servers' CPU per request is steadier than the ratio of their rates. (It leaves
out what wrk would add: concurrency, and the client's own CPU.)

Usage:
  scripts/cpu-per-request.py [--server BIN] [--peer-venv VENV] [--requests N] [WORKLOAD ...]

Workloads: gelu-16, sigmoid-1024, relu-65536, batch-8x64 (load-compare.sh's seeded bodies), and
v2-json (relu-65536's numbers posted to /v2/models/relu/infer as JSON tensor data; service only).
Without --server it uses the release build's activation-server; without --peer-venv only the
service is measured (a venv made by load-compare.sh's pins: fastapi uvicorn uvloop httptools
numpy orjson).
"""
import argparse
import glob
import http.client
import os
import socket
import subprocess
import sys
import time

import bench_bodies

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bodies():
    out = {name: ("/v1/activate", body) for name, (body, _) in bench_bodies.bodies().items()}
    relu = out["relu-65536"][1]
    data = relu[relu.index("["):-1]
    out["v2-json"] = ("/v2/models/relu/infer",
                      '{"inputs":[{"name":"x","shape":[65536],"datatype":"FP32","data":%s}]}' % data)
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(port, path):
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"no answer on port {port}")


def cpu_ns(root_pid):
    """CPU nanoseconds of root_pid and its descendants, every thread."""
    pids, frontier = [], [root_pid]
    while frontier:
        pid = frontier.pop()
        pids.append(pid)
        for path in glob.glob(f"/proc/{pid}/task/*/children"):
            try:
                frontier += [int(p) for p in open(path).read().split()]
            except OSError:
                pass
    total = 0
    for pid in pids:
        for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
            try:
                total += int(open(path).read().split()[0])
            except OSError:
                pass
    return total


def measure(port, pid, path, body, requests):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Content-Type": "application/json"}
    for _ in range(max(3, requests // 10)):  # warm-up
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {answer[:200]!r}")
    best = None
    for _ in range(3):  # the least of three rounds: a neighbour's interrupt only adds
        before = cpu_ns(pid)
        for _ in range(requests):
            conn.request("POST", path, body, headers)
            conn.getresponse().read()
        spent = (cpu_ns(pid) - before) / requests / 1000
        best = spent if best is None else min(best, spent)
    conn.close()
    return best, len(answer)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server")
    parser.add_argument("--peer-venv")
    parser.add_argument("--requests", type=int, default=0, help="per round (default: by workload)")
    parser.add_argument("workloads", nargs="*")
    args = parser.parse_args()
    all_bodies = bodies()
    workloads = args.workloads or ["gelu-16", "sigmoid-1024", "relu-65536", "batch-8x64", "v2-json"]
    server = args.server or os.path.join(
        subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip(),
        "activation-server")
    default_requests = {"gelu-16": 4000, "sigmoid-1024": 1000, "batch-8x64": 1000, "relu-65536": 40, "v2-json": 40}

    procs = []
    try:
        port = free_port()
        procs.append(subprocess.Popen([server, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_http(port, "/healthz")
        targets = [("service", port, procs[0].pid)]
        if args.peer_venv:
            peer_port = free_port()
            procs.append(subprocess.Popen(
                [os.path.join(args.peer_venv, "bin", "uvicorn"), "fastapi_peer:app", "--host", "127.0.0.1",
                 "--port", str(peer_port), "--workers", "2", "--loop", "uvloop", "--http", "httptools",
                 "--no-access-log", "--log-level", "warning"],
                cwd=os.path.join(ROOT, "scripts", "peer"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_http(peer_port, "/docs")
            targets.append(("fastapi", peer_port, procs[1].pid))
        print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
              f"{os.getloadavg()[0]:.1f}; CPU microseconds per request (least of 3 rounds)")
        print("| Workload | Answer | Service us/request | FastAPI us/request | FastAPI / service |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in workloads:
            path, body = all_bodies[name]
            n = args.requests or default_requests[name]
            ours, size = measure(port, procs[0].pid, path, body, n)
            peer = "", ""
            if len(targets) > 1 and path.startswith("/v1/"):
                theirs, _ = measure(targets[1][1], targets[1][2], path, body, n)
                peer = f"{theirs:,.1f}", f"{theirs / ours:.2f}x"
            print(f"| {name} | {size:,} B | {ours:,.1f} | {peer[0]} | {peer[1]} |", flush=True)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()


if __name__ == "__main__":
    sys.exit(main())
