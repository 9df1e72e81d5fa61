import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response as the test client read it off the wire.
struct TestResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
    var closes: Bool { header("Connection")?.lowercased() == "close" }
}

enum TestClientError: Error {
    case connect(Int32)
    case timedOut
    case closed
    case malformed(String)
}

/// A small blocking HTTP/1.1 client over a raw socket, with a receive timeout on every read,
/// so tests send exactly the bytes they mean (malformed ones included) and see exactly
/// what comes back, including whether the server closed the connection.
///
/// `@unchecked Sendable`: one test sends from a second thread while the test thread reads;
/// `send` touches only the immutable descriptor, and the read buffer is used by the
/// reading thread alone.
final class TestClient: @unchecked Sendable {
    let descriptor: Int32
    /// Set for HTTPS: bytes then go through TLS.
    private(set) var tls: TLSClientSession?
    private var buffer: [UInt8] = []
    private var sawEndOfFile = false

    init(port: Int, host: String = "127.0.0.1", timeout: Double = 5) throws {
        let isIPv6 = host.contains(":")
        descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestClientError.connect(errno) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw TestClientError.connect(code)
        }
    }

    deinit {
        tls = nil
        Glibc.close(descriptor)
    }

    /// Connects and handshakes TLS, offering `alpn`.
    convenience init(tlsPort port: Int, alpn: [String] = [], timeout: Double = 5) throws {
        try self.init(port: port, timeout: timeout)
        tls = try TLSClientSession(descriptor: descriptor, alpn: alpn)
    }

    /// Shrinks the receive buffer so a large response fills it quickly (set before reading).
    func setReceiveBuffer(_ bytes: Int32) {
        var value = bytes
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { chunk in
                tls.map { $0.write(chunk) } ?? Glibc.send(descriptor, chunk.baseAddress, chunk.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw TestClientError.closed }
            sent += count
        }
    }

    /// Closes the connection now, by a full shutdown: the descriptor itself closes on deinit.
    func close() {
        Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Half-closes our sending side.
    func shutdownWrite() {
        Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads more bytes into the buffer; false on end of file or reset.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { space in
            tls.map { $0.read(into: space) } ?? recv(descriptor, space.baseAddress, space.count, 0)
        }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw TestClientError.timedOut }
        sawEndOfFile = true
        return false
    }

    /// Reads one response. `forHead` skips the body a HEAD response announces but never sends.
    func readResponse(forHead: Bool = false) throws -> TestResponse {
        var headEnd: Int?
        while true {
            if let range = findHeadEnd() { headEnd = range; break }
            guard try fill() else { throw TestClientError.closed }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw TestClientError.malformed(head)
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        let length = forHead || (100..<200).contains(status) || status == 204 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            guard try fill() else { throw TestClientError.closed }
        }
        response.body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return response
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// True when the server closed the connection (end of file or reset) with nothing more
    /// to read; false when bytes arrive or the wait times out with the connection open.
    func isClosedByServer() -> Bool {
        if sawEndOfFile { return buffer.isEmpty }
        guard buffer.isEmpty else { return false }
        do { return try !fill() } catch { return false }
    }

    /// Reads until end of file (or timeout); returns everything received.
    func readToEnd() -> [UInt8] {
        while (try? fill()) == true {}
        defer { buffer = [] }
        return buffer
    }
}
