import Testing
@testable import HTTPServer

/// Message framing that is valid, keep-alive decisions, and the smuggling shapes that must
/// come out as exactly the requests a strict reader sees.
@Suite struct ParserFramingTests {
    @Test func contentLengthDigitsWithLeadingZerosAndOWS() {
        let request = onlyRequest("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \t007 \r\n\r\nabcdefg")
        #expect(request?.body == Array("abcdefg".utf8))
    }

    @Test func zeroContentLengthHasNoHeadEventAndNoBody() {
        let events = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
        #expect(events.count == 1)
        #expect(events.first?.request?.body == [])
    }

    @Test func emptyChunkedBodyIsAnnouncedThenEmpty() {
        let events = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(events.count == 2)
        #expect(events.last?.request?.body == [])
    }

    @Test func transferCodingNamesAreCaseInsensitive() {
        let request = onlyRequest("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \tChunKed \r\n\r\n1\r\nx\r\n0\r\n\r\n")
        #expect(request?.body == [UInt8(ascii: "x")])
    }

    @Test func headerNamesAreCaseInsensitiveForFraming() {
        #expect(refusal("POST / HTTP/1.1\r\nhOsT: h\r\ncontent-LENGTH: 1\r\nTRANSFER-encoding: chunked\r\n\r\n0\r\n\r\n") == 400)
        #expect(onlyRequest("POST / HTTP/1.1\r\nhost: h\r\nCONTENT-LENGTH: 2\r\n\r\nok")?.body.count == 2)
    }

    @Test func aRequestInsideAContentLengthBodyIsBody() {
        let inner = "GET /admin HTTP/1.1\r\nHost: h\r\n\r\n"
        let request = onlyRequest("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(inner.utf8.count)\r\n\r\n\(inner)")
        #expect(request?.path == "/")
        #expect(request?.body == Array(inner.utf8))
    }

    @Test func bytesAfterAChunkedBodyAreTheNextRequest() {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(parse(text, everySplit: true).compactMap(\.request).map(\.path) == ["/", "/next"])
    }

    @Test func fieldValuesAreTrimmedAndKeptInOrder() throws {
        let request = try #require(onlyRequest("GET / HTTP/1.1\r\nHost:h\r\nA:  x  y \t\r\nB:\r\na: z\r\nC: é\r\n\r\n"))
        #expect(request.headers == ["Host: h", "A: x  y", "B: ", "a: z", "C: é"])
    }

    @Test(arguments: [
        ("HTTP/1.1", "", true), ("HTTP/1.1", "Connection: close\r\n", false),
        ("HTTP/1.1", "Connection: Keep-Alive, CLOSE\r\n", false), ("HTTP/1.1", "Connection: upgrade\r\n", true),
        ("HTTP/1.1", "Connection: foo\r\nConnection: close\r\n", false), ("HTTP/1.1", "Connection: closed\r\n", true),
        ("HTTP/1.0", "", false), ("HTTP/1.0", "Connection: keep-alive\r\n", true),
        ("HTTP/1.0", "Connection: Upgrade , KEEP-ALIVE\r\n", true), ("HTTP/1.0", "Connection: keep-alive, close\r\n", false),
        ("HTTP/1.0", "Connection: keep-alives\r\n", false),
    ])
    func keepAliveFollowsVersionAndConnectionOptions(version: String, fields: String, keepAlive: Bool) {
        let request = onlyRequest("GET / \(version)\r\nHost: h\r\n\(fields)\r\n")
        #expect(request?.keepAlive == keepAlive)
    }

    @Test func requestsBuiltByHandAnswerTheSameQuestions() {
        var request = HTTPRequest(method: "GET", target: "/", path: "/", version: "HTTP/1.0")
        #expect(!request.keepAlive && !request.expectsContinue)
        request.headers.add(name: "connection", value: "keep-alive")
        request.headers.add(name: "EXPECT", value: "100-continue")
        #expect(request.keepAlive && !request.expectsContinue)  // 1.0: the expectation is ignored
        request.version = "HTTP/1.1"
        #expect(request.keepAlive && request.expectsContinue)
    }

    @Test func headEventCarriesWhatTheConnectionNeeds() {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /x?y=1 HTTP/1.0\r\nContent-Length: 3\r\nConnection: keep-alive\r\nExpect: 100-continue\r\n\r\n".utf8))
        guard case .head(let head) = parser.next() else { Issue.record("no head"); return }
        #expect(head.method == "PUT" && head.path == "/x" && head.query.count == 1 && head.version == "HTTP/1.0")
        // RFC 9110 §10.1.1: a 1.0 client's 100-continue is ignored, the body is simply read.
        #expect(head.framing == .contentLength(3) && head.keepAlive && !head.expectsContinue)
        #expect(parser.isReadingBody)
    }
}
