import Testing
@testable import HTTPServer

/// Each malformed or hostile request of shared/design/http-malformed.md, sent over a real
/// socket: the status the server answers and that it then closes the connection.
@Suite struct MalformedRequestTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: String
        var status: Int
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "CL and TE together", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "two different CLs", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", status: 400),
        Case(name: "CL list 5, 6", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!", status: 400),
        Case(name: "CL plus sign", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", status: 400),
        Case(name: "CL negative", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400),
        Case(name: "CL hex", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", status: 400),
        Case(name: "CL underscore", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1_0\r\n\r\n", status: 400),
        Case(name: "CL inner space", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 3\r\n\r\n", status: 400),
        Case(name: "CL letters", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", status: 400),
        Case(name: "CL empty", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", status: 400),
        Case(name: "TE chunked not last", bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, deflate\r\n\r\n", status: 400),
        Case(name: "TE in HTTP/1.0", bytes: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
        Case(name: "obs-fold", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded\r\n\r\n", status: 400),
        Case(name: "space before colon", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 4\r\n\r\nabcd", status: 400),
        Case(name: "space before first header", bytes: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400),
        Case(name: "bare CR in value", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", status: 400),
        Case(name: "chunk size hex prefix", bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", status: 400),
        Case(name: "chunk size plus", bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", status: 400),
        Case(name: "chunk size overflow", bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n", status: 400),
        Case(name: "chunk data not ended by CRLF", bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n", status: 400),
        Case(name: "missing Host", bytes: "GET / HTTP/1.1\r\n\r\n", status: 400),
        Case(name: "two Hosts", bytes: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        Case(name: "header without colon", bytes: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400),
        Case(name: "NUL in value", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", status: 400),
        Case(name: "lowercase version", bytes: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
        Case(name: "unknown transfer coding", bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
        Case(name: "HTTP/2.0 request line", bytes: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
        Case(name: "unknown expectation", bytes: "POST / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx", status: 417),
    ]

    @Test(arguments: cases)
    func malformedRequestIsRefusedAndClosed(_ testCase: Case) throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(testCase.bytes)
            let response = try client.readResponse()
            #expect(response.status == testCase.status, "\(testCase.name)")
            #expect(response.closes, "\(testCase.name): Connection: close expected")
            #expect(client.isClosedByServer(), "\(testCase.name): connection should be closed")
        }
    }

    /// Unusual but valid requests are answered and the connection stays open.
    static let keptCases: [Case] = [
        Case(name: "absolute-form target", bytes: "GET http://a/abs?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", status: 200),
        Case(name: "whitespace around value", bytes: "GET /ows HTTP/1.1\r\nHost:   a  \r\nX-A:\tv\t\r\n\r\n", status: 200),
        Case(name: "repeated ordinary field", bytes: "GET /rep HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-A: 2\r\n\r\n", status: 200),
        Case(name: "explicit zero length", bytes: "GET /zero HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", status: 200),
        Case(name: "percent-encoded path", bytes: "GET /a%20b HTTP/1.1\r\nHost: a\r\n\r\n", status: 200),
    ]

    @Test(arguments: keptCases)
    func unusualValidRequestKeepsTheConnection(_ testCase: Case) throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send(testCase.bytes)
            let response = try client.readResponse()
            #expect(response.status == testCase.status, "\(testCase.name)")
            #expect(!response.closes, "\(testCase.name)")
            try client.send(get("/next"))
            #expect(try client.readResponse().header("X-Path") == "/next", "\(testCase.name)")
        }
    }

    @Test func pathIsPercentDecodedAndAbsoluteFormReduced() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            try client.send("GET http://a/abs%2Fx?q=1 HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().header("X-Path") == "/abs/x")
            try client.send("GET /a%20b HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().header("X-Path") == "/a b")
        }
    }

    /// After an error the server still serves other connections.
    @Test func errorDoesNotDisturbOtherConnections() throws {
        try withServer { server in
            let good = try TestClient(port: server.port)
            let bad = try TestClient(port: server.port)
            try bad.send("GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n")
            #expect(try bad.readResponse().status == 400)
            try good.send(get("/fine"))
            let response = try good.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Path") == "/fine")
            #expect(server.statistics.parseErrors == 1)
        }
    }

    /// The errorResponder shapes every server-made error body, and is told the request's path
    /// once the request line was read (nil before), so a multi-protocol handler can pick a shape.
    @Test func errorResponderShapesServerErrors() throws {
        let configuration = testConfiguration { configuration in
            configuration.parserLimits.maxBodyLength = 16
            configuration.errorResponder = { status, code, message, path in
                HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]),
                             body: Array("{\"code\":\"\(code)\",\"status\":\(status),\"path\":\"\(path ?? "none")\"}".utf8))
            }
        }
        try withServer(configuration) { server in
            let missingHost = try TestClient(port: server.port)
            try missingHost.send("GET /a/b HTTP/1.1\r\n\r\n")
            let first = try missingHost.readResponse()
            #expect(first.status == 400)
            #expect(first.header("Content-Type") == "application/json")
            #expect(first.bodyText == "{\"code\":\"bad_request\",\"status\":400,\"path\":\"/a/b\"}")

            let tooLarge = try TestClient(port: server.port)
            try tooLarge.send("POST /v2/models/m/infer?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n")
            let second = try tooLarge.readResponse()
            #expect(second.status == 413)
            #expect(second.bodyText == "{\"code\":\"payload_too_large\",\"status\":413,\"path\":\"/v2/models/m/infer\"}")

            let badLine = try TestClient(port: server.port)
            try badLine.send("GET\r\n\r\n")
            let third = try badLine.readResponse()
            #expect(third.status == 400)
            #expect(third.bodyText == "{\"code\":\"bad_request\",\"status\":400,\"path\":\"none\"}")
        }
    }
}
