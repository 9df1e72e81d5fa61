#!/usr/bin/env bash
# Runs schemathesis against a live server from openapi.yaml.
#
# Passes only when no generated request (valid and invalid ones) gets a 5xx, a status the
# contract does not list for that operation, a Content-Type it does not list, or a body outside
# its schema. Bounded: MAX_EXAMPLES per operation (default 60) and a time budget.
#
# Usage: scripts/schemathesis.sh BASE_URL       (needs schemathesis on PATH, see scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_URL=${1:?usage: scripts/schemathesis.sh BASE_URL}
MAX_EXAMPLES=${MAX_EXAMPLES:-60}

schemathesis run openapi.yaml \
    --url "$BASE_URL" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "${MAX_TIME:-300}" \
    --request-timeout 30 \
    --seed "${SEED:-20261129}" \
    --generation-deterministic \
    --suppress-health-check all \
    --workers 2
