import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// The client side of TLS over a connected blocking socket, through OpenSSL's client API (the
/// server's code is not involved): for tests that hold one connection open while the server's
/// certificate changes, and read which certificate each connection was given.
///
/// Trusts every certificate (the tests check which one is served, not who signed it).
final class TLSClientSession {
    private let context: OpaquePointer
    let ssl: OpaquePointer

    struct HandshakeFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Handshakes on `descriptor`; `alpn` lists the protocols to offer (none by default).
    init(descriptor: Int32, alpn: [String] = []) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw HandshakeFailed(description: "SSL_CTX_new") }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        if !alpn.isEmpty {
            let wire = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            _ = copenssl_ctx_set_alpn_protos(context, wire, UInt32(wire.count))
        }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw HandshakeFailed(description: "SSL_new")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, descriptor)
        guard SSL_connect(ssl) == 1 else {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(ERR_get_error(), &buffer, buffer.count)
            ERR_clear_error()
            throw HandshakeFailed(description: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// The serial number of the certificate this connection was served, in upper-case hex.
    var peerSerialNumber: String {
        guard let certificate = copenssl_peer_certificate(ssl) else { return "" }
        defer { X509_free(certificate) }
        var buffer = [CChar](repeating: 0, count: 128)
        let length = Int(copenssl_x509_serial_hex(certificate, &buffer, Int32(buffer.count)))
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The protocol ALPN settled on, or "".
    var alpnProtocol: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let length = Int(copenssl_alpn_selected(ssl, &buffer, Int32(buffer.count)))
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Bytes written, or -1.
    func write(_ buffer: UnsafeRawBufferPointer) -> Int {
        Int(SSL_write(ssl, buffer.baseAddress, Int32(buffer.count)))
    }

    /// Bytes read, 0 at the end of the stream, -1 on a failure or the socket's receive timeout.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
        if count > 0 { return Int(count) }
        let error = SSL_get_error(ssl, count)
        ERR_clear_error()
        return error == SSL_ERROR_ZERO_RETURN ? 0 : -1
    }
}
