#if canImport(Glibc)
import Glibc
#endif

/// An open socket's file descriptor as a plain value.
///
/// It is `Sendable` because it is only a number: ownership (who closes it, and when) is
/// decided by the connection or listener that holds it, never by this type.
public struct FileDescriptor: Sendable, Hashable {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Sets an integer socket option such as `SO_REUSEADDR` or `TCP_NODELAY`.
    func setOption(level: Int32, name: Int32, value: Int32) throws(SocketError) {
        var value = value
        let size = socklen_t(MemoryLayout<Int32>.size)
        guard setsockopt(rawValue, level, name, &value, size) == 0 else {
            throw .makeFailed("setsockopt")
        }
    }

    /// Adds `O_NONBLOCK` to the descriptor's status flags.
    func setNonBlocking() throws(SocketError) {
        let flags = fcntl(rawValue, F_GETFL)
        guard flags >= 0, fcntl(rawValue, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .makeFailed("fcntl(O_NONBLOCK)")
        }
    }

    /// One non-blocking `read` into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.read(rawValue, buffer.baseAddress, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfFile }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock(wantsWrite: false) }
            return .failed(.failed(call: "read", errno: code))
        }
    }

    /// One non-blocking `send`; `MSG_NOSIGNAL` makes a closed peer an `EPIPE`, not a signal.
    func send(_ buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let count = Glibc.send(rawValue, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count > 0 { return .bytes(count) }
            let code = errno
            if count == 0 { return .wouldBlock(wantsWrite: true) }
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock(wantsWrite: true) }
            return .failed(.failed(call: "send", errno: code))
        }
    }

    /// One non-blocking `sendmsg` of two buffers in order (a response's head and its body
    /// without joining them into one copy); `MSG_NOSIGNAL` as in `send`.
    func send(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> IOResult {
        var vectors = [
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
        ]
        while true {
            let count = vectors.withUnsafeMutableBufferPointer { vectors -> Int in
                var message = msghdr()
                message.msg_iov = vectors.baseAddress
                message.msg_iovlen = vectors.count
                return Glibc.sendmsg(rawValue, &message, Int32(MSG_NOSIGNAL))
            }
            if count > 0 { return .bytes(count) }
            let code = errno
            if count == 0 { return .wouldBlock(wantsWrite: true) }
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock(wantsWrite: true) }
            return .failed(.failed(call: "sendmsg", errno: code))
        }
    }

    /// Half-closes the sending side so the peer reads end-of-file after our last byte,
    /// while we can still drain what it sends (RFC 9112 §9.6 "lingering close").
    func shutdownWrite() {
        _ = Glibc.shutdown(rawValue, Int32(SHUT_WR))
    }

    /// Closes the descriptor. Called exactly once, by its owner.
    func close() {
        _ = Glibc.close(rawValue)
    }
}
