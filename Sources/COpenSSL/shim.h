#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>

/* Swift cannot call these OpenSSL macros (SSL_CTX_ctrl with constants), so they are
   wrapped as inline functions with the settings the HTTP server needs. */

/* TLS 1.2 is the oldest version the server speaks; TLS 1.3 is the newest OpenSSL offers. */
static inline int copenssl_ctx_set_tls12_minimum(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/* Caps a context at TLS 1.1 (tests use it to prove the server refuses old versions). */
static inline int copenssl_ctx_set_max_version_tls11(SSL_CTX *ctx) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    return (int)SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
}

/* Non-blocking writes: SSL_write may return after part of the buffer, and may be retried
   with the same bytes at a different address (the write buffer is a growing array). */
static inline void copenssl_ctx_set_nonblocking_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                              | SSL_MODE_RELEASE_BUFFERS);
}

/* No renegotiation (a CPU-exhaustion vector) and no TLS compression (CRIME). */
static inline void copenssl_ctx_harden(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION
                              | SSL_OP_CIPHER_SERVER_PREFERENCE);
}
#endif
