#!/usr/bin/env bash
# Proves that a rolling restart loses no request.
#
# Two release servers on loopback behind HAProxy (health checks on /readyz); wrk drives steady
# load through HAProxy while each instance in turn gets SIGTERM, must exit 0, and is started
# again. Passes only when every request wrk sent got a 2xx: non-2xx answers and socket errors
# (connect, read, write, timeout) both count as lost. Loopback only, bounded in time.
#
# Usage: scripts/rolling-restart.sh [--skip-build]
# Environment: DURATION (wrk seconds, default 24), CONNECTIONS (default 16), DRAIN (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-24}
CONNECTIONS=${CONNECTIONS:-16}
DRAIN=${DRAIN:-2}

log() { printf '==> %s\n' "$*"; }

install_tools() {
    local missing=()
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # url, seconds
    local deadline=$((SECONDS + $2))
    until curl -fsS -o /dev/null --max-time 1 "$1"; do
        [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $1" >&2; return 1; }
        sleep 0.1
    done
}

install_tools
if [ "${1:-}" != "--skip-build" ]; then
    log "building the release server"
    swift build -c release --product activation-server >/dev/null
fi
BIN="$(swift build -c release --show-bin-path)/activation-server"
[ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
HAPROXY_PID=""
cleanup() {
    for pid in "${PIDS[@]}" $HAPROXY_PID; do { kill -KILL "$pid" && wait "$pid"; } 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT_A=$(free_port); PORT_B=$(free_port); PORT_LB=$(free_port)

start_instance() { # name port -> sets PID_<name>
    "$BIN" --host 127.0.0.1 --port "$2" --drain-seconds "$DRAIN" --log-level warning \
        >"$WORK/$1.log" 2>&1 &
    eval "PID_$1=$!"
    PIDS+=("$!")
    wait_for "http://127.0.0.1:$2/readyz" 20
}

cat >"$WORK/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option redispatch
    retries 3
    # A keep-alive connection the backend closed as it shut down is retried elsewhere.
    retry-on conn-failure empty-response
frontend fe
    bind 127.0.0.1:$PORT_LB
    default_backend be
backend be
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 250ms fall 1 rise 2
    server a 127.0.0.1:$PORT_A check
    server b 127.0.0.1:$PORT_B check
CFG

log "starting instances on :$PORT_A and :$PORT_B, HAProxy on :$PORT_LB"
start_instance A "$PORT_A"
start_instance B "$PORT_B"
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
wait_for "http://127.0.0.1:$PORT_LB/readyz" 10
sleep 1 # both servers up (rise 2 at 250 ms)

cat >"$WORK/activate.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"function":"gelu","inputs":[-3,-1.5,-0.5,0,0.5,1.5,3,4],"dtype":"float32"}'
LUA

log "wrk: ${DURATION}s, $CONNECTIONS connections, POST /v1/activate through HAProxy"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "$WORK/activate.lua" \
    "http://127.0.0.1:$PORT_LB/v1/activate" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!

restart() { # name port
    local pid_var="PID_$1"
    local pid=${!pid_var}
    sleep 3
    log "SIGTERM to instance $1 (pid $pid)"
    kill -TERM "$pid"
    local status=0
    wait "$pid" || status=$?
    [ "$status" -eq 0 ] || { echo "instance $1 exited with $status" >&2; cat "$WORK/$1.log" >&2; exit 1; }
    log "instance $1 exited 0; starting it again"
    start_instance "$1" "$2"
    sleep 1 # HAProxy marks it up again (rise 2 at 250 ms)
}
restart A "$PORT_A"
restart B "$PORT_B"

wait "$WRK_PID"
cat "$WORK/wrk.txt"

requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
non2xx=$(awk -F': ' '/Non-2xx or 3xx responses/ {print $2}' "$WORK/wrk.txt")
socket_errors=$(awk '/Socket errors/ {
    n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { gsub(",", "", $i); n += $i }; print n }' "$WORK/wrk.txt")
non2xx=${non2xx:-0}; socket_errors=${socket_errors:-0}
failed=$((non2xx + socket_errors))
echo
echo "requests sent: $requests, non-2xx: $non2xx, socket errors: $socket_errors, failed: $failed"
if [ -z "$requests" ] || [ "$requests" -eq 0 ]; then
    echo "FAIL: wrk sent no requests" >&2; exit 1
fi
if [ "$failed" -ne 0 ]; then
    echo "FAIL: $failed requests lost during the rolling restart" >&2; exit 1
fi
echo "PASS: no request lost through two restarts"
