#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 socket address, resolved from text once and passed to `bind`.
struct SocketAddress: Sendable {
    /// The raw `sockaddr_in` or `sockaddr_in6` bytes.
    private(set) var storage: sockaddr_storage
    let length: socklen_t

    var family: Int32 { Int32(storage.ss_family) }

    /// Resolves `host` ("0.0.0.0", "::", "127.0.0.1", "::1", or a name such as "localhost")
    /// with `port`; numeric forms never touch DNS. The first address returned is used.
    init(host: String, port: Int) throws(SocketError) {
        guard (0...65535).contains(port) else { throw .invalidAddress("\(host):\(port)") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let lookupHost = host.isEmpty ? nil : host
        guard getaddrinfo(lookupHost, String(port), &hints, &list) == 0, let first = list else {
            throw .invalidAddress(host)
        }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        let length = first.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(length)))
        }
        self.storage = storage
        self.length = length
    }

    /// Reads an address the kernel filled in (`accept4`, `getsockname`).
    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// The port in host byte order.
    var port: Int {
        withUnsafeBytes(of: storage) { raw in
            if family == AF_INET6 {
                return Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            }
            return Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
        }
    }

    /// "127.0.0.1:8080" or "[::1]:8080", the form handlers see as the remote address.
    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let host: String = withUnsafeBytes(of: storage) { raw in
            if family == AF_INET6 {
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            } else {
                var address = raw.load(as: sockaddr_in.self).sin_addr
                inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with the address as the `sockaddr` pointer the socket calls take.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafeBytes(of: storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}
