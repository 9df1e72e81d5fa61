#!/usr/bin/env bash
# Where the server's CPU time goes on one workload: perf (cpu-clock sampling, which needs no
# hardware counters) on the release server while wrk posts the body, then the samples grouped
# into parts by the function they were taken in (self time, so the parts add up to 100 %).
#
# Usage: scripts/profile-service.sh [--skip-build] [WORKLOAD ...]
#   WORKLOAD: gelu-16, sigmoid-1024, relu-65536 (default), batch-8x64 (load-service.sh's bodies)
# Environment: DURATION (seconds sampled, default 8), CONNECTIONS (default 4).
# Prints, per workload, a table of parts and the 25 hottest functions.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-4}
if [ "${1:-}" = "--skip-build" ]; then shift; else swift build -c release --product activation-server >/dev/null; fi
WORKLOADS=${*:-relu-65536}
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v perf >/dev/null || need+=(linux-perf)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
BIN="$(swift build -c release --show-bin-path)/activation-server"

WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill -TERM $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" --host 127.0.0.1 --port "$PORT" --log-level error --drain-seconds 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do "$BIN" healthcheck --port "$PORT" >/dev/null 2>&1 && break; sleep 0.1; done

python3 scripts/bench_bodies.py "$WORK"

for name in $WORKLOADS; do
    BODY_FILE="$WORK/$name.json" wrk -t1 -c"$CONNECTIONS" -d"$((DURATION + 2))s" -s "$WORK/post.lua" \
        "http://127.0.0.1:$PORT/v1/activate" >"$WORK/$name.wrk" &
    LOAD=$!
    sleep 1
    perf record -q -e cpu-clock -F 999 -g -p "$SERVER" -o "$WORK/$name.data" -- sleep "$DURATION" 2>/dev/null
    wait "$LOAD"
    perf report -i "$WORK/$name.data" --no-children --sort symbol --stdio -g none --percent-limit 0.01 2>/dev/null \
        | grep -E '^ +[0-9.]+%' | swift demangle --simplified --compact >"$WORK/$name.symbols"
    echo "## $name ($(awk '/Requests\/sec/ {print $2}' "$WORK/$name.wrk") requests/s while sampled, $CONNECTIONS connections)"
    python3 - "$WORK/$name.symbols" <<'PY'
import re, sys
# Parts, first match wins; patterns are matched against demangled Swift and C symbol names.
parts = [
    ("Writing the answer (JSONWriter: numbers, structure)", r"JSONWriter|ShortestDigits|Ryu|Schubfach|BinaryToDecimal|writeFloat|writeDouble|NumberWriter|DecimalWriter"),
    ("Reading the body (JSONScanner: numbers, structure)", r"JSONReader|JSONScanner|ActivateRequestReader|DecimalToBinary|NumberReader|parseNumber|Scanner|Reader"),
    ("The engine (kernels, evaluations)", r"ActivationMath|ActivationEngine|Evaluator|Kernel|Evaluation|Tensor|exp|log1p|expm1|tanh|erf"),
    ("Copies and zero-filling (memmove, memcpy, memset)", r"memmove|memcpy|memset"),
    ("Thread hand-offs (context switches, wake-ups)", r"finish_task_switch|schedule|try_to_wake_up|futex|__switch_to|pick_next|dequeue_task|enqueue_task"),
    ("Allocation, reference counting, hashing", r"malloc|free|swift_allocObject|swift_release|swift_retain|swift_bridgeObject|swift_deallocObject|realloc|madvise|mmap|RefCount|_ContiguousArrayStorage|Hasher|swift_isUniquelyReferenced|Dictionary"),
    ("HTTP: parse, frame, route", r"HTTPRequestParser|HTTPRouter|HTTPByteClass|HTTPLine|ResponseEncoder|HTTPHeaders|HTTPConnection|EventLane|ContentCoding"),
    ("Socket I/O and the kernel", r"\[k\]|syscall|epoll|read$|write$|__libc_|sendto|recvfrom|writev|sendmsg"),
    ("Metrics, logging, locks", r"Metrics|Prometheus|Logger|Locked|pthread_mutex|futex|Atomic"),
]
totals = {name: 0.0 for name, _ in parts}
other = 0.0
rows = []
for line in open(sys.argv[1]):
    match = re.match(r"\s*([0-9.]+)%\s+\[(.)\]\s+(.*)", line)
    if not match:
        continue
    share, where, symbol = float(match.group(1)), match.group(2), match.group(3).strip()
    rows.append((share, where, symbol))
    label = symbol if where != "k" else "[k] " + symbol
    for name, pattern in parts:
        if re.search(pattern, label):
            totals[name] += share
            break
    else:
        other += share
print("| Part | Share of server CPU |")
print("| --- | ---: |")
for name, _ in parts:
    print(f"| {name} | {totals[name]:.0f}% |")
print(f"| Other | {other:.0f}% |")
print()
print("Hottest functions (self time):")
for share, where, symbol in rows[:25]:
    print(f"  {share:5.1f}%  [{where}] {symbol[:150]}")
print()
PY
done
