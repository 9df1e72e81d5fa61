import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// One connection's TLS session over a non-blocking socket.
///
/// OpenSSL reads and writes the descriptor itself; every call may answer "want read" or
/// "want write", which this type turns into `IOResult.wouldBlock` so the connection waits
/// for the right readiness. Used only on the owning connection's I/O thread.
final class TLSStream {
    private let ssl: OpaquePointer

    init(context: TLSContext, descriptor: FileDescriptor) throws(SocketError) {
        guard let ssl = SSL_new(context.context) else {
            throw .tls("SSL_new: \(TLSContext.drainErrors())")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, descriptor.rawValue)
        SSL_set_accept_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    enum HandshakeResult: Equatable {
        case done
        case wouldBlock(wantsWrite: Bool)
        case failed(SocketError)
    }

    /// Advances the server handshake as far as the socket allows.
    func handshake() -> HandshakeResult {
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        switch classify(result, call: "SSL_do_handshake") {
        case let .wouldBlock(wantsWrite): return .wouldBlock(wantsWrite: wantsWrite)
        case let .failed(error): return .failed(error)
        default: return .failed(.tls("handshake closed"))
        }
    }

    /// Decrypted bytes waiting inside OpenSSL: readiness of the socket does not announce
    /// them, so the connection keeps reading while this is positive.
    var pendingBytes: Int { Int(SSL_pending(ssl)) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if count > 0 { return .bytes(Int(count)) }
        return classify(count, call: "SSL_read")
    }

    func write(_ buffer: UnsafeRawBufferPointer) -> IOResult {
        let count = SSL_write(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if count > 0 { return .bytes(Int(count)) }
        return classify(count, call: "SSL_write")
    }

    /// Sends close_notify once, without waiting for the peer's (the socket closes next).
    func close() {
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private func classify(_ result: Int32, call: String) -> IOResult {
        let code = SSL_get_error(ssl, result)
        let savedErrno = errno
        switch code {
        case SSL_ERROR_WANT_READ:
            return .wouldBlock(wantsWrite: false)
        case SSL_ERROR_WANT_WRITE:
            return .wouldBlock(wantsWrite: true)
        case SSL_ERROR_ZERO_RETURN:
            return .endOfFile
        case SSL_ERROR_SYSCALL:
            ERR_clear_error()
            return savedErrno == 0 ? .endOfFile : .failed(.failed(call: call, errno: savedErrno))
        default:
            return .failed(.tls("\(call): \(TLSContext.drainErrors())"))
        }
    }
}
