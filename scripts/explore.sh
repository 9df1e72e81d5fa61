#!/usr/bin/env bash
# Opens the explorer: builds and starts the release server on PORT (default 8080) and opens
# http://localhost:PORT/ in the desktop's browser (xdg-open or open), with the functions named
# on the command line chosen. The server runs in the foreground: Ctrl-C stops it.
# Usage: scripts/explore.sh [FUNCTION...]      e.g. scripts/explore.sh gelu swish leaky_relu6
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8080}
swift build -c release --product activation-server
BIN="$(swift build -c release --show-bin-path)/activation-server"
query=""
for name in "$@"; do query+="${query:+&}fn=$name"; done
URL="http://localhost:$PORT/${query:+?$query}"
"$BIN" --host 127.0.0.1 --port "$PORT" &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do "$BIN" healthcheck --port "$PORT" >/dev/null 2>&1 && break; sleep 0.1; done
echo "The explorer: $URL"
if command -v xdg-open >/dev/null; then xdg-open "$URL" >/dev/null 2>&1 || true
elif command -v open >/dev/null; then open "$URL" || true
fi
wait "$SERVER"
