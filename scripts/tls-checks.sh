#!/usr/bin/env bash
# The TLS listener checked by sslyze against Mozilla's server-side TLS configurations, with a
# test CA made here for this run:
# 1. a CA (ECDSA P-256) and two server certificates signed by it for localhost and 127.0.0.1,
#    one ECDSA P-256 and one RSA 2048, SHA-256 signatures, 90 days (Mozilla's recommended life);
# 2. the release server with the ECDSA pair: compliant with "intermediate" (sslyze exits 0),
#    trusting the test CA through --certinfo_ca_file;
# 3. the RSA pair put in place and loaded by SIGHUP (file watching off): served to a new
#    connection, and compliant again (the ECDHE-RSA suites);
# 4. the same scan without the test CA: the one issue left is certificate_path_validation, the
#    only thing a test CA cannot satisfy (a chain to a root in the public trust stores);
# 5. --tls-profile modern with the ECDSA pair: compliant with "modern" (TLS 1.3 only).
# Needs sslyze on PATH's python (scripts/test.sh puts one there: .build/venv) and openssl.
# Usage: scripts/tls-checks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

swift build -c release --product activation-server
BIN="$(swift build -c release --show-bin-path)/activation-server"
WORK=$(mktemp -d)
SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ]; then kill -KILL "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=
}
trap 'stop_server; rm -rf "$WORK"' EXIT

log "test CA and server certificates in $WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -sha256 -subj "/CN=activation-service test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$WORK/leaf.ext"
make_leaf() { # name, then openssl's -newkey algorithm options
    local name=$1; shift
    openssl req -newkey "$@" -nodes -subj "/CN=localhost" -keyout "$WORK/$name.key" -out "$WORK/$name.csr" 2>/dev/null
    openssl x509 -req -in "$WORK/$name.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 90 -sha256 \
        -extfile "$WORK/leaf.ext" -out "$WORK/$name.pem" 2>/dev/null
}
make_leaf ecdsa ec -pkeyopt ec_paramgen_curve:P-256
make_leaf rsa rsa:2048
cp "$WORK/ecdsa.pem" "$WORK/tls.crt"
cp "$WORK/ecdsa.key" "$WORK/tls.key"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
TARGET="localhost:$PORT{127.0.0.1}"
start_server() { # extra flags
    "$BIN" --host 127.0.0.1 --port "$PORT" --tls-certificate "$WORK/tls.crt" --tls-key "$WORK/tls.key" \
        --reload-check-seconds 0 --log-level notice "$@" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        grep -q listening "$WORK/server.log" && return 0
        sleep 0.1
    done
    cat "$WORK/server.log" >&2
    exit 1
}
served_serial() {
    openssl s_client -connect "127.0.0.1:$PORT" </dev/null 2>/dev/null | openssl x509 -noout -serial
}
# sslyze exits 0 only when the server is compliant; its report goes to $WORK/$1.txt.
scan() { # report name, profile, extra sslyze flags
    local name=$1 profile=$2; shift 2
    python3 -m sslyze "$TARGET" --mozilla_config="$profile" "$@" >"$WORK/$name.txt" 2>&1
}
compliance() { sed -n '/COMPLIANCE AGAINST/,$p' "$WORK/$1.txt"; }

log "intermediate, ECDSA certificate"
start_server
scan intermediate-ecdsa intermediate --certinfo_ca_file "$WORK/ca.pem" || { cat "$WORK/intermediate-ecdsa.txt"; exit 1; }
grep -A3 "Supported curves" "$WORK/intermediate-ecdsa.txt" | head -2
compliance intermediate-ecdsa

log "intermediate, RSA certificate loaded by SIGHUP"
cp "$WORK/rsa.pem" "$WORK/tls.crt.new" && cp "$WORK/rsa.key" "$WORK/tls.key.new"
mv "$WORK/tls.key.new" "$WORK/tls.key" && mv "$WORK/tls.crt.new" "$WORK/tls.crt"
kill -HUP "$SERVER_PID"
expected=$(openssl x509 -noout -serial -in "$WORK/rsa.pem")
for _ in $(seq 1 50); do [ "$(served_serial)" = "$expected" ] && break; sleep 0.1; done
[ "$(served_serial)" = "$expected" ] || { echo "SIGHUP did not put the RSA certificate in service" >&2; cat "$WORK/server.log" >&2; exit 1; }
scan intermediate-rsa intermediate --certinfo_ca_file "$WORK/ca.pem" || { cat "$WORK/intermediate-rsa.txt"; exit 1; }
compliance intermediate-rsa

log "intermediate without trusting the test CA: only what a test CA cannot satisfy fails"
if scan untrusted intermediate; then
    echo "sslyze trusted a certificate from a CA made a moment ago" >&2
    exit 1
fi
issues=$(compliance untrusted | sed -n 's/^ *\* \([a-z_]*\):.*/\1/p' | sort -u | tr '\n' ' ')
compliance untrusted
[ "$issues" = "certificate_path_validation " ] || { echo "unexpected issues: $issues" >&2; exit 1; }
stop_server

log "modern (TLS 1.3 only), ECDSA certificate"
cp "$WORK/ecdsa.pem" "$WORK/tls.crt" && cp "$WORK/ecdsa.key" "$WORK/tls.key"
start_server --tls-profile modern
scan modern modern --certinfo_ca_file "$WORK/ca.pem" || { cat "$WORK/modern.txt"; exit 1; }
compliance modern
stop_server
echo "sslyze: compliant with Mozilla's intermediate (ECDSA and RSA) and modern configurations"
