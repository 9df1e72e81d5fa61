import Testing
@testable import HTTPServer

/// Keep-alive, pipelining, HEAD, 100-continue and chunked uploads over a real socket.
@Suite struct KeepAliveTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            let paths = (0..<10).map { "/item/\($0)" }
            try client.send(paths.map { get($0) }.joined())
            for path in paths {
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.header("X-Path") == path)
                #expect(!response.closes)
            }
        }
    }

    @Test func thousandRequestsShareOneConnection() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            for index in 0..<1000 {
                try client.send(get("/n/\(index)"))
                let response = try client.readResponse()
                guard response.status == 200, response.header("X-Path") == "/n/\(index)" else {
                    Issue.record("request \(index) got \(response.status) \(response.header("X-Path") ?? "-")")
                    return
                }
            }
            #expect(server.statistics.accepted == 1)
            #expect(server.statistics.responses == 1000)
        }
    }

    @Test func responsesCarryDateAndContentLength() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/x"))
            let response = try client.readResponse()
            let date = try #require(response.header("Date"))
            // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
            #expect(date.count == 29 && date.hasSuffix(" GMT"))
            #expect(response.header("Content-Length") == String(response.body.count))
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/x", "Connection: close\r\n"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.closes)
            #expect(client.isClosedByServer())
        }
    }

    /// A handler that answers `Connection: close` (the service does while draining) gets the
    /// connection closed after its response, although the client asked to keep it.
    @Test func handlerCanAskToClose() throws {
        struct Closing: HTTPHandler {
            func handle(_ request: HTTPRequest) -> HTTPResponse {
                let close = request.path == "/close"
                return HTTPResponse(status: 200, headers: HTTPHeaders(close ? [("Connection", "Close")] : []))
            }
        }
        try withServer(handler: Closing()) { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/stay"))
            #expect(try !client.readResponse().closes)
            try client.send(get("/close"))
            let response = try client.readResponse()
            #expect(response.closes)
            #expect(client.isClosedByServer())
        }
    }

    @Test func http10ClosesUnlessKeepAliveAsked() throws {
        try withServer { server in
            let plain = try TestClient(port: server.port)
            try plain.send("GET /a HTTP/1.0\r\n\r\n")
            #expect(try plain.readResponse().closes)
            #expect(plain.isClosedByServer())

            let keep = try TestClient(port: server.port)
            try keep.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try keep.readResponse()
            #expect(first.header("Connection")?.lowercased() == "keep-alive")
            try keep.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().header("X-Path") == "/b")
        }
    }

    @Test func headGetsGetHeadersWithoutBody() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/thing"))
            let getResponse = try client.readResponse()
            try client.send("HEAD /thing HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(forHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == getResponse.header("Content-Length"))
            #expect(head.header("X-Method") == "HEAD")
            // The next response must start right after HEAD's headers: no body was sent.
            try client.send(get("/after"))
            #expect(try client.readResponse().header("X-Path") == "/after")
        }
    }

    @Test func expectContinueGets100BeforeTheBody() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("hello")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.bodyText == "hello")
        }
    }

    @Test func expectContinueWithTooLargeBodyGetsFinalStatusAtOnce() throws {
        let configuration = testConfiguration { $0.parserLimits.maxBodyLength = 100 }
        try withServer(configuration) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.closes)
        }
    }

    @Test func chunkedUploadIsReassembled() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
            try client.send("5;ext=1\r\nhello\r\n")
            try client.send("6\r\n world\r\n0\r\nTrailer: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello world")
            try client.send(get("/next"))
            #expect(try client.readResponse().header("X-Path") == "/next")
        }
    }

    @Test func requestDrippedOneByteAtATimeIsParsed() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            for byte in Array("POST /drip HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8) {
                try client.send([byte])
            }
            let response = try client.readResponse()
            #expect(response.bodyText == "abc")
        }
    }

    @Test func halfClosedClientStillGetsItsResponse() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/last"))
            client.shutdownWrite()
            let response = try client.readResponse()
            #expect(response.header("X-Path") == "/last")
            #expect(client.isClosedByServer())
        }
    }

    @Test func remoteAddressIsTheClients() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/"))
            let remote = try #require(try client.readResponse().header("X-Remote"))
            #expect(remote.hasPrefix("127.0.0.1:"))
        }
    }
}
