import Testing
@testable import HTTPServer

/// Response framing in memory: the server, not the handler, decides framing headers.
@Suite struct ResponseEncoderTests {
    func encode(_ response: HTTPResponse, _ adjust: (inout ResponseEncoder.Framing) -> Void = { _ in }) -> String {
        var framing = ResponseEncoder.Framing()
        adjust(&framing)
        var out: [UInt8] = []
        ResponseEncoder.encode(response, framing: framing, date: Array("D".utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func statusLineHeadersAndBody() {
        let text = encode(HTTPResponse(status: 201, headers: HTTPHeaders([("X-A", "1")]), body: Array("hi".utf8)))
        #expect(text == "HTTP/1.1 201 Created\r\nDate: D\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nhi")
    }

    @Test func handlerFramingHeadersAreReplaced() {
        let headers = HTTPHeaders([("Content-Length", "999"), ("Transfer-Encoding", "chunked"), ("Connection", "keep-alive")])
        let text = encode(HTTPResponse(status: 200, headers: headers, body: Array("abc".utf8))) { $0.closeConnection = true }
        #expect(text == "HTTP/1.1 200 OK\r\nDate: D\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
    }

    @Test func headKeepsContentLengthDropsBody() {
        let text = encode(HTTPResponse(status: 200, body: Array("abcdef".utf8))) { $0.isHeadRequest = true }
        #expect(text == "HTTP/1.1 200 OK\r\nDate: D\r\nContent-Length: 6\r\n\r\n")
    }

    @Test func headKeepsAStatedLengthWhenTheBodyWasSkipped() {
        let response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", "42")]))
        #expect(encode(response) { $0.isHeadRequest = true } == "HTTP/1.1 200 OK\r\nDate: D\r\nContent-Length: 42\r\n\r\n")
        #expect(encode(response) == "HTTP/1.1 200 OK\r\nDate: D\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func noContentHasNoLengthOrBody() {
        let text = encode(HTTPResponse(status: 204, body: Array("x".utf8)))
        #expect(text == "HTTP/1.1 204 No Content\r\nDate: D\r\n\r\n")
    }

    @Test func headerInjectionIsDropped() {
        let text = encode(HTTPResponse(status: 200, headers: HTTPHeaders([("X-A", "a\r\nSet-Cookie: x")])))
        #expect(!text.contains("Set-Cookie"))
    }

    @Test func dateIsIMFFixdate() {
        #expect(String(decoding: HTTPDateCache.format(784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
