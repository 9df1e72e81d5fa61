#!/usr/bin/env bash
# The explorer page in a real browser (Debian's chromium and chromium-driver, selenium), against
# the release server on a loopback port, twice: open, and with API keys (scripts/page_checks.py
# lists the checks). Also: the embedded copy of explorer/ is current (scripts/embed-explorer.py).
# Needs selenium on PATH's python3 (scripts/test.sh's venv) and /usr/bin/chromium,
# /usr/bin/chromedriver (scripts/test.sh installs them).
# Usage: scripts/page-checks.sh [--screenshots DIR]
#        ACTIVATION_SERVER=.build/debug/activation-server scripts/page-checks.sh   (another build)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

log "the binary embeds explorer/ as it is"
python3 scripts/embed-explorer.py --check

if [ -z "${ACTIVATION_SERVER:-}" ]; then
    log "building the release server"
    swift build -c release --product activation-server
    ACTIVATION_SERVER="$(swift build -c release --show-bin-path)/activation-server"
fi
BIN="$ACTIVATION_SERVER"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
WORK=$(mktemp -d)
PIDS=()
stop_servers() { for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap stop_servers EXIT

start_server() { # port, extra flags...
    local port=$1; shift
    "$BIN" --host 127.0.0.1 --port "$port" --log-level warning "$@" >>"$WORK/server.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        "$BIN" healthcheck --port "$port" --timeout-seconds 1 >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    "$BIN" healthcheck --port "$port"
}

OPEN_PORT=$(free_port)
start_server "$OPEN_PORT"
KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
printf '# page checks\n%s\n' "$KEY" >"$WORK/keys"
KEYED_PORT=$(free_port)
start_server "$KEYED_PORT" --api-key-file "$WORK/keys"

log "the explorer in Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
python3 scripts/page_checks.py --base-url "http://127.0.0.1:$OPEN_PORT" \
    --keyed-base-url "http://127.0.0.1:$KEYED_PORT" --api-key "$KEY" "$@"
