#!/usr/bin/env bash
# Fuzzes the gzip/deflate content decoder (and Accept-Encoding negotiation) with libFuzzer for a
# bounded time.
#
#   scripts/fuzz-decoder.sh [seconds]     default 60; exits non-zero on a crash or broken invariant
#
# Builds the server's coding sources, the parser sources they use and Fuzz/ContentDecoderFuzz
# into one module with `swiftc -sanitize=fuzzer,address -parse-as-library -O` (no SwiftPM; zlib
# through Sources/CZlib's module map), then runs it on a copy of the seed corpus
# Fuzz/decoder-corpus. Crash inputs are written to .build/fuzz-decoder/artifacts/; reproduce one
# with  .build/fuzz-decoder/content-decoder-fuzz .build/fuzz-decoder/artifacts/crash-...
# Toolchain notes (libFuzzer, ASan runtime): see scripts/fuzz-parser.sh.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz-decoder"
mkdir -p "$out/corpus" "$out/artifacts"

sources=("$root"/Sources/HTTPServer/HTTP{Types,Method,Status}.swift "$root"/Sources/HTTPServer/Parser/*.swift
    "$root/Sources/HTTPServer/Coding/HTTPContentCoding.swift" "$root/Sources/HTTPServer/Coding/ZlibCodec.swift"
    "$root/Sources/HTTPServer/Coding/AcceptEncoding.swift")

echo "fuzz-decoder: building"
# shellcheck disable=SC2086
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name HTTPServer \
    -I "$root/Sources/CZlib" ${SWIFT_FUZZ_FLAGS:-} "${sources[@]}" "$root"/Fuzz/ContentDecoderFuzz/*.swift \
    -o "$out/content-decoder-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

cp -n "$root"/Fuzz/decoder-corpus/* "$out/corpus/" 2>/dev/null || true
echo "fuzz-decoder: running for ${seconds}s"
set +e
"$out/content-decoder-fuzz" "$out/corpus" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/" >"$out/last-run.log" 2>&1
status=$?
set -e
grep -E '^INFO: seed corpus|^(==[0-9]+==)?ERROR|SUMMARY|invariant broken|Fatal error|^stat::|^Done' \
    "$out/last-run.log" || true
if [ "$status" -ne 0 ]; then
    echo "fuzz-decoder: FAILED (exit $status); inputs in $out/artifacts/" >&2
    exit "$status"
fi
echo "fuzz-decoder: no crash in ${seconds}s"
