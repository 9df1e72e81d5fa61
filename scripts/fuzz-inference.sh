#!/usr/bin/env bash
# Fuzzes the Open Inference Protocol's request reader (JSON inference header and binary
# tensor sections) with libFuzzer for a bounded time, as scripts/fuzz-parser.sh does the HTTP
# parser.
#
#   scripts/fuzz-inference.sh [seconds]   default 60; exits non-zero on a crash or broken invariant
#
# Builds Fuzz/InferenceFuzz with SwiftPM (`ACTIVATION_FUZZ=1` adds the target to the manifest)
# in its own scratch path, every module instrumented with `--sanitize=fuzzer --sanitize=address`
# and built with -enable-testing so the harness reaches the reader's internal API. Runs it on a
# copy of the seed corpus Fuzz/inference-corpus with the dictionary Fuzz/inference.dict. Crash
# inputs are written to .build/fuzz-inference/artifacts/; reproduce one with
#   .build-fuzz/release/inference-fuzz .build/fuzz-inference/artifacts/crash-...
# The input format (model byte, header length, body) is described in the harness.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz-inference"
mkdir -p "$out/corpus" "$out/artifacts"
cd "$root"

echo "fuzz-inference: building"
ACTIVATION_FUZZ=1 swift build -c release --product inference-fuzz --scratch-path .build-fuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -enable-testing 2> >(grep -v "Cannot export local symbol" >&2)
binary="$root/.build-fuzz/release/inference-fuzz"

cp -n "$root"/Fuzz/inference-corpus/* "$out/corpus/" 2>/dev/null || true
echo "fuzz-inference: running for ${seconds}s"
set +e
"$binary" "$out/corpus" \
    -dict="$root/Fuzz/inference.dict" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/" >"$out/last-run.log" 2>&1
status=$?
set -e
grep -E '^INFO: seed corpus|^(==[0-9]+==)?ERROR|SUMMARY|invariant broken|Fatal error|^stat::|^Done' \
    "$out/last-run.log" || true
if [ "$status" -ne 0 ]; then
    echo "fuzz-inference: FAILED (exit $status); inputs in $out/artifacts/" >&2
    exit "$status"
fi
echo "fuzz-inference: no crash in ${seconds}s"
