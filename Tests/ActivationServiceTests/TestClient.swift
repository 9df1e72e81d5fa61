#if canImport(Glibc)
import Glibc
#endif

/// A response as the test client read it off the socket.
struct TestResponse: Sendable {
    var status: Int
    /// Header names lower-cased.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

enum TestClientError: Error {
    case connect(Int32)
    case io(Int32)
    case closed
    case malformed(String)
}

/// A blocking HTTP/1.1 client over a plain socket, with keep-alive, for end-to-end tests.
///
/// Deliberately independent of the server's parser: it reads the status line, headers and a
/// `Content-Length` body, which is all the service sends. Every read has a 30 s timeout so a
/// broken server fails a test instead of hanging it.
final class TestClient: @unchecked Sendable {
    // @unchecked Sendable is safe: each client is used by one task at a time (tests create one
    // per concurrent client), and `buffer` is only touched inside its blocking calls.
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 30) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestClientError.connect(errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestClientError.connect(code)
        }
    }

    deinit { Glibc.close(fd) }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> TestResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try write(Array(head.utf8) + body)
        return try readResponse(method: method)
    }

    /// Sends raw bytes (for malformed requests).
    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw TestClientError.io(errno) }
            sent += count
        }
    }

    func readResponse(method: String = "GET") throws -> TestResponse {
        let headEnd = try readUntilHeadEnd()
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestClientError.malformed(head)
        }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters())
        }
        let length = headers.first { $0.0 == "content-length" }.flatMap { Int($0.1) } ?? 0
        let bodyLength = method == "HEAD" ? 0 : length
        while buffer.count < bodyLength { try fill() }
        let body = Array(buffer[0..<bodyLength])
        buffer.removeFirst(bodyLength)
        return TestResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: body)
    }

    /// True when the server closed the connection (read returns 0) within the timeout.
    func isClosedByPeer() -> Bool {
        do {
            try fill()
            return false
        } catch TestClientError.closed {
            return true
        } catch {
            return false
        }
    }

    private func readUntilHeadEnd() throws -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for index in max(0, searchFrom - 3)..<(buffer.count - 3)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
                searchFrom = buffer.count
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if count == 0 { throw TestClientError.closed }
        guard count > 0 else { throw TestClientError.io(errno) }
        buffer += chunk[0..<count]
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
