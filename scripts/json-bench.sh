#!/usr/bin/env bash
# The JSON benchmark with orjson measured in the same run on the same bodies, and the writer's
# proofs. orjson and numpy go into a throw-away virtual environment (VENV, default
# /tmp/activation-json-bench-venv), never into the repository.
#
# Usage: scripts/json-bench.sh [rounds]            the throughput table (default 15 rounds)
#        scripts/json-bench.sh --prove             every float32, then 10^8 float64 (minutes)
# Environment: VENV, THREADS (proofs; default: the processor count), FLOAT64_SAMPLE (10^8).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product activation-json-bench >/dev/null
BIN="$(swift build -c release --show-bin-path)/activation-json-bench"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); commit $(git rev-parse --short HEAD)"

if [ "${1:-}" = "--prove" ]; then
    THREADS=${THREADS:-$(nproc)}
    "$BIN" --prove-float32 --threads "$THREADS"
    "$BIN" --prove-float64 "${FLOAT64_SAMPLE:-100000000}" --threads "$THREADS"
    exit 0
fi

VENV=${VENV:-/tmp/activation-json-bench-venv}
if [ ! -x "$VENV/bin/python3" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q orjson numpy
fi
"$BIN" "${1:-15}" --orjson "$VENV/bin/python3"
