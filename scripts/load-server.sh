#!/usr/bin/env bash
# Load benchmark of the HTTP server against nginx on the same machine, in the same run.
# Loopback only, bounded in time: wrk for DURATION (default 10s) per case, small keep-alive
# GET responses, 1 and 64 connections. Prints requests/s, p50 and p99 for both servers, and
# the socket errors wrk saw (a lost request shows up there or as a non-2xx count).
# Usage: scripts/load-server.sh [DURATION]        e.g. scripts/load-server.sh 10s
#        TARGET_URL=http://127.0.0.1:8080/healthz scripts/load-server.sh
#            measures an already running server (the service) instead of http-echo-server.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
threads=1

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
server_pid=""; nginx_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${TARGET_URL:-}" ]; then
    server_url="$TARGET_URL"
else
    # Our server on an ephemeral port; it prints "listening on PORT".
    swift build -c release --product http-echo-server >/dev/null
    .build/release/http-echo-server 0 127.0.0.1 >"$work/server.out" 2>&1 &
    server_pid=$!
    for _ in $(seq 50); do grep -q "listening on" "$work/server.out" && break; sleep 0.1; done
    server_url="http://127.0.0.1:$(awk '/listening on/ {print $3}' "$work/server.out")/healthz"
fi

# nginx answering a fixed 200 body of the same size, one worker per core, no logging.
nginx_port=$((20000 + RANDOM % 20000))
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { default_type application/json; return 200 '{"status":"ok"}'; }
    }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" &
nginx_pid=$!
sleep 0.5

run() { # name url connections
    local out
    out=$(wrk -t"$threads" -c"$3" -d"$duration" --latency "$2")
    local rps p50 p99 errors non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(grep -o 'Socket errors:.*' <<<"$out" || echo "Socket errors: none")
    non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" || echo "Non-2xx: 0")
    printf '%-14s %3s conns  %10s req/s  p50 %-8s p99 %-8s %s; %s\n' "$1" "$3" "$rps" "$p50" "$p99" "$errors" "$non2xx"
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')  machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk -t$threads -d$duration, GET small JSON body, keep-alive"
for connections in 1 64; do
    run "http-server" "$server_url" "$connections"
    run "nginx" "http://127.0.0.1:$nginx_port/healthz" "$connections"
done
