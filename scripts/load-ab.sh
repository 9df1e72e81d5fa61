#!/usr/bin/env bash
# Two builds of the server side by side: wrk posts the same body to each in turn, ROUNDS times
# per workload, so that a change in the machine's load hits both alike; prints each run and the
# mean requests/s of each build with their ratio (B / A). For before/after comparisons of one
# change, where a peer in the same run (scripts/load-compare.sh) adds its own noise.
#
# Usage: scripts/load-ab.sh BIN_A BIN_B [WORKLOAD ...]
#   BIN_A, BIN_B: activation-server binaries (say, main's release build and this tree's)
#   WORKLOAD: gelu-16, sigmoid-1024, relu-65536, batch-8x64 (load-compare.sh's bodies;
#             default: gelu-16 sigmoid-1024 batch-8x64)
# Environment: ROUNDS (default 3), DURATION (seconds per run, default 5), CONNECTIONS (32),
#              THREADS (wrk, 2).
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 2 ] || { sed -n '2,13p' "$0"; exit 2; }
BIN_A=$1; BIN_B=$2; shift 2
WORKLOADS=${*:-gelu-16 sigmoid-1024 batch-8x64}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

WORK=$(mktemp -d)
A=""; B=""
trap '[ -n "$A" ] && kill -TERM $A 2>/dev/null; [ -n "$B" ] && kill -TERM $B 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT_A=$(free_port); PORT_B=$(free_port)
"$BIN_A" --host 127.0.0.1 --port "$PORT_A" --log-level error --drain-seconds 0 >"$WORK/a.log" 2>&1 & A=$!
"$BIN_B" --host 127.0.0.1 --port "$PORT_B" --log-level error --drain-seconds 0 >"$WORK/b.log" 2>&1 & B=$!
for port in "$PORT_A" "$PORT_B"; do
    for _ in $(seq 1 100); do "$BIN_A" healthcheck --port "$port" >/dev/null 2>&1 && break; sleep 0.1; done
done

python3 scripts/bench_bodies.py "$WORK"

: >"$WORK/runs"
for name in $WORKLOADS; do
    for round in $(seq 1 "$ROUNDS"); do
        for side in A B; do
            port=$PORT_A; [ "$side" = B ] && port=$PORT_B
            rps=$(BODY_FILE="$WORK/$name.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/post.lua" \
                "http://127.0.0.1:$port/v1/activate" | awk '/Requests\/sec/ {print $2}')
            echo "$name round $round $side: $rps requests/s"
            echo "$name $side $rps" >>"$WORK/runs"
        done
    done
done
python3 - "$WORK/runs" <<'PY'
import collections, sys
runs = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    name, side, rps = line.split()
    runs[name][side].append(float(rps))
print("| Workload | A req/s | B req/s | B / A |")
print("| --- | ---: | ---: | ---: |")
for name, sides in runs.items():
    a, b = (sum(sides[s]) / len(sides[s]) for s in "AB")
    print(f"| {name} | {a:,.0f} | {b:,.0f} | {b / a:.2f}x |")
PY
