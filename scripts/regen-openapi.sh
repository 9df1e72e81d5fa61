#!/usr/bin/env bash
# Regenerates openapi.yaml from the running service and embeds it into the binary:
# build, start the debug server on a free port, scripts/gen-openapi.py, stop it,
# scripts/embed-openapi.py. Needs PyYAML (the venv scripts/test.sh makes: .build/venv).
# Usage: scripts/regen-openapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$( [ -x .build/venv/bin/python3 ] && echo .build/venv/bin/python3 || echo python3 )}
swift build --product activation-server >/dev/null
BIN="$(swift build --show-bin-path)/activation-server"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" --host 127.0.0.1 --port "$PORT" --drain-seconds 0 --log-level error &
SERVER=$!
trap 'kill -KILL $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do "$BIN" healthcheck --port "$PORT" >/dev/null 2>&1 && break; sleep 0.1; done
"$PYTHON" scripts/gen-openapi.py --base-url "http://127.0.0.1:$PORT"
kill -TERM "$SERVER"; wait "$SERVER" || true
"$PYTHON" scripts/embed-openapi.py
echo "openapi.yaml regenerated and embedded; rebuild to serve it"
