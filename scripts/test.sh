#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what it needs, builds, tests.
# Usage: scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# MARK: system packages (Debian): OpenSSL headers for the TLS listener, zlib headers for the
# gzip and deflate content codings.
need_apt=()
pkg-config --exists openssl 2>/dev/null || need_apt+=(libssl-dev)
pkg-config --exists zlib 2>/dev/null || need_apt+=(zlib1g-dev)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
# The HTTP server's TLS tests make a throw-away certificate with openssl and talk to the
# server with curl and openssl s_client.
command -v openssl >/dev/null || need_apt+=(openssl)
command -v curl >/dev/null || need_apt+=(curl)
# x86-64: qemu-user emulates a processor without AVX for scripts/check-baseline-cpu.py.
if [ "$(uname -m)" = x86_64 ]; then command -v qemu-x86_64 >/dev/null || need_apt+=(qemu-user); fi
# The explorer page's tests drive Debian's Chromium through its chromedriver (no browser download).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}"
fi

# MARK: build and unit tests
log "swift build (debug, with tests)"
swift build --build-tests

log "swift test"
swift test --skip-build

# MARK: the memory budget holds for a real process: a flood of uploads, slow uploads and large
# answers against the debug server with a 64 MiB budget; its peak resident set, every answer
# (200, 413 or 503 with a JSON error) and /healthz within a second are checked (about 15 s).
log "memory budget under a flood (scripts/measure-memory.py --quick)"
python3 scripts/measure-memory.py --binary "$(swift build --show-bin-path)/activation-server" --scenarios flood --quick

# MARK: the two kernel builds (x86-64: baseline and x86-64-v3) agree bit for bit, checked where
# they could diverge: optimised code, vectorised loops. A release build with tests of its own.
if [ "$(uname -m)" = x86_64 ]; then
    log "swift test -c release: kernel builds agree (KernelBuildTests, KernelBuildServiceTests, TrigTests)"
    swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path .build-release-tests
    swift test -c release --skip-build -Xswiftc -enable-testing --scratch-path .build-release-tests \
        --filter "KernelBuildTests|KernelBuildServiceTests|TrigTests"
fi

# MARK: a short fuzzing run of the request parser: a regression guard (long runs by hand,
# scripts/fuzz-parser.sh 3600)
log "fuzz the HTTP request parser for 60 s"
scripts/fuzz-parser.sh 60
log "fuzz the gzip/deflate decoder and its cap for 30 s"
scripts/fuzz-decoder.sh 30
log "fuzz the inference reader (v2 JSON header and binary tensors) for 60 s"
scripts/fuzz-inference.sh 60

# MARK: ThreadSanitizer over the HTTP server's tests (its own scratch path, so the plain
# build above stays cached; limited to the server's tests so it stays fast).
log "swift test --sanitize=thread (HTTPServerTests)"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
swift test --skip-build --sanitize=thread --scratch-path .build-tsan --filter HTTPServerTests

# MARK: Python tools for the contract checks, in a virtual environment of their own
VENV=.build/venv
if [ ! -x "$VENV/bin/schemathesis" ] || [ ! -x "$VENV/bin/kubernetes-validate" ] \
    || ! "$VENV/bin/python" -c 'import tritonclient.http' 2>/dev/null \
    || ! "$VENV/bin/python" -c 'import sslyze' 2>/dev/null \
    || ! "$VENV/bin/python" -c 'import selenium; assert selenium.__version__ == "4.51.0"' 2>/dev/null; then
    log "python venv: schemathesis, openapi-spec-validator, kubernetes-validate, PyYAML, tritonclient[http], sslyze, selenium"
    python3 -m venv "$VENV" || {
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq python3-venv
        python3 -m venv "$VENV"
    }
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q schemathesis==4.32.5 openapi-spec-validator==0.9.0 \
        kubernetes-validate==1.37.0 pyyaml==6.0.4 'tritonclient[http]==2.73.0' sslyze==6.3.1 selenium==4.51.0
fi

# MARK: the live release server: spec validation, generated contract up to date, schemathesis
log "service contract checks against the release server"
PATH="$PWD/$VENV/bin:$PATH" scripts/service-checks.sh

# MARK: the explorer page in Chromium against the release server (built above)
log "explorer page in a real browser"
PATH="$PWD/$VENV/bin:$PATH" scripts/page-checks.sh

# MARK: the Open Inference Protocol as its clients speak it: the real tritonclient[http]
log "Open Inference Protocol (v2) with tritonclient[http]"
PATH="$PWD/$VENV/bin:$PATH" scripts/oip-checks.sh

# MARK: the TLS listener against Mozilla's configurations, with a test CA made for the run
log "TLS: sslyze against Mozilla's intermediate and modern configurations"
PATH="$PWD/$VENV/bin:$PATH" scripts/tls-checks.sh

# MARK: the x86-64 binary on a processor without AVX or FMA (emulated): runs, picks its
# baseline kernels, answers as natively
if [ "$(uname -m)" = x86_64 ]; then
    log "release server on an emulated pre-AVX processor"
    python3 scripts/check-baseline-cpu.py "$(swift build -c release --show-bin-path)/activation-server"
fi

# MARK: deployment: manifests, the Dockerfile proven without an engine, a rolling restart
log "Kubernetes manifests against the schemas; Dockerfile and smoke script in step"
"$VENV/bin/python" scripts/validate-manifests.py
python3 scripts/check-container-sync.py

log "container smoke test (debootstrap root filesystem, the Dockerfile's steps)"
scripts/container-smoke.sh

log "rolling restart behind HAProxy: no request lost"
scripts/rolling-restart.sh --skip-build
