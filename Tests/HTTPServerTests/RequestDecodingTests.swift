import Foundation
import Testing
@testable import HTTPServer

/// Request bodies with Content-Encoding, over real sockets: decoded before the handler, capped
/// at the body limit, refused with 400, 413 or 415 when they cannot be.
@Suite struct RequestDecodingTests {
    /// Echoes the body, and reports the coding headers the handler saw.
    static let handler = HTTPHandlerClosure { request in
        var headers = HTTPHeaders()
        headers.add(name: "X-Saw-Content-Encoding", value: request.headers["Content-Encoding"] ?? "none")
        headers.add(name: "X-Saw-Content-Length", value: request.headers["Content-Length"] ?? "none")
        return HTTPResponse(status: 200, headers: headers, body: request.body)
    }

    /// Compression stays out of the way of these tests: the echoed bodies are read as sent.
    static func configuration(maxBody: Int = 1 << 20) -> HTTPServerConfiguration {
        testConfiguration {
            $0.parserLimits.maxBodyLength = maxBody
            $0.responseCompression = .disabled
        }
    }

    static func post(_ body: [UInt8], coding: String?, extra: String = "") -> [UInt8] {
        let codingLine = coding.map { "Content-Encoding: \($0)\r\n" } ?? ""
        return Array("POST /echo HTTP/1.1\r\nHost: a\r\n\(codingLine)\(extra)Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    @Test(arguments: ["gzip", "x-gzip", "GZIP", "deflate", "identity, gzip", "gzip, identity"])
    func decodesBeforeTheHandler(_ coding: String) throws {
        let body = ZlibCodecTests.sample(50_000)
        let encoded = try #require(ZlibCodec.encode(body, coding: coding.lowercased().contains("deflate") ? .deflate : .gzip, level: 1))
        try withServer(Self.configuration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post(encoded, coding: coding))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.header("X-Saw-Content-Encoding") == "none")
            #expect(response.header("X-Saw-Content-Length") == "\(body.count)")
        }
    }

    @Test func stackedCodingsAreUndoneInReverseOrder() throws {
        let body = ZlibCodecTests.sample(20_000)
        let once = try #require(ZlibCodec.encode(body, coding: .deflate, level: 1))
        // The second coding rarely shrinks the first one's output, so it is built by hand.
        let twice = ZlibCodecTests.storedGzipMember(once)
        try withServer(Self.configuration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post(twice, coding: "deflate, gzip"))
            #expect(try client.readResponse().body == body)
            try client.send(Self.post(twice, coding: "gzip, deflate"))
            #expect(try client.readResponse().status == 400)
        }
    }

    @Test func chunkedGzipBodyIsDecoded() throws {
        let body = ZlibCodecTests.sample(10_000)
        let encoded = try #require(ZlibCodec.encode(body, coding: .gzip, level: 1))
        let half = encoded.count / 2
        var request = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for part in [encoded[..<half], encoded[half...]] {
            request += Array("\(String(part.count, radix: 16))\r\n".utf8) + part + Array("\r\n".utf8)
        }
        request += Array("0\r\n\r\n".utf8)
        try withServer(Self.configuration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.body == body)
            #expect(response.header("X-Saw-Content-Length") == "none")
        }
    }

    /// 64 MiB of zeros in 64 KiB of gzip against a 1 MiB limit: 413 once 1 MiB is decoded,
    /// the connection still usable, and another client served meanwhile.
    @Test func bombIsRefusedAtTheLimitAndTheServerServesOn() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let member = try #require(ZlibCodec.encode(zeros, coding: .gzip, level: 9))
        let bomb = Array([[UInt8]](repeating: member, count: 64).joined())
        try withServer(Self.configuration(maxBody: 1 << 20), handler: Self.handler) { server in
            let attacker = try TestClient(port: server.port)
            let bystander = try TestClient(port: server.port)
            try attacker.send(Self.post(bomb, coding: "gzip"))
            try bystander.send(Self.post(Array("fine".utf8), coding: nil))
            let refused = try attacker.readResponse()
            #expect(refused.status == 413)
            #expect(refused.bodyText.contains("decoded request body is larger than 1048576 bytes"))
            #expect(!refused.closes)
            #expect(try bystander.readResponse().bodyText == "fine")
            // Exactly at the limit is accepted, on the same connection.
            try attacker.send(Self.post(member, coding: "gzip"))
            let accepted = try attacker.readResponse()
            #expect(accepted.status == 200)
            #expect(accepted.body.count == 1 << 20)
        }
    }

    @Test func corruptTruncatedAndTrailingDataGet400() throws {
        let body = ZlibCodecTests.sample(5000)
        let gzip = try #require(ZlibCodec.encode(body, coding: .gzip, level: 1))
        var flipped = gzip
        flipped[flipped.count / 2] ^= 0x55
        let cases: [([UInt8], String)] = [
            (Array("not gzip at all".utf8), "gzip"), (Array(gzip.prefix(gzip.count - 3)), "gzip"),
            (gzip + [0, 0, 0], "gzip"), (flipped, "gzip"), (gzip, "deflate"),
        ]
        try withServer(Self.configuration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            for (bytes, coding) in cases {
                try client.send(Self.post(bytes, coding: coding))
                let response = try client.readResponse()
                #expect(response.status == 400)
                #expect(response.bodyText.hasPrefix("request body does not decode"))
            }
            try client.send(Self.post(gzip, coding: "gzip"))
            #expect(try client.readResponse().body == body)
        }
    }

    @Test(arguments: ["br", "compress", "zstd", "gzip, br", "gzip, gzip, gzip", "gzip;q=1"])
    func unknownCodingGets415WithAcceptEncoding(_ coding: String) throws {
        try withServer(Self.configuration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post(Array("abc".utf8), coding: coding))
            let response = try client.readResponse()
            #expect(response.status == 415)
            #expect(response.header("Accept-Encoding") == "gzip, deflate")
            #expect(!response.closes)
        }
    }

    @Test func emptyBodyHasNothingToDecode() throws {
        try withServer(Self.configuration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post([], coding: "gzip"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Saw-Content-Encoding") == "none")
        }
    }

    /// The service's error shape reaches 415 too, with its stable code.
    @Test func errorsGoThroughTheErrorResponder() throws {
        let configuration = testConfiguration {
            $0.errorResponder = { status, code, _, _ in HTTPResponse(status: status, body: Array(code.utf8)) }
        }
        try withServer(configuration, handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(Self.post(Array("abc".utf8), coding: "br"))
            #expect(try client.readResponse().bodyText == "unsupported_media_type")
            try client.send(Self.post(Array("abc".utf8), coding: "gzip"))
            #expect(try client.readResponse().bodyText == "bad_request")
        }
    }
}

extension ZlibCodecTests {
    /// A gzip member that stores `bytes` uncompressed (RFC 1952, deflate block type 0), made
    /// without zlib, so it exists even when compression would not shrink the data.
    static func storedGzipMember(_ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count < 65_536)
        let length = UInt16(bytes.count)
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        out += [1, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        out += bytes
        let crc = crc32(bytes)
        out += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
        out += (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bytes.count) >> (8 * $0)) }
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
