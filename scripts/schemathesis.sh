#!/usr/bin/env bash
# Runs schemathesis against a live server from openapi.yaml, with every check it has.
#
# Passes only when no generated request (valid and invalid ones) gets a 5xx, a status the
# contract does not list for that operation, a Content-Type it does not list, or a body outside
# its schema; when every request the schema calls valid is accepted (positive_data_acceptance)
# and every request it calls invalid is refused (negative_data_rejection); and when methods,
# Allow headers and required headers behave as the contract says. The stateful checks
# (use_after_free, ensure_resource_availability, ignored_auth, object_level_authorization) run
# too; this API creates and deletes nothing, and its Bearer API key is optional (the server
# under test runs without keys), so ignored_auth checks that a request without one is served.
#
# scripts/schemathesis_hooks.py repairs generated valid requests for the few rules JSON Schema
# cannot state (rectangular arrays, grad_output's shape, axis within ndim, ...; listed in
# openapi.yaml's `x-server-checks`); invalid requests are left as generated.
#
# Bounded: MAX_EXAMPLES per operation and phase (default 60); MAX_TIME (default 300 s) is the
# budget of the whole run, which fuzzing and stateful testing spend to the end.
#
# Usage: scripts/schemathesis.sh BASE_URL       (needs schemathesis on PATH, see scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_URL=${1:?usage: scripts/schemathesis.sh BASE_URL}
MAX_EXAMPLES=${MAX_EXAMPLES:-60}

run() {
    SCHEMATHESIS_HOOKS=scripts/schemathesis_hooks.py schemathesis run openapi.yaml \
        --url "$BASE_URL" \
        --checks all \
        --max-examples "$MAX_EXAMPLES" \
        --max-time "${MAX_TIME:-300}" \
        --request-timeout 30 \
        --seed "${SEED:-20261129}" \
        --generation-deterministic \
        --suppress-health-check all \
        --workers 2 2>&1 | tee "$LOG"
    return "${PIPESTATUS[0]}"
}

# CPython 3.11 (Debian's and pyenv's) now and then fails `ast.parse` in threaded programs with a
# spurious "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905); it hit
# schemathesis's coverage phase, which parses in both workers, once in a few runs here. That is
# the tool failing, not the service: only that error, and only once, is retried. Any other
# failure stands.
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
status=0
run || status=$?
if [ "$status" -ne 0 ] && grep -q "AST constructor recursion depth mismatch" "$LOG"; then
    echo "schemathesis: CPython's ast race (gh-106905) broke the run; running it once more" >&2
    status=0
    run || status=$?
fi
exit "$status"
