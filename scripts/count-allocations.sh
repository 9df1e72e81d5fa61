#!/usr/bin/env bash
# Heap allocations per request on the four POST workloads of scripts/load-compare.sh: the release
# server runs with a small LD_PRELOAD shim that counts malloc, calloc, realloc and the aligned
# allocators (every thread, the whole process), and is sent N1 and then N2 requests over one
# keep-alive connection; (count(N2) - count(N1)) / (N2 - N1) is the count per request, free of
# start-up and warm-up.
#
# Usage: scripts/count-allocations.sh [--skip-build] [WORKLOAD ...]
#   WORKLOAD: gelu-16, sigmoid-1024, relu-65536, batch-8x64 (default: all four)
# Environment: BIN (a server binary to measure instead of this tree's release build),
#              N1 (default 200), N2 (default 1200).
set -euo pipefail
cd "$(dirname "$0")/.."

N1=${N1:-200}
N2=${N2:-1200}
if [ "${1:-}" = "--skip-build" ]; then shift; elif [ -z "${BIN:-}" ]; then
    swift build -c release --product activation-server >/dev/null
fi
BIN=${BIN:-"$(swift build -c release --show-bin-path)/activation-server"}
WORKLOADS=${*:-gelu-16 sigmoid-1024 relu-65536 batch-8x64}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/count.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
static unsigned long allocations;
static void counted(void) { __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED); }
void *malloc(size_t n) { counted(); return __libc_malloc(n); }
void *calloc(size_t k, size_t n) { counted(); return __libc_calloc(k, n); }
void *realloc(void *p, size_t n) { counted(); return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { counted(); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { counted(); return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    counted();
    void *p = __libc_memalign(a, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
__attribute__((destructor)) static void report(void) {
    const char *path = getenv("ALLOC_COUNT_FILE");
    if (!path) return;
    FILE *f = fopen(path, "w");
    if (f) { fprintf(f, "%lu\n", __atomic_load_n(&allocations, __ATOMIC_RELAXED)); fclose(f); }
}
C
cc -O2 -shared -fPIC -o "$WORK/count.so" "$WORK/count.c"

python3 scripts/bench_bodies.py "$WORK"

count() { # workload requests -> total allocations of a server that answered them
    local name=$1 requests=$2 port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    ALLOC_COUNT_FILE="$WORK/count" LD_PRELOAD="$WORK/count.so" \
        "$BIN" --host 127.0.0.1 --port "$port" --log-level error --drain-seconds 0 >"$WORK/server.log" 2>&1 &
    local server=$!
    python3 - "$port" "$WORK/$name.json" "$requests" <<'PY'
import http.client, sys, time
port, body, requests = int(sys.argv[1]), open(sys.argv[2], "rb").read(), int(sys.argv[3])
for _ in range(100):
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
    cat "$WORK/count"
}

echo "| Workload | Allocations per request |"
echo "| --- | ---: |"
for name in $WORKLOADS; do
    a=$(count "$name" "$N1"); b=$(count "$name" "$N2")
    python3 -c "print(f'| $name | {($b - $a) / ($N2 - $N1):.1f} |')"
done
