#!/usr/bin/env bash
# The Open Inference Protocol front end checked with the real tritonclient[http]: starts the
# release server on a free loopback port and runs Tests/oip/test_tritonclient.py against it.
# Then a server with API keys: tritonclient's headers={"Authorization": ...} must pass them.
# Needs a Python with tritonclient[http] (scripts/test.sh puts one on PATH: .build/venv).
# Usage: scripts/oip-checks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product activation-server
BIN="$(swift build -c release --show-bin-path)/activation-server"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
LOG=$(mktemp)
"$BIN" --host 127.0.0.1 --port "$PORT" --log-level warning >"$LOG" 2>&1 &
SERVER_PID=$!
stop_server() { kill -KILL "$SERVER_PID" 2>/dev/null || true; rm -f "$LOG"; }
trap stop_server EXIT
for _ in $(seq 1 100); do
    "$BIN" healthcheck --port "$PORT" --timeout-seconds 1 >/dev/null 2>&1 && break
    sleep 0.1
done
OIP_URL="127.0.0.1:$PORT" python3 Tests/oip/test_tritonclient.py

# The README's tritonclient example runs as printed (against this server's port).
awk '/^```python/{inside=1; next} /^```/{inside=0} inside' README.md | sed "s/localhost:8080/127.0.0.1:$PORT/" >"$LOG.example.py"
python3 "$LOG.example.py" >/dev/null
rm -f "$LOG.example.py"
echo "README's tritonclient example ran"

# API keys as tritonclient sends them (headers=...), against a second server that requires one.
stop_server
wait "$SERVER_PID" 2>/dev/null || true
KEYS=$(mktemp)
KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
printf '# oip-checks\n%s\n' "$KEY" >"$KEYS"
"$BIN" --host 127.0.0.1 --port "$PORT" --log-level warning --api-key-file "$KEYS" >"$LOG" 2>&1 &
SERVER_PID=$!
trap 'stop_server; rm -f "$KEYS"' EXIT
for _ in $(seq 1 100); do
    "$BIN" healthcheck --port "$PORT" --timeout-seconds 1 >/dev/null 2>&1 && break
    sleep 0.1
done
OIP_URL="127.0.0.1:$PORT" OIP_API_KEY="$KEY" python3 Tests/oip/test_tritonclient_api_key.py
