#!/usr/bin/env bash
# Fuzzes the HTTP/1.1 request parser with libFuzzer for a bounded time.
#
#   scripts/fuzz-parser.sh [seconds]      default 60; exits non-zero on a crash or broken invariant
#
# Builds the parser sources and Fuzz/HTTPParserFuzz into one module with
# `swiftc -sanitize=fuzzer,address -parse-as-library -O` (no SwiftPM), then runs it on a copy of
# the seed corpus Fuzz/corpus (so new inputs found do not dirty the checkout) with the dictionary
# Fuzz/http.dict. Crash inputs are written to .build/fuzz/artifacts/; reproduce one with
#   .build/fuzz/http-parser-fuzz .build/fuzz/artifacts/crash-...
#
# Toolchain note: the Swift 6.3 Linux toolchain ships libFuzzer and the ASan runtime in its own
# clang resource directory, so nothing else is needed; ld.gold prints harmless "Cannot export
# local symbol '__asan_check_...'" warnings, filtered below. If a toolchain lacks them, install
# Debian's libclang-rt-dev (or libclang-rt-<N>-dev) and pass its directory with
#   SWIFT_FUZZ_FLAGS="-Xlinker -L/usr/lib/llvm-<N>/lib/clang/<N>/lib/linux"
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz"
mkdir -p "$out/corpus" "$out/artifacts"

# The parser must build alone: it may not need Dispatch, Foundation or OpenSSL.
sources=("$root"/Sources/HTTPServer/HTTP{Types,Method,Status}.swift "$root"/Sources/HTTPServer/Parser/*.swift)
if grep -lE '^import (COpenSSL|Dispatch|Foundation|Glibc)' "${sources[@]}"; then
    echo "fuzz-parser: the files above import I/O modules; the parser must not" >&2
    exit 2
fi

echo "fuzz-parser: building"
# shellcheck disable=SC2086
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name HTTPServer \
    ${SWIFT_FUZZ_FLAGS:-} "${sources[@]}" "$root"/Fuzz/HTTPParserFuzz/*.swift \
    -o "$out/http-parser-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

cp -n "$root"/Fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
echo "fuzz-parser: running for ${seconds}s"
set +e
"$out/http-parser-fuzz" "$out/corpus" \
    -dict="$root/Fuzz/http.dict" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/artifacts/" >"$out/last-run.log" 2>&1
status=$?
set -e
# The whole log stays in $out/last-run.log; show what matters: seeds, failures, final figures.
grep -E '^INFO: seed corpus|^(==[0-9]+==)?ERROR|SUMMARY|invariant broken|Fatal error|^stat::|^Done' \
    "$out/last-run.log" || true
if [ "$status" -ne 0 ]; then
    echo "fuzz-parser: FAILED (exit $status); inputs in $out/artifacts/" >&2
    exit "$status"
fi
echo "fuzz-parser: no crash in ${seconds}s"
