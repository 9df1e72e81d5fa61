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

/// The chunked coding: sizes, extensions and trailers that are valid, fed every way.
@Suite struct ParserChunkedTests {
    static func chunked(_ body: String, fields: String = "") -> String {
        "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\(fields)\r\n\(body)"
    }

    @Test func sizesAreHexInEitherCaseWithLeadingZeros() {
        let body = String(repeating: "x", count: 26)
        let request = onlyRequest(Self.chunked("000a\r\n\(body.prefix(10))\r\n0A\r\n\(body.prefix(10))\r\n6\r\n\(body.prefix(6))\r\n000\r\n\r\n"))
        #expect(request?.body.count == 26)
    }

    @Test(arguments: [
        ";a", ";a=b", ";a=\"\"", ";a=\"q \\\" \\\\ ;x\"", " ;a", "\t;a", "; a", ";a =b", ";a= b", ";a = \"c\"",
        ";a;b=c;d=\"e\"", ";a=\"\u{80}\u{ff}\"", ";!#$%&'*+-.^_`|~=x",
    ])
    func validExtensionsAreIgnored(extensions: String) {
        let request = onlyRequest(Self.chunked("5\(extensions)\r\nhello\r\n0\(extensions)\r\n\r\n"))
        #expect(request?.body == Array("hello".utf8))
    }

    @Test func extensionsAndTrailersSurviveEverySplit() {
        let text = Self.chunked("3;n=\"v\"\r\nabc\r\n2;m\r\nde\r\n0\r\nT1: x\r\nT2:y\r\n\r\n")
        let requests = parse(text, everySplit: true).compactMap(\.request)
        #expect(requests.map(\.body) == [Array("abcde".utf8)])
    }

    @Test func trailersAreDroppedNotMerged() throws {
        let request = try #require(onlyRequest(Self.chunked("1\r\nz\r\n0\r\nContent-Length: 99\r\nHost: other\r\n\r\n")))
        #expect(request.headers == ["Host: h", "Transfer-Encoding: chunked"])
        #expect(request.body == [UInt8(ascii: "z")])
    }

    @Test(arguments: [" T: x", "T : x", "T\u{0}: x", "No colon", "T: a\u{0}b", "T: a\rb", ": x"])
    func malformedTrailerIs400(line: String) {
        #expect(refusal(Self.chunked("1\r\nz\r\n0\r\n\(line)\r\n\r\n")) == 400)
    }

    @Test func bareLFInTrailersIs400() {
        #expect(refusal(Self.chunked("1\r\nz\r\n0\r\nT: x\n\r\n")) == 400)
    }

    @Test func chunkDataMayHoldAnyByte() {
        var bytes = Array(Self.chunked("").utf8)
        let data: [UInt8] = [0, 13, 10, 13, 10, 255, 48, 13]
        bytes += Array("8\r\n".utf8) + data + Array("\r\n0\r\n\r\n".utf8)
        #expect(parse(bytes, everySplit: true).last?.request?.body == data)
    }

    @Test func manySmallChunks() {
        let body = (0..<2000).map { _ in "1\r\nq\r\n" }.joined()
        #expect(onlyRequest(Self.chunked(body + "0\r\n\r\n"))?.body.count == 2000)
    }

    @Test func incompleteChunkedBodyWaits() {
        for cut in ["5", "5\r", "5\r\nhel", "5\r\nhello", "5\r\nhello\r", "5\r\nhello\r\n0\r\n", "5\r\nhello\r\n0\r\nT: v\r\n"] {
            let (events, parser) = feed(Array(Self.chunked(cut).utf8))
            #expect(events.count == 1, "\(cut)")
            #expect(parser.isReadingBody && !parser.hasFailed, "\(cut)")
        }
    }
}
