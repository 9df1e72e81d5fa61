#if canImport(Glibc)
import Glibc
#endif

/// Every failure of the socket and TLS layers, with `errno` captured at the failing call.
///
/// `errno` is thread-local and overwritten by the next libc call, so it is read at the
/// failure site (`SocketError.makeFailed("bind")`) and carried as a value from then on.
public enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed; `call` names it and `errno` is its error number.
    case failed(call: String, errno: Int32)
    /// The host text is neither an IPv4 nor an IPv6 address nor a name that resolves.
    case invalidAddress(String)
    /// OpenSSL refused a certificate, key or setting; the text is OpenSSL's error queue.
    case tls(String)

    /// Captures the current `errno` for `call`; call it before any other libc function.
    static func makeFailed(_ call: String) -> SocketError {
        .failed(call: call, errno: errno)
    }

    public var description: String {
        switch self {
        case let .failed(call, code):
            return "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case let .invalidAddress(host):
            return "invalid listen address: \(host)"
        case let .tls(message):
            return "TLS: \(message)"
        }
    }
}

/// What one non-blocking read or write did.
enum IOResult: Equatable {
    /// This many bytes moved (never zero).
    case bytes(Int)
    /// Nothing moved now; wait for readiness. `wantsWrite` is set when TLS needs the
    /// socket to become writable before this call can make progress.
    case wouldBlock(wantsWrite: Bool)
    /// The peer closed its side (read returned 0, or TLS close_notify).
    case endOfFile
    /// The connection is broken (ECONNRESET, EPIPE, TLS protocol error ...).
    case failed(SocketError)
}
