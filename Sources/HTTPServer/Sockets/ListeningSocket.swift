import CHTTPSupport
#if canImport(Glibc)
import Glibc
#endif


/// A bound, listening, non-blocking TCP socket and the connections it accepts.
struct ListeningSocket: Sendable {
    let descriptor: FileDescriptor
    /// The address actually bound: with port 0 this carries the port the kernel chose.
    let localAddress: SocketAddress

    /// Binds `host:port` and listens. `SO_REUSEADDR` lets a restarted server bind while old
    /// connections sit in TIME_WAIT; the socket is close-on-exec and non-blocking from birth.
    static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> ListeningSocket {
        let address = try SocketAddress(host: host, port: port)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let raw = socket(address.family, type, 0)
        guard raw >= 0 else { throw .makeFailed("socket") }
        let descriptor = FileDescriptor(rawValue: raw)
        do {
            try descriptor.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            let bound = address.withSockAddr { Glibc.bind(raw, $0, $1) }
            guard bound == 0 else { throw SocketError.makeFailed("bind") }
            guard Glibc.listen(raw, backlog) == 0 else { throw SocketError.makeFailed("listen") }
            return ListeningSocket(descriptor: descriptor, localAddress: try boundAddress(of: raw))
        } catch let error as SocketError {
            descriptor.close()
            throw error
        } catch {
            descriptor.close()
            throw .failed(call: "listen", errno: EINVAL)
        }
    }

    private static func boundAddress(of raw: Int32) throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(raw, $0, &length) }
        }
        guard result == 0 else { throw .makeFailed("getsockname") }
        return SocketAddress(storage: storage, length: length)
    }

    enum Accepted {
        case connection(FileDescriptor, peer: SocketAddress)
        /// No connection is waiting.
        case none
        /// Out of descriptors or memory: the listener backs off briefly instead of spinning.
        case exhausted(SocketError)
        /// Any other error concerns only the connection that was being accepted.
        case skipped
    }

    /// Accepts one pending connection: non-blocking, close-on-exec, `TCP_NODELAY` set
    /// (responses are written whole, so Nagle's algorithm would only add latency).
    func accept() -> Accepted {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let raw = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                // accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC: both set atomically, so a
                // concurrent fork/exec can never inherit the connection.
                chttp_accept_nonblocking(descriptor.rawValue, $0, &length)
            }
        }
        guard raw >= 0 else {
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK: return .none
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .exhausted(.failed(call: "accept4", errno: code))
            default: return .skipped
            }
        }
        let connection = FileDescriptor(rawValue: raw)
        try? connection.setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        return .connection(connection, peer: SocketAddress(storage: storage, length: length))
    }
}
