#!/usr/bin/env bash
# How many bytes the release server copies (memcpy/memmove) and zero-fills (memset) per
# relu-65536 request (65,536 float32 numbers of 17 digits, ~1.28 MB): an LD_PRELOAD shim
# counts calls of 4 KiB or more made through the PLT (the kernel's copies and libc's
# internal calls are not seen), 20 requests are posted with curl, and the totals before and
# after them give the bytes per request. docs/scheduling.md, "The I/O path", has the figures.
#
# Usage: scripts/count-copies.sh [--skip-build] [BINARY]   (default: this checkout's release server)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--skip-build" ]; then shift; else swift build -c release --product activation-server >/dev/null; fi
BIN=${1:-"$(swift build -c release --show-bin-path)/activation-server"}
REQUESTS=20

WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

cat >"$WORK/count.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static atomic_ulong copied, copies, set, sets;
static void *(*real_memcpy)(void *, const void *, size_t);
static void *(*real_memmove)(void *, const void *, size_t);
static void *(*real_memset)(void *, int, size_t);
static void dump(int signal) {
    (void)signal;
    FILE *file = fopen(getenv("COPYCOUNT_OUT"), "w");
    if (!file) return;
    fprintf(file, "%lu %lu %lu %lu\n", atomic_load(&copied), atomic_load(&copies), atomic_load(&set), atomic_load(&sets));
    fclose(file);
}
__attribute__((constructor)) static void init(void) {
    real_memcpy = dlsym(RTLD_NEXT, "memcpy");
    real_memmove = dlsym(RTLD_NEXT, "memmove");
    real_memset = dlsym(RTLD_NEXT, "memset");
    signal(SIGUSR2, dump);
}
/* Before `init` has the real functions (other libraries' constructors), plain loops. */
void *memcpy(void *d, const void *s, size_t n) {
    if (!real_memcpy) { unsigned char *p = d; const unsigned char *q = s; for (size_t i = 0; i < n; i++) p[i] = q[i]; return d; }
    if (n >= 4096) { atomic_fetch_add(&copied, n); atomic_fetch_add(&copies, 1); }
    return real_memcpy(d, s, n);
}
void *memmove(void *d, const void *s, size_t n) {
    if (!real_memmove) {
        unsigned char *p = d; const unsigned char *q = s;
        if (p < q) { for (size_t i = 0; i < n; i++) p[i] = q[i]; } else { for (size_t i = n; i > 0; i--) p[i - 1] = q[i - 1]; }
        return d;
    }
    if (n >= 4096) { atomic_fetch_add(&copied, n); atomic_fetch_add(&copies, 1); }
    return real_memmove(d, s, n);
}
void *memset(void *d, int c, size_t n) {
    if (!real_memset) { unsigned char *p = d; for (size_t i = 0; i < n; i++) p[i] = (unsigned char)c; return d; }
    if (n >= 4096) { atomic_fetch_add(&set, n); atomic_fetch_add(&sets, 1); }
    return real_memset(d, c, n);
}
C
# No loop-to-memcpy rewriting: the fallback loops must not call what they replace.
cc -O2 -fno-builtin -fno-tree-loop-distribute-patterns -shared -fPIC -o "$WORK/count.so" "$WORK/count.c" -ldl

python3 scripts/bench_bodies.py "$WORK"
mv "$WORK/relu-65536.json" "$WORK/relu.json"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
COPYCOUNT_OUT="$WORK/counts" LD_PRELOAD="$WORK/count.so" "$BIN" --host 127.0.0.1 --port "$PORT" \
    --log-level error --drain-seconds 0 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
snapshot() { rm -f "$WORK/counts"; kill -USR2 "$SERVER"; for _ in $(seq 1 50); do [ -s "$WORK/counts" ] && break; sleep 0.05; done; cat "$WORK/counts"; }
read -r copied0 _ set0 _ <<<"$(snapshot)"
for _ in $(seq 1 "$REQUESTS"); do
    curl -s -f -o "$WORK/answer.json" -H 'Content-Type: application/json' \
        --data-binary @"$WORK/relu.json" "http://127.0.0.1:$PORT/v1/activate"
done
read -r copied1 _ set1 _ <<<"$(snapshot)"
body=$(stat -c %s "$WORK/relu.json"); answer=$(stat -c %s "$WORK/answer.json")
python3 - "$body" "$answer" "$(( (copied1 - copied0) / REQUESTS ))" "$(( (set1 - set0) / REQUESTS ))" <<'PY'
import sys
body, answer, copied, zeroed = map(int, sys.argv[1:])
print(f"request body {body:,} bytes, answer {answer:,} bytes")
print(f"per request: {copied:,} bytes copied ({copied / body:.2f}x the body), {zeroed:,} bytes zero-filled "
      "(memcpy/memmove/memset calls of 4 KiB or more)")
PY
