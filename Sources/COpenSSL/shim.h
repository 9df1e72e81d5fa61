#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/bn.h>
#include <string.h>

/* Swift cannot call these OpenSSL macros (SSL_CTX_ctrl with constants), so they are
   wrapped as inline functions with the settings the HTTP server needs. */

/* The protocol versions a context speaks: min and max are TLS1_2_VERSION or TLS1_3_VERSION. */
static inline int copenssl_ctx_set_versions(SSL_CTX *ctx, int min, int max) {
    return SSL_CTX_set_min_proto_version(ctx, min) == 1 && SSL_CTX_set_max_proto_version(ctx, max) == 1;
}

/* The key exchange groups (curves) offered and accepted, a colon-separated list. */
static inline int copenssl_ctx_set_groups(SSL_CTX *ctx, const char *groups) {
    return (int)SSL_CTX_set1_groups_list(ctx, groups);
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

/* No renegotiation (a CPU-exhaustion vector), no TLS compression (CRIME), and no stateless
   session tickets: OpenSSL never rotates a context's ticket key, so one key would protect every
   session for the process's life (Mozilla's profiles turn tickets off for the same reason);
   resumption uses the context's bounded session cache instead. The client's cipher order wins
   (Mozilla's profiles since 5.0: every suite offered is strong, and clients without AES
   hardware rightly prefer ChaCha20). */
static inline void copenssl_ctx_harden(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
    SSL_CTX_clear_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
}

/* ALPN (RFC 7301): the server speaks only HTTP/1.1. A client that offers protocols but not
   http/1.1 gets the fatal no_application_protocol alert (RFC 7301 §3.2); a client that offers
   none is served HTTP/1.1 as before ALPN. */
static int copenssl_alpn_select_http11(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                       const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    static const unsigned char protocol[] = "http/1.1";
    const unsigned int length = sizeof(protocol) - 1;
    unsigned int offset = 0;
    while (offset < inlen) {
        unsigned int item = in[offset];
        if (offset + 1 + item > inlen) break;
        if (item == length && memcmp(in + offset + 1, protocol, length) == 0) {
            *out = in + offset + 1;
            *outlen = (unsigned char)item;
            return SSL_TLSEXT_ERR_OK;
        }
        offset += 1 + item;
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

static inline void copenssl_ctx_select_http11(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, copenssl_alpn_select_http11, NULL);
}

/* The protocol ALPN chose on a connection, or an empty string; for tests and logs. */
static inline int copenssl_alpn_selected(const SSL *ssl, char *buffer, int capacity) {
    const unsigned char *data = NULL;
    unsigned int length = 0;
    SSL_get0_alpn_selected(ssl, &data, &length);
    if (capacity <= 0) return 0;
    if ((int)length >= capacity) length = (unsigned int)capacity - 1;
    if (length > 0) memcpy(buffer, data, length);
    buffer[length] = 0;
    return (int)length;
}

/* A client context that offers exactly `protos` (ALPN wire format) and trusts `ca_file`;
   for tests. */
static inline int copenssl_ctx_set_alpn_protos(SSL_CTX *ctx, const unsigned char *protos, unsigned int length) {
    return SSL_CTX_set_alpn_protos(ctx, protos, length) == 0;
}

/* The certificate's notAfter as seconds since the Unix epoch, or -1. */
static inline long long copenssl_x509_not_after(const X509 *certificate) {
    const ASN1_TIME *time = X509_get0_notAfter(certificate);
    struct tm parts;
    if (time == NULL || ASN1_TIME_to_tm(time, &parts) != 1) return -1;
    return (long long)timegm(&parts);
}

/* The certificate's serial number in upper-case hex (as `openssl x509 -serial` prints it) into
   `buffer`; returns its length, 0 when it does not fit. */
static inline int copenssl_x509_serial_hex(const X509 *certificate, char *buffer, int capacity) {
    BIGNUM *number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), NULL);
    if (number == NULL) return 0;
    char *hex = BN_bn2hex(number);
    BN_free(number);
    if (hex == NULL) return 0;
    int length = (int)strlen(hex);
    int fits = length < capacity;
    if (fits) memcpy(buffer, hex, (size_t)length + 1);
    OPENSSL_free(hex);
    return fits ? length : 0;
}

/* The peer's certificate on a connection (a new reference), or NULL; for tests. */
static inline X509 *copenssl_peer_certificate(const SSL *ssl) {
    return SSL_get1_peer_certificate(ssl);
}
#endif
