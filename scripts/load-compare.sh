#!/usr/bin/env bash
# The service against its peers, same machine, same run: wrk on loopback.
#
# Targets, each sent the same four POST bodies (the seeded bodies of scripts/load-service.sh):
#   service   the release activation-server (every worker it defaults to)
#   fastapi   FastAPI + numpy + orjson (scripts/peer/fastapi_peer.py) under uvicorn with uvloop
#             and httptools, 2 worker processes; its packages go into a throw-away virtual
#             environment (pinned below; PEER_VENV reuses one)
#   nginx     nginx answering each POST with a fixed body of the size of the service's answer
#             (the floor: reading the request and writing the answer, nothing computed)
# Workloads: gelu-16, sigmoid-1024, relu-65536 (float32, 17-digit numbers, ~1.2 MB), batch-8x64.
# Writes requests/s, p50, p99 and the ratios service/fastapi and service/nginx between the
# markers <!-- compare:begin --> and <!-- compare:end --> of docs/benchmarks-service.md.
#
# Usage: scripts/load-compare.sh [--skip-build]
# Environment: DURATION (seconds per run, default 10), CONNECTIONS (default 32), THREADS (wrk,
#              default 2), PEER_VENV (an existing venv with the packages), OUT, LOADED (a note
#              that the machine was busy, printed with the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
OUT=${OUT:-docs/benchmarks-service.md}
LOADED=${LOADED:-}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ "${1:-}" != "--skip-build" ]; then
    swift build -c release --product activation-server >/dev/null
fi
BIN="$(swift build -c release --show-bin-path)/activation-server"

WORK=$(mktemp -d)
SERVER=""; PEER=""; NGINX=""
cleanup() {
    [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null || true
    [ -n "$PEER" ] && kill -TERM "$PEER" 2>/dev/null || true
    [ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

# The peer's packages, pinned, in a throw-away environment.
VENV=${PEER_VENV:-$WORK/venv}
if [ ! -x "$VENV/bin/uvicorn" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q fastapi==0.115.12 uvicorn==0.34.2 uvloop==0.21.0 httptools==0.6.4 \
        numpy==2.2.5 orjson==3.10.18
fi

PORT=$(free_port)
"$BIN" --host 127.0.0.1 --port "$PORT" --log-level error --drain-seconds 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
PEER_PORT=$(free_port)
(cd "$ROOT/scripts/peer" && exec "$VENV/bin/uvicorn" fastapi_peer:app --host 127.0.0.1 --port "$PEER_PORT" \
    --workers 2 --loop uvloop --http httptools --log-level warning --no-access-log) >"$WORK/peer.log" 2>&1 &
PEER=$!
wait_http "http://127.0.0.1:$PORT/healthz"
wait_http "http://127.0.0.1:$PEER_PORT/docs"

# Bodies, deterministic (seeded as in load-service.sh).
python3 scripts/bench_bodies.py "$WORK"
WORKLOADS="gelu-16 sigmoid-1024 relu-65536 batch-8x64"

# Both answer every body alike (shapes and values; GELU differs by the peer's approximation),
# and the service's answer sizes become nginx's fixed bodies.
mkdir -p "$WORK/static"
for name in $WORKLOADS; do
    curl -sf -H 'Content-Type: application/json' --data-binary "@$WORK/$name.json" \
        "http://127.0.0.1:$PORT/v1/activate" -o "$WORK/$name.service.out"
    curl -sf -H 'Content-Type: application/json' --data-binary "@$WORK/$name.json" \
        "http://127.0.0.1:$PEER_PORT/v1/activate" -o "$WORK/$name.peer.out"
    cp "$WORK/$name.service.out" "$WORK/static/$name"
done
# nginx's workers run unprivileged: they must be able to read the fixed bodies.
chmod 755 "$WORK" "$WORK/static"; chmod 644 "$WORK"/static/*
python3 - "$WORK" $WORKLOADS <<'PY'
import json, math, sys
work, names = sys.argv[1], sys.argv[2:]
for name in names:
    ours, theirs = (json.load(open(f"{work}/{name}.{side}.out")) for side in ("service", "peer"))
    ours, theirs = (x if isinstance(x, list) else [x] for x in (ours, theirs))
    assert len(ours) == len(theirs), name
    for a, b in zip(ours, theirs):
        assert a["shape"] == b["shape"] and a["function"] == b["function"], (name, a["function"])
        tolerance = 1e-3 if a["function"] == "gelu" else 1e-5
        for key in ("values", "gradients"):
            worst = max(abs(float(x) - float(y)) for x, y in zip(a[key], b[key]))
            assert worst <= tolerance, (name, a["function"], key, worst)
print("the peer's answers agree with the service's")
PY

NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_max_body_size 64m;
    client_body_buffer_size 2m;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/static;
        default_type application/json;
        # The static module refuses POST with 405 after discarding the body; answer the file.
        error_page 405 =200 \$uri;
    }
}
CONF
"$nginx_bin" -c "$WORK/nginx.conf" &
NGINX=$!
sleep 0.5
for name in $WORKLOADS; do
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H 'Content-Type: application/json' \
        --data-binary "@$WORK/$name.json" "http://127.0.0.1:$NGINX_PORT/$name")
    [ "$got" = "200 $(stat -c %s "$WORK/static/$name")" ] || { echo "nginx answers $name with $got" >&2; exit 1; }
done


RESULTS="$WORK/results.tsv"
: >"$RESULTS"
run() { # target workload url
    local target=$1 name=$2 url=$3 output="$WORK/$1-$2.txt"
    BODY_FILE="$WORK/$name.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s \
        -s "$WORK/post.lua" "$url" >"$output"
    local rps p50 p99 non2xx errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$output")
    p50=$(awk '$1 == "50%" {print $2}' "$output")
    p99=$(awk '$1 == "99%" {print $2}' "$output")
    non2xx=$(awk -F': ' '/Non-2xx/ {print $2}' "$output"); non2xx=${non2xx:-0}
    errors=$(awk '/Socket errors/ {n=0; for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) {gsub(",","",$i); n+=$i}; print n}' "$output"); errors=${errors:-0}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$name" "$rps" "$p50" "$p99" "$non2xx" "$errors" >>"$RESULTS"
    echo "$target $name: $rps requests/s, p50 $p50, p99 $p99, non-2xx $non2xx, socket errors $errors"
}

# Interleaved per workload, so a change in the machine's load hits all three alike.
for name in $WORKLOADS; do
    run service "$name" "http://127.0.0.1:$PORT/v1/activate"
    run fastapi "$name" "http://127.0.0.1:$PEER_PORT/v1/activate"
    run nginx "$name" "http://127.0.0.1:$NGINX_PORT/$name"
done

python3 - "$RESULTS" "$OUT" "$DURATION" "$CONNECTIONS" "$THREADS" "$LOADED" "$WORK" <<'PY'
import datetime, os, platform, subprocess, sys
results, out, duration, connections, threads, loaded, work = sys.argv[1:]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
rows = {}
for line in open(results):
    target, name, rps, p50, p99, non2xx, errors = line.rstrip("\n").split("\t")
    rows[(target, name)] = (float(rps), p50, p99, int(non2xx), int(errors))
names = ["gelu-16", "sigmoid-1024", "relu-65536", "batch-8x64"]
sizes = {n: (os.path.getsize(f"{work}/{n}.json"), os.path.getsize(f"{work}/static/{n}")) for n in names}
lines = [
    "<!-- compare:begin -->",
    "## Against FastAPI + numpy + orjson and nginx (scripts/load-compare.sh)",
    "",
    f"wrk on loopback, {threads} threads, {connections} keep-alive connections, {duration} s per run, the three targets",
    "interleaved per workload in one run. The peer: FastAPI 0.115.12, uvicorn 0.34.2 with uvloop and httptools,",
    "2 worker processes, numpy 2.2.5, orjson 3.10.18 (`scripts/peer/fastapi_peer.py`); nginx answers each",
    "POST with a fixed body of the size of the service's answer.",
    "",
    f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
    f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()} "
    "(wrk, the servers and anything else running share the cores)",
]
if loaded:
    lines.append(f"- Load: {loaded}")
lines += [
    "",
    "| Workload | Body in / answer | Service req/s | FastAPI req/s | nginx req/s | Service / FastAPI | Service / nginx | Service p50 / p99 | FastAPI p50 / p99 | Errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for name in names:
    s, f, n = (rows[(t, name)] for t in ("service", "fastapi", "nginx"))
    errors = sum(r[3] + r[4] for r in (s, f, n))
    lines.append(
        f"| {name} | {sizes[name][0]:,} B / {sizes[name][1]:,} B | {s[0]:,.0f} | {f[0]:,.0f} | {n[0]:,.0f} | "
        f"{s[0] / f[0]:.2f}x | {s[0] / n[0]:.0%} | {s[1]} / {s[2]} | {f[1]} / {f[2]} | {errors} |")
lines += ["<!-- compare:end -->"]
block = "\n".join(lines) + "\n"
text = open(out).read() if os.path.exists(out) else ""
begin, end = "<!-- compare:begin -->", "<!-- compare:end -->\n"
if begin in text and end in text:
    text = text.split(begin, 1)[0] + block + text.split(end, 1)[1]
else:
    text = text.rstrip("\n") + "\n\n" + block
open(out, "w").write(text)
print(block)
PY
