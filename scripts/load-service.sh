#!/usr/bin/env bash
# End-to-end load figures for the service: wrk on loopback, bounded in time.
#
# One run measures, against the release server:
#   gelu-16        POST a 16-element float64 gelu evaluation
#   sigmoid-1024   POST a 1,024-element float64 sigmoid
#   relu-65536     POST a 65,536-element float32 relu, numbers written with 17 digits (~1.2 MB)
#   batch-8x64     POST a batch of 8 evaluations of 64 elements
#   functions      GET /v1/functions
#   healthz        GET /healthz (the floor: the server with the least work)
# and writes requests/s, elements/s, request MB/s and p99 latency to docs/benchmarks-service.md.
#
# Usage: scripts/load-service.sh [--skip-build]
# Environment: DURATION (seconds per scenario, default 10), CONNECTIONS (default 16),
#              THREADS (wrk threads, default 2), OUT (default docs/benchmarks-service.md).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
OUT=${OUT:-docs/benchmarks-service.md}

command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ "${1:-}" != "--skip-build" ]; then
    swift build -c release --product activation-server >/dev/null
fi
BIN="$(swift build -c release --show-bin-path)/activation-server"

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" --host 127.0.0.1 --port "$PORT" --log-level error --drain-seconds 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do "$BIN" healthcheck --port "$PORT" >/dev/null 2>&1 && break; sleep 0.1; done

# Bodies, deterministic (seeded), written once.
python3 scripts/bench_bodies.py "$WORK"

cat >"$WORK/post.lua" <<'LUA'
local path = os.getenv("BODY_FILE")
local file = io.open(path, "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
LUA

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
run() { # name path [body]
    local name=$1 path=$2 body=${3:-}
    local output="$WORK/$name.txt" bytes=0 elements=0
    if [ -n "$body" ]; then
        bytes=$(stat -c %s "$body"); elements=$(cat "${body%.json}.elements")
        BODY_FILE="$body" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
            -s "$WORK/post.lua" "http://127.0.0.1:$PORT$path" >"$output"
    else
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
            "http://127.0.0.1:$PORT$path" >"$output"
    fi
    local rps p99 errors non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$output")
    p99=$(awk '$1 == "99%" {print $2}' "$output")
    non2xx=$(awk -F': ' '/Non-2xx/ {print $2}' "$output"); non2xx=${non2xx:-0}
    errors=$(awk '/Socket errors/ {n=0; for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) {gsub(",","",$i); n+=$i}; print n}' "$output"); errors=${errors:-0}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$elements" "$bytes" "$p99" "$non2xx" "$errors" >>"$RESULTS"
    echo "$name: $rps requests/s, p99 $p99, non-2xx $non2xx, socket errors $errors"
}

run gelu-16 /v1/activate "$WORK/gelu-16.json"
run sigmoid-1024 /v1/activate "$WORK/sigmoid-1024.json"
run relu-65536 /v1/activate "$WORK/relu-65536.json"
run batch-8x64 /v1/activate "$WORK/batch-8x64.json"
run functions /v1/functions
run healthz /healthz

python3 - "$RESULTS" "$OUT" "$DURATION" "$CONNECTIONS" "$THREADS" <<'PY'
import datetime, os, platform, subprocess, sys
results, out, duration, connections, threads = sys.argv[1:]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
rows = []
for line in open(results):
    name, rps, elements, size, p99, non2xx, errors = line.rstrip("\n").split("\t")
    rps = float(rps)
    rows.append((name, rps, int(elements), int(size), p99, int(non2xx), int(errors)))
lines = [
    "# Service load figures",
    "",
    "Measured by `scripts/load-service.sh`: wrk on loopback against the release server, "
    f"{threads} wrk threads, {connections} keep-alive connections, {duration} s per scenario.",
    "",
    f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
    f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()} "
    "(the load generator shares the cores with the server)",
    "",
    "| Scenario | Requests/s | Elements/s | Request MB/s | p99 | Non-2xx | Socket errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for name, rps, elements, size, p99, non2xx, errors in rows:
    lines.append(f"| {name} | {rps:,.0f} | {rps * elements:,.0f} | {rps * size / 1e6:,.1f} | {p99} | {non2xx} | {errors} |")
by = {row[0]: row for row in rows}
if "gelu-16" in by and "healthz" in by:
    lines += ["", f"gelu-16 runs at {by['gelu-16'][1] / by['healthz'][1]:.0%} of the GET /healthz rate on the same server."]
body = "\n".join(lines) + "\n"
existing = open(out).read() if os.path.exists(out) else ""
marker = "<!-- figures:end -->"
tail = existing.split(marker, 1)[1] if marker in existing else "\n## Where the time goes\n\n(see below)\n"
open(out, "w").write(body + marker + tail)
print(body)
PY
