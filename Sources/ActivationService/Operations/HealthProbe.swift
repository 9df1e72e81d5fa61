import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for one question: does `GET /healthz` answer 200?
///
/// The container's HEALTHCHECK runs `activation-server healthcheck`, and the runtime image has
/// no curl, so the binary asks itself. Plain sockets, one request, `Connection: close`, and a
/// deadline on every step (SO_SNDTIMEO also bounds `connect(2)` on Linux), so a wedged server
/// makes the probe fail rather than hang. With `tls` the request goes over TLS without checking
/// the certificate, as the kubelet's HTTPS probes do: the probe asks whether this server answers,
/// not who signed its certificate.
public enum HealthProbe {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case resolve(String)
        case connect(Int32)
        case io(Int32)
        case malformedResponse
        case tls

        public var description: String {
            switch self {
            case .resolve(let message): "cannot resolve the host: \(message)"
            case .connect(let code): "cannot connect: \(String(cString: strerror(code)))"
            case .io(let code): "cannot exchange the request: \(String(cString: strerror(code)))"
            case .malformedResponse: "the answer is not an HTTP/1.x response"
            case .tls: "the TLS handshake failed"
            }
        }
    }

    /// The status `GET path` answers with on host:port.
    public static func status(
        host: String, port: Int, path: String = "/healthz", timeoutSeconds: Int = 3, tls: Bool = false
    ) throws(Failure) -> Int {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else { throw .resolve(String(cString: gai_strerror(code))) }
        defer { freeaddrinfo(list) }

        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = errno; continue }
            defer { close(fd) }
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
                lastError = errno
                continue
            }
            guard tls else { return try exchange(host: host, path: path, channel: PlainChannel(fd: fd)) }
            let channel = try TLSChannel(fd: fd)
            return try exchange(host: host, path: path, channel: channel)
        }
        throw .connect(lastError)
    }

    private static func exchange(host: String, path: String, channel: some Channel) throws(Failure) -> Int {
        let hostHeader = host.contains(":") ? "[\(host)]" : host
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { channel.write($0) }
            guard written > 0 else { throw .io(errno) }
            sent += written
        }
        // The status line is all we need: "HTTP/1.1 200 OK".
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !received.contains(UInt8(ascii: "\n")) && received.count < 4096 {
            let count = buffer.withUnsafeMutableBytes { channel.read($0) }
            if count == 0 { break }
            guard count > 0 else { throw .io(errno) }
            received += buffer[0..<count]
        }
        return try parseStatus(received)
    }

    /// The status code of a response's first line.
    static func parseStatus(_ bytes: [UInt8]) throws(Failure) -> Int {
        let prefix = Array("HTTP/1.".utf8)
        guard bytes.count >= 12, Array(bytes[0..<7]) == prefix, bytes[8] == UInt8(ascii: " ") else {
            throw .malformedResponse
        }
        var status = 0
        for byte in bytes[9..<12] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformedResponse }
            status = status * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return status
    }
}

/// Bytes to and from the server: the socket itself, or TLS over it.
private protocol Channel {
    func write(_ bytes: UnsafeRawBufferPointer) -> Int
    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int
}

private struct PlainChannel: Channel {
    let fd: Int32
    func write(_ bytes: UnsafeRawBufferPointer) -> Int { send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int { recv(fd, buffer.baseAddress, buffer.count, 0) }
}

/// A TLS client session on a connected socket whose timeouts bound every step.
private final class TLSChannel: Channel {
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    init(fd: Int32) throws(HealthProbe.Failure) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw .tls
        }
        self.context = context
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else {
            ERR_clear_error()
            throw .tls
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> Int { Int(SSL_write(ssl, bytes.baseAddress, Int32(bytes.count))) }

    func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
        if count > 0 { return Int(count) }
        let error = SSL_get_error(ssl, count)
        ERR_clear_error()
        return error == SSL_ERROR_ZERO_RETURN || error == SSL_ERROR_SYSCALL ? 0 : -1
    }
}
