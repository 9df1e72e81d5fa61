import COpenSSL

/// Where the server's PEM certificate chain and private key live.
///
/// Setting `HTTPServerConfiguration.tls` switches the listener to HTTPS: TLS 1.2 and 1.3
/// only, with the same limits, timeouts and keep-alive behaviour as plain HTTP.
public struct TLSConfiguration: Sendable, Equatable {
    /// PEM file with the server certificate first, then any intermediates.
    public var certificatePath: String
    /// PEM file with the private key matching the certificate.
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}

/// An OpenSSL server context built once from a `TLSConfiguration` and shared by every
/// connection (OpenSSL contexts are safe to use from many threads once configured).
///
/// `@unchecked Sendable`: the `SSL_CTX` is only mutated in `init`, before the value is
/// shared; afterwards OpenSSL documents `SSL_new` on a shared context as thread-safe.
final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer

    init(_ configuration: TLSConfiguration) throws(SocketError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .tls("SSL_CTX_new: \(TLSContext.drainErrors())")
        }
        self.context = context
        guard copenssl_ctx_set_tls12_minimum(context) == 1 else {
            throw .tls("cannot require TLS 1.2: \(TLSContext.drainErrors())")
        }
        copenssl_ctx_set_nonblocking_modes(context)
        copenssl_ctx_harden(context)
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificatePath) == 1 else {
            throw .tls("certificate \(configuration.certificatePath): \(TLSContext.drainErrors())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.keyPath, SSL_FILETYPE_PEM) == 1 else {
            throw .tls("key \(configuration.keyPath): \(TLSContext.drainErrors())")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .tls("key does not match certificate: \(TLSContext.drainErrors())")
        }
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
