#!/usr/bin/env bash
# The service's contract checks against the live release server:
# 1. build the release server and start it on a free loopback port;
# 2. openapi-spec-validator on openapi.yaml;
# 3. openapi.yaml is what scripts/gen-openapi.py generates from this server (examples are the
#    real answers) and the binary embeds exactly that file;
# 4. every parameter bound, default and choice, every name and the axis range that openapi.yaml
#    states for each function is what the server accepts (scripts/check-openapi-params.py);
# 5. schemathesis finds no failure (scripts/schemathesis.sh);
# 6. SIGTERM stops the server with exit 0 (readiness 503 first).
# Needs a Python environment with openapi-spec-validator, schemathesis and PyYAML on PATH
# (scripts/test.sh makes one).
# Usage: scripts/service-checks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

log "building the release server"
swift build -c release --product activation-server
BIN="$(swift build -c release --show-bin-path)/activation-server"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
LOG=$(mktemp)
"$BIN" --host 127.0.0.1 --port "$PORT" --drain-seconds 1 --log-level warning >"$LOG" 2>&1 &
SERVER_PID=$!
stop_server() { kill -KILL "$SERVER_PID" 2>/dev/null || true; rm -f "$LOG"; }
trap stop_server EXIT

for _ in $(seq 1 100); do
    "$BIN" healthcheck --port "$PORT" --timeout-seconds 1 >/dev/null 2>&1 && break
    sleep 0.1
done
"$BIN" healthcheck --port "$PORT"

log "openapi-spec-validator openapi.yaml"
openapi-spec-validator openapi.yaml

log "openapi.yaml matches the generator and the live answers; the binary embeds it"
python3 scripts/gen-openapi.py --base-url "$BASE" --check
python3 scripts/embed-openapi.py --check
curl_free_fetch() { python3 -c 'import sys,urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' "$1"; }
curl_free_fetch "$BASE/openapi.yaml" | cmp - openapi.yaml
echo "GET /openapi.yaml is the committed file byte for byte"

log "each function's request schema against the server, bound by bound"
python3 scripts/check-openapi-params.py --base-url "$BASE"

log "schemathesis against $BASE"
scripts/schemathesis.sh "$BASE"

log "SIGTERM: readiness 503 at once, then exit 0"
kill -TERM "$SERVER_PID"
sleep 0.2
status=$(python3 -c 'import sys,urllib.request,urllib.error
try: print(urllib.request.urlopen(sys.argv[1]).status)
except urllib.error.HTTPError as e: print(e.code)' "$BASE/readyz")
[ "$status" = 503 ] || { echo "readyz answered $status while draining" >&2; exit 1; }
code=0
wait "$SERVER_PID" || code=$?
[ "$code" -eq 0 ] || { echo "server exited with $code after SIGTERM" >&2; cat "$LOG" >&2; exit 1; }
echo "server drained and exited 0"
