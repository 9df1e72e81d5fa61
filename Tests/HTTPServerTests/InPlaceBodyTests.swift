import Testing
@testable import HTTPServer

/// A Content-Length body is read into its final buffer: after the head, the socket's bytes
/// land in the body's storage (`HTTPServerStatistics.bodyBytesReadInPlace`), and only what
/// arrived with the head was copied, over plain TCP and TLS, with pipelining and 100-continue.
@Suite struct InPlaceBodyTests {
    /// Bytes that tell a misplaced or repeated piece from the right one.
    static func pattern(_ count: Int, seed: UInt32 = 7) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    static func post(_ body: [UInt8], path: String = "/big", extra: String = "") -> [UInt8] {
        Array("POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\(extra)\r\n".utf8) + body
    }

    @Test func largeBodyIsReadInPlaceAndEchoedIntact() throws {
        try withServer { server in
            let body = Self.pattern(3 << 20)
            let client = try TestClient(port: server.port, timeout: 20)
            // The head with a little of the body, then the rest in uneven pieces.
            let request = Self.post(body)
            try client.send(Array(request[0..<(request.count - body.count + 1000)]))
            var offset = request.count - body.count + 1000
            for piece in [1, 70_000, 500_000, 999_999] {
                try client.send(Array(request[offset..<(offset + piece)]))
                offset += piece
            }
            try client.send(Array(request[offset...]))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
            // At most one read of the lane's 64 KiB buffer carried body bytes with the head.
            #expect(server.statistics.bodyBytesReadInPlace >= body.count - 65_536)
            #expect(server.statistics.bodyBytesReadInPlace <= body.count)
        }
    }

    @Test func requestPipelinedBehindALargeBodyIsNotSwallowed() throws {
        try withServer { server in
            let body = Self.pattern(1 << 20, seed: 3)
            let client = try TestClient(port: server.port, timeout: 20)
            try client.send(Self.post(body) + Array(get("/after").utf8) + Self.post(Array("tail".utf8), path: "/small"))
            let first = try client.readResponse()
            #expect(first.status == 200)
            #expect(first.body == body)
            let second = try client.readResponse()
            #expect(second.header("X-Path") == "/after")
            let third = try client.readResponse()
            #expect(third.body == Array("tail".utf8))
        }
    }

    @Test func bodyAfterContinueIsReadInPlace() throws {
        try withServer { server in
            let body = Self.pattern(600_000, seed: 11)
            let client = try TestClient(port: server.port, timeout: 20)
            let request = Self.post(body, extra: "Expect: 100-continue\r\n")
            try client.send(Array(request[0..<(request.count - body.count)]))
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.body == body)
            // Nothing of the body came with the head: every byte was read in place.
            #expect(server.statistics.bodyBytesReadInPlace == body.count)
        }
    }

    @Test func tlsBodyIsDecryptedIntoItsFinalBuffer() throws {
        let tls = try TLSTests.makeCertificate()
        try withServer(testConfiguration { $0.tls = tls }) { server in
            let body = Self.pattern(1_500_000, seed: 5)
            let client = try TestClient(tlsPort: server.port, timeout: 20)
            try client.send(Self.post(body) + Array(get("/next").utf8))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(try client.readResponse().header("X-Path") == "/next")
            #expect(server.statistics.bodyBytesReadInPlace >= body.count - 65_536)
        }
    }

    @Test func chunkedBodiesStillArriveWhole() throws {
        try withServer { server in
            let body = Self.pattern(300_000, seed: 13)
            var request = Array("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            var offset = 0
            for size in [1, 65_535, 100_000, 134_464] {
                request += Array((String(size, radix: 16) + "\r\n").utf8) + body[offset..<(offset + size)] + [13, 10]
                offset += size
            }
            request += Array("0\r\n\r\n".utf8)
            let client = try TestClient(port: server.port, timeout: 20)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.body == body)
            #expect(server.statistics.bodyBytesReadInPlace == 0)
        }
    }

    @Test func bodyOverTheLimitIsRefusedBeforeItIsRead() throws {
        try withServer(testConfiguration { $0.parserLimits.maxBodyLength = 100_000 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 100001\r\n\r\n")
            #expect(try client.readResponse().status == 413)
            #expect(server.statistics.bodyBytesReadInPlace == 0)
        }
    }
}

/// The parser's side of in-place reading, without sockets.
@Suite struct ParserInPlaceBodyTests {
    @Test func reservedBodyIsFilledInPlaceAfterTheBufferedBytes() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc".utf8))
        guard case .head = parser.next() else { Issue.record("no head"); return }
        #expect(parser.directBodyRoom == 0)  // not reserved yet
        parser.reserveBody(10)
        // "abc" still waits in the parser's buffer: it goes first.
        #expect(parser.directBodyRoom == 0)
        guard case .needMoreData = parser.next() else { Issue.record("body not pending"); return }
        #expect(parser.directBodyRoom == 7)
        #expect(parser.announcedBodyLength == 10)
        parser.readBodyDirectly { room in
            #expect(room.count == 7)
            room.copyBytes(from: Array("defg".utf8))
            return 4
        }
        #expect(parser.directBodyRoom == 3)
        guard case .needMoreData = parser.next() else { Issue.record("completed early"); return }
        parser.readBodyDirectly { room in
            room.copyBytes(from: Array("hij".utf8))
            return 3
        }
        #expect(parser.directBodyRoom == 0)
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body == Array("abcdefghij".utf8))
        // The next request starts from a clean state.
        parser.append(Array("POST /q HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nxy".utf8))
        guard case .head = parser.next() else { Issue.record("no second head"); return }
        guard case .request(let second) = parser.next() else { Issue.record("no second request"); return }
        #expect(second.body == Array("xy".utf8))
    }

    @Test func aReadCannotOverrunTheBody() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\n".utf8))
        guard case .head = parser.next() else { Issue.record("no head"); return }
        parser.reserveBody(4)
        parser.readBodyDirectly { room in
            room.copyBytes(from: Array("wxyz".utf8))
            return 1_000  // a reader claiming more than the room is clamped to it
        }
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body == Array("wxyz".utf8))
    }
}
