#!/usr/bin/env bash
# Two builds of activation-bench, alternating: the fastest 1-core figure per function and dtype.
#
# Usage: scripts/engine-ab.sh BEFORE AFTER ROUNDS FUNCTIONS [activation-bench options...]
#   BEFORE, AFTER  activation-bench binaries (for issue 11's bars, BEFORE is built from 0fb45ba,
#                  the kernels before the accuracy fixes: docs/benchmarks-engine.md)
#   ROUNDS         how many times each runs, alternating (before, after, before, ...)
#   FUNCTIONS      comma-separated, as --functions takes them
#   e.g. scripts/engine-ab.sh /tmp/base/.build/release/activation-bench \
#            .build/release/activation-bench 3 glu,swiglu,geglu --values-only
# Prints, per side, function and dtype, the least ns/element on 1 core at 1 Mi elements and every
# run's figure: on a shared machine single runs move by tens of percent, alternation keeps both
# sides under the same conditions.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,13p' "$0"; exit 2; }
BEFORE=$1 AFTER=$2 ROUNDS=$3 FUNCTIONS=$4
shift 4
export GLIBC_TUNABLES=glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=268435456
for _ in $(seq "$ROUNDS"); do
    "$BEFORE" --functions "$FUNCTIONS" "$@" | grep 1048576 | sed 's/^/before /'
    "$AFTER" --functions "$FUNCTIONS" "$@" | grep 1048576 | sed 's/^/after /'
done | awk -F'|' '{ split($1, w, " "); k = w[1] " " $2 " " $3; v = $5 + 0
                    if (!(k in m) || v < m[k]) m[k] = v; all[k] = all[k] " " v }
                  END { for (k in m) print k, "min", m[k], "all:", all[k] }' | sort
