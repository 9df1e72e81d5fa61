import COpenSSL

/// An OpenSSL server context built from a `TLSConfiguration` and the files it names, shared by
/// every connection accepted while it is the current one (see `TLSCertificateStore`).
///
/// `@unchecked Sendable`: the `SSL_CTX` is only mutated in `init`, before the value is
/// shared; afterwards OpenSSL documents `SSL_new` on a shared context as thread-safe. Each
/// `SSL` made from it holds its own reference to the `SSL_CTX`, so a connection keeps its
/// context (and certificate) after the store has moved on and released this object.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    /// What the loaded certificate says about itself (set in `init` only).
    private(set) var certificate: TLSCertificateSummary

    init(_ configuration: TLSConfiguration) throws(SocketError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .tls("SSL_CTX_new: \(TLSContext.drainErrors())")
        }
        // From here on `deinit` frees the context, also when a check below throws.
        self.context = context
        self.certificate = TLSCertificateSummary(serialNumber: "", notAfter: 0)
        let profile = configuration.profile
        guard copenssl_ctx_set_versions(context, profile.minimumVersion, TLS1_3_VERSION) == 1 else {
            throw .tls("cannot set the protocol versions: \(TLSContext.drainErrors())")
        }
        guard SSL_CTX_set_cipher_list(context, TLSProfile.tls12Ciphers) == 1,
            SSL_CTX_set_ciphersuites(context, TLSProfile.tls13Ciphersuites) == 1
        else {
            throw .tls("cannot set the cipher suites: \(TLSContext.drainErrors())")
        }
        guard copenssl_ctx_set_groups(context, TLSProfile.groups) == 1 else {
            throw .tls("cannot set the key exchange groups: \(TLSContext.drainErrors())")
        }
        copenssl_ctx_set_nonblocking_modes(context)
        copenssl_ctx_harden(context)
        copenssl_ctx_select_http11(context)
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificatePath) == 1 else {
            throw .tls("certificate \(configuration.certificatePath): \(TLSContext.drainErrors())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.keyPath, SSL_FILETYPE_PEM) == 1 else {
            throw .tls("key \(configuration.keyPath): \(TLSContext.drainErrors())")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .tls("key does not match certificate: \(TLSContext.drainErrors())")
        }
        guard let leaf = SSL_CTX_get0_certificate(context) else {
            throw .tls("certificate \(configuration.certificatePath): no certificate loaded")
        }
        certificate = TLSCertificateSummary(leaf)
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// Empties this thread's OpenSSL error queue into one line of text.
    static func drainErrors() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }
}

/// The facts about a served certificate that operators watch: which one it is, and when it
/// expires.
public struct TLSCertificateSummary: Sendable, Equatable, CustomStringConvertible {
    /// The serial number in upper-case hex, as `openssl x509 -noout -serial` prints it.
    public var serialNumber: String
    /// The end of the validity period (notAfter), in seconds since the Unix epoch.
    public var notAfter: Int64

    public init(serialNumber: String, notAfter: Int64) {
        self.serialNumber = serialNumber
        self.notAfter = notAfter
    }

    /// Reads a certificate (not retained).
    init(_ certificate: OpaquePointer) {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = Int(copenssl_x509_serial_hex(certificate, &buffer, Int32(buffer.count)))
        serialNumber = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        notAfter = Int64(copenssl_x509_not_after(certificate))
    }

    public var description: String { "serial \(serialNumber), not after \(notAfter)" }
}
