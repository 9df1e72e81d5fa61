#!/usr/bin/env bash
# Proves the Dockerfile's steps without a Docker engine.
#
# 1. Builds the release binary with the Dockerfile's flags, from a copy of exactly what the
#    Dockerfile copies into its build stage (so a missing file fails here as it would there).
# 2. Makes a minimal root filesystem of the runtime base (debootstrap --variant=minbase of the
#    Dockerfile's Debian release), installs exactly the Dockerfile's runtime packages, adds the
#    same unprivileged user, and copies the binary where the Dockerfile puts it.
# 3. Runs the binary there (chroot, as uid 10001): /healthz answers, an activation answers
#    correctly (also gzip-encoded, and a large answer comes back compressed), the healthcheck
#    subcommand exits 0, SIGTERM stops it with exit 0.
# 4. Prints the image's would-be size (root filesystem plus binary).
#
# The values below must match the Dockerfile: scripts/check-container-sync.sh fails when they drift.
# Needs root (debootstrap, chroot). The root filesystem is cached in .build-container/.
#
# Usage: scripts/container-smoke.sh [--skip-build]
set -euo pipefail
cd "$(dirname "$0")/.."

# MARK: mirrored from the Dockerfile
DEBIAN_RELEASE=bookworm
RUNTIME_PACKAGES=(libssl3 zlib1g ca-certificates)
BUILD_CONTEXT=(Package.swift Sources Tests)
BUILD_FLAGS=(-c release --static-swift-stdlib --product activation-server)
RUNTIME_UID=10001
BINARY_PATH=/usr/local/bin/activation-server

log() { printf '==> %s\n' "$*"; }

CACHE=.build-container
ROOTFS="$CACHE/rootfs-$DEBIAN_RELEASE"
mkdir -p "$CACHE"

if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq debootstrap curl >/dev/null
fi

# The Debian mirror this machine's apt already uses.
mirror() {
    local uri
    uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | grep -oE 'https?://[^ ]+/debian' | head -n 1)
    [ -n "$uri" ] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }
    echo "$uri"
}

# The build stage's context: only what the Dockerfile copies (its .build is kept between runs).
STAGE="$CACHE/context"
if [ "${1:-}" != "--skip-build" ]; then
    log "copying the build context: ${BUILD_CONTEXT[*]}"
    mkdir -p "$STAGE"
    for item in "${BUILD_CONTEXT[@]}"; do rm -rf "${STAGE:?}/$item"; cp -r "$item" "$STAGE/"; done
    log "swift build ${BUILD_FLAGS[*]} (in the copied context)"
    (cd "$STAGE" && swift build "${BUILD_FLAGS[@]}")
fi
BIN="$(cd "$STAGE" && swift build "${BUILD_FLAGS[@]}" --show-bin-path)/activation-server"
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }

stamp="$DEBIAN_RELEASE ${RUNTIME_PACKAGES[*]} uid=$RUNTIME_UID"
if [ ! -f "$ROOTFS/.smoke-ready" ] || [ "$(cat "$ROOTFS/.smoke-ready")" != "$stamp" ]; then
    log "debootstrap --variant=minbase $DEBIAN_RELEASE (a few minutes, cached afterwards)"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase "$DEBIAN_RELEASE" "$ROOTFS" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    log "installing the runtime packages: ${RUNTIME_PACKAGES[*]}"
    cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
    chroot "$ROOTFS" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends ${RUNTIME_PACKAGES[*]} >/dev/null \
        && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
        && useradd --system --uid $RUNTIME_UID --user-group --no-create-home --shell /usr/sbin/nologin activation"
    echo "$stamp" >"$ROOTFS/.smoke-ready"
fi

log "copying the binary to $BINARY_PATH"
install -D -m 0755 "$BIN" "$ROOTFS$BINARY_PATH"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
run_in_image() { chroot --userspec=$RUNTIME_UID:$RUNTIME_UID "$ROOTFS" "$@"; }

# A container runtime mounts /proc (the Swift runtime reads the command line from it in a
# static-stdlib binary); so does this script, for as long as the run lasts.
mountpoint -q "$ROOTFS/proc" || mount -t proc proc "$ROOTFS/proc"
unmount_proc() { umount "$ROOTFS/proc" 2>/dev/null || true; }

log "starting the server in the root filesystem as uid $RUNTIME_UID on port $PORT"
# chroot itself, not a shell function, in the background: chroot execs the server, so $! is the
# server's pid and SIGTERM reaches it (a function would run in a subshell that takes the signal).
chroot --userspec=$RUNTIME_UID:$RUNTIME_UID "$ROOTFS" "$BINARY_PATH" --host 127.0.0.1 --port "$PORT" \
    --drain-seconds 0 >"$CACHE/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill -KILL $SERVER_PID 2>/dev/null || true; unmount_proc' EXIT

deadline=$((SECONDS + 20))
until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/healthz"; do
    [ $SECONDS -lt $deadline ] || { echo "FAIL: /healthz never answered" >&2; cat "$CACHE/server.log" >&2; exit 1; }
    sleep 0.1
done
log "/healthz answers 200"

answer=$(curl -fsS --max-time 5 -H 'Content-Type: application/json' \
    -d '{"function":"relu","inputs":[-1.5,0,2.25]}' "http://127.0.0.1:$PORT/v1/activate")
echo "    $answer"
python3 - "$answer" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["values"] == [0, 0, 2.25], r
assert r["gradients"] == [0, 0, 1], r
PY
log "an activation answers correctly"

# zlib from the runtime packages: a gzip request body is decoded, an answer is compressed.
gzipped=$(printf '%s' '{"function":"relu","inputs":[-1.5,0,2.25]}' | gzip -c \
    | curl -fsS --max-time 5 -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \
        --data-binary @- "http://127.0.0.1:$PORT/v1/activate")
[ "$gzipped" = "$answer" ] || { echo "FAIL: gzip request answered $gzipped" >&2; exit 1; }
curl -fsS --max-time 5 --compressed -D - -o /dev/null "http://127.0.0.1:$PORT/openapi.yaml" \
    | grep -qi '^content-encoding: *\(gzip\|deflate\)' || { echo "FAIL: /openapi.yaml not compressed" >&2; exit 1; }
log "a gzip request decodes and a large answer is compressed"

run_in_image "$BINARY_PATH" healthcheck --port "$PORT"
log "the healthcheck subcommand exits 0"

kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
trap unmount_proc EXIT
[ "$status" -eq 0 ] || { echo "FAIL: SIGTERM exit status $status" >&2; cat "$CACHE/server.log" >&2; exit 1; }
log "SIGTERM stops it with exit 0"

unmount_proc
rootfs_bytes=$(du -sb "$ROOTFS" | cut -f1)
binary_bytes=$(stat -c %s "$BIN")
echo
python3 -c 'import sys; r, b = int(sys.argv[1]), int(sys.argv[2]); print(f"image would-be size: {r/2**20:.1f} MiB (root filesystem with the binary; the binary alone {b/2**20:.1f} MiB)")' \
    "$rootfs_bytes" "$binary_bytes"
echo "PASS: container smoke test"
