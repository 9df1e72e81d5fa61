#!/usr/bin/env bash
# Instructions per request on the four POST workloads of scripts/load-compare.sh: the release
# server runs under valgrind's callgrind (a copy stripped of debug information, which this
# valgrind cannot read) and is sent N1 and then N2 requests over one keep-alive connection;
# (Ir(N2) - Ir(N1)) / (N2 - N1) is the count per request, every thread included, free of
# start-up. Deterministic, so two builds compare on a loaded machine where rates and CPU times
# do not; it counts work, not time (valgrind runs the threads one at a time: no contention).
#
# Usage: scripts/count-instructions.sh [--skip-build] [WORKLOAD ...]
#   WORKLOAD: gelu-16, sigmoid-1024, relu-65536, batch-8x64 (default: gelu-16 sigmoid-1024 batch-8x64)
# Environment: BIN (a server binary to measure instead of this tree's release build),
#              N1 (default 20), N2 (default 220).
set -euo pipefail
cd "$(dirname "$0")/.."

N1=${N1:-20}
N2=${N2:-220}
if [ "${1:-}" = "--skip-build" ]; then shift; elif [ -z "${BIN:-}" ]; then
    swift build -c release --product activation-server >/dev/null
fi
BIN=${BIN:-"$(swift build -c release --show-bin-path)/activation-server"}
WORKLOADS=${*:-gelu-16 sigmoid-1024 batch-8x64}
command -v valgrind >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
strip -o "$WORK/server" "$BIN"
python3 scripts/bench_bodies.py "$WORK"

count() { # workload requests -> instructions of a server that answered them
    local name=$1 requests=$2 port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
        "$WORK/server" --host 127.0.0.1 --port "$port" --log-level error --drain-seconds 0 >"$WORK/valgrind.log" 2>&1 &
    local server=$!
    python3 - "$port" "$WORK/$name.json" "$requests" <<'PY'
import http.client, sys, time
port, body, requests = int(sys.argv[1]), open(sys.argv[2], "rb").read(), int(sys.argv[3])
for _ in range(600):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port); connection.connect(); break
    except OSError:
        time.sleep(0.1)
for _ in range(requests):
    connection.request("POST", "/v1/activate", body, {"Content-Type": "application/json"})
    response = connection.getresponse(); response.read()
    assert response.status == 200, response.status
connection.close()
PY
    kill -TERM "$server"; wait "$server" || true
    awk '/Collected :/ {print $NF}' "$WORK/valgrind.log"
}

echo "| Workload | Instructions per request |"
echo "| --- | ---: |"
for name in $WORKLOADS; do
    a=$(count "$name" "$N1"); b=$(count "$name" "$N2")
    python3 -c "print(f'| $name | {($b - $a) / ($N2 - $N1):,.0f} |')"
done
