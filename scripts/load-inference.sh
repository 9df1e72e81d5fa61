#!/usr/bin/env bash
# The binary tensor extension against JSON, and against nginx, in one run: wrk on loopback.
#
# Scenarios, each DURATION seconds with CONNECTIONS keep-alive connections:
#   v1-json       POST /v1/activate: 65,536 float32 relu, numbers with 17 digits (~1.2 MB),
#                 values and gradients answered as JSON (the body scripts/load-service.sh sends)
#   v2-json       POST /v2/models/relu/infer: the same numbers as JSON tensor data, JSON outputs
#   v2-binary     POST /v2/models/relu/infer: the same numbers as 256 KiB of binary FP32,
#                 values and gradients answered binary (what tritonclient sends by default)
#   nginx-sink    nginx receiving a body of v2-binary's size and answering 200 without
#                 reading it into a file (the floor: bytes in, nothing computed, little out)
# and writes requests/s, elements/s, MB/s in and out, p50 and p99 to docs/benchmarks-inference.md
# with the ratios v2-binary / v1-json and v2-binary / nginx-sink.
#
# Usage: scripts/load-inference.sh [--skip-build]
# Environment: DURATION (default 10), CONNECTIONS (default 16), THREADS (wrk, default 2),
#              OUT (default docs/benchmarks-inference.md).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
OUT=${OUT:-docs/benchmarks-inference.md}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
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
SERVER=""; NGINX=""
cleanup() {
    [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null || true
    [ -n "$NGINX" ] && kill "$NGINX" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PORT=$(free_port)
"$BIN" --host 127.0.0.1 --port "$PORT" --log-level error --drain-seconds 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do "$BIN" healthcheck --port "$PORT" >/dev/null 2>&1 && break; sleep 0.1; done

NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_max_body_size 64m;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { default_type application/json; return 200 '{"status":"ok"}'; }
    }
}
CONF
"$nginx_bin" -c "$WORK/nginx.conf" &
NGINX=$!
sleep 0.5

# Bodies: the same 65,536 seeded numbers (load-service.sh's relu-65536) three ways.
python3 - "$WORK" <<'PY'
import json, random, struct, sys
work = sys.argv[1]
rng = random.Random(20261129)
values = [rng.uniform(-6, 6) for _ in range(65536)]
text = "[" + ",".join(format(v, ".17g") for v in values) + "]"
open(f"{work}/v1-json.body", "w").write('{"function":"relu","dtype":"float32","inputs":%s}' % text)
open(f"{work}/v2-json.body", "w").write(
    '{"inputs":[{"name":"x","shape":[65536],"datatype":"FP32","data":%s}]}' % text)
header = json.dumps({"inputs": [{"name": "x", "shape": [65536], "datatype": "FP32",
                                 "parameters": {"binary_data_size": 4 * 65536}}],
                     "parameters": {"binary_data_output": True}}, separators=(",", ":")).encode()
open(f"{work}/v2-binary.body", "wb").write(header + struct.pack("<65536f", *values))
open(f"{work}/v2-binary.header-length", "w").write(str(len(header)))
PY

cat >"$WORK/post.lua" <<'LUA'
local file = io.open(os.getenv("BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
local header_length = os.getenv("HEADER_LENGTH")
if header_length ~= nil and header_length ~= "" then
    wrk.headers["Inference-Header-Content-Length"] = header_length
end
-- Bytes received, for MB/s out.
response = function(status, headers, body) end
LUA

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
run() { # name url body content-type [header-length]
    local name=$1 url=$2 body=$3 output="$WORK/$1.txt"
    BODY_FILE="$body" CONTENT_TYPE="$4" HEADER_LENGTH="${5:-}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
        --latency --timeout 10s -s "$WORK/post.lua" "$url" >"$output"
    local rps p50 p99 transfer non2xx errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$output")
    p50=$(awk '$1 == "50%" {print $2}' "$output")
    p99=$(awk '$1 == "99%" {print $2}' "$output")
    transfer=$(awk '/Transfer\/sec/ {print $2}' "$output")
    non2xx=$(awk -F': ' '/Non-2xx/ {print $2}' "$output"); non2xx=${non2xx:-0}
    errors=$(awk '/Socket errors/ {n=0; for (i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) {gsub(",","",$i); n+=$i}; print n}' "$output"); errors=${errors:-0}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$(stat -c %s "$body")" "$transfer" "$p50" "$p99" "$non2xx" "$errors" >>"$RESULTS"
    echo "$name: $rps requests/s, out $transfer/s, p50 $p50, p99 $p99, non-2xx $non2xx, socket errors $errors"
}

BASE="http://127.0.0.1:$PORT"
run v1-json "$BASE/v1/activate" "$WORK/v1-json.body" application/json
run v2-json "$BASE/v2/models/relu/infer" "$WORK/v2-json.body" application/json
run v2-binary "$BASE/v2/models/relu/infer" "$WORK/v2-binary.body" application/octet-stream "$(cat "$WORK/v2-binary.header-length")"
run nginx-sink "http://127.0.0.1:$NGINX_PORT/sink" "$WORK/v2-binary.body" application/octet-stream

python3 - "$RESULTS" "$OUT" "$DURATION" "$CONNECTIONS" "$THREADS" <<'PY'
import datetime, os, platform, sys
results, out, duration, connections, threads = sys.argv[1:]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
def megabytes(text):
    for unit in ("GB", "MB", "KB", "B"):
        if text.endswith(unit):
            scale = {"GB": 1024 ** 3, "MB": 1024 ** 2, "KB": 1024, "B": 1}[unit]
            return float(text[: -len(unit)]) * scale / 1e6
    return float("nan")
rows = {}
for line in open(results):
    name, rps, size, transfer, p50, p99, non2xx, errors = line.rstrip("\n").split("\t")
    rows[name] = (float(rps), int(size), megabytes(transfer), p50, p99, int(non2xx), int(errors))
lines = [
    "# Inference protocol load figures: binary tensors against JSON and against nginx",
    "",
    "Measured by `scripts/load-inference.sh`: wrk on loopback against the release server and nginx, "
    f"{threads} wrk threads, {connections} keep-alive connections, {duration} s per scenario, one after "
    "the other in the same run. Every scenario is relu on the same 65,536 float32 numbers, values and "
    "gradients answered; nginx-sink receives a body of v2-binary's size and answers a 15-byte 200.",
    "",
    f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
    f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()} "
    "(wrk shares the cores with the server)",
    "",
    "| Scenario | Requests/s | Elements/s | MB/s in | MB/s out | p50 | p99 | Non-2xx | Socket errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for name, (rps, size, out_mb, p50, p99, non2xx, errors) in rows.items():
    elements = 0 if name == "nginx-sink" else 65536
    lines.append(f"| {name} | {rps:,.0f} | {rps * elements:,.0f} | {rps * size / 1e6:,.1f} | {out_mb:,.1f} | "
                 f"{p50} | {p99} | {non2xx} | {errors} |")
binary, json_rate, sink = rows["v2-binary"][0], rows["v1-json"][0], rows["nginx-sink"][0]
lines += [
    "",
    f"- v2-binary runs at **{binary / json_rate:.1f}x** the v1 JSON rate, and at {binary / rows['v2-json'][0]:.1f}x v2 with JSON tensors.",
    f"- v2-binary runs at **{binary / sink:.0%}** of nginx merely receiving a body of the same size "
    f"({rows['v2-binary'][1]:,} bytes); the service also answers 512 KiB where nginx answers 15 bytes.",
]
body = "\n".join(lines) + "\n"
existing = open(out).read() if os.path.exists(out) else ""
marker = "<!-- figures:end -->"
tail = existing.split(marker, 1)[1] if marker in existing else "\n"
open(out, "w").write(body + marker + tail)
print(body)
PY
