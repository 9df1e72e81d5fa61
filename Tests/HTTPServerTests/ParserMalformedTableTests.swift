import Testing
@testable import HTTPServer

/// One test per row of shared/design/http-malformed.md, in its order: each hostile request gets
/// the status the RFC asks for, fed whole and byte by byte, and nothing is accepted before it.
@Suite struct ParserMalformedTableTests {
    /// A POST to "/" with Host and `fields` (each ending in CRLF), then `body`.
    static func post(_ fields: String, body: String = "", version: String = "HTTP/1.1") -> String {
        "POST / \(version)\r\nHost: h\r\n\(fields)\r\n\(body)"
    }

    static func chunked(_ body: String) -> String { post("Transfer-Encoding: chunked\r\n", body: body) }

    // Row 1
    @Test func contentLengthWithTransferEncodingIs400() {
        #expect(refusal(Self.post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", body: "0\r\n\r\n")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding: gzip\r\nContent-Length: 5\r\n", body: "hello")) == 400)
    }

    // Row 2
    @Test func differingContentLengthsAre400() {
        #expect(refusal(Self.post("Content-Length: 5\r\nContent-Length: 6\r\n", body: "hello!")) == 400)
        #expect(refusal(Self.post("Content-Length: 0\r\nContent-Length: 5\r\n", body: "hello")) == 400)
    }

    // Row 3
    @Test func identicalContentLengthListIsAcceptedDifferentIs400() {
        #expect(onlyRequest(Self.post("Content-Length: 5, 5\r\n", body: "hello"))?.body == Array("hello".utf8))
        #expect(onlyRequest(Self.post("Content-Length: 5\r\nContent-Length: 5\r\n", body: "hello"))?.body.count == 5)
        #expect(refusal(Self.post("Content-Length: 5, 6\r\n", body: "hello!")) == 400)
        #expect(refusal(Self.post("Content-Length: 5,\r\n", body: "hello")) == 400)
    }

    // Row 4
    @Test(arguments: ["+5", "-1", "0x10", "1_0", "1 3", "abc", "", "5a", "٥", "5.0", " ,5"])
    func contentLengthThatIsNotDigitsIs400(value: String) {
        #expect(refusal(Self.post("Content-Length: \(value)\r\n", body: "hello")) == 400)
    }

    // Row 5
    @Test func contentLengthOverflowIs400() {
        #expect(refusal(Self.post("Content-Length: 1000000000000000000000\r\n")) == 400)
        #expect(refusal(Self.post("Content-Length: 9223372036854775808\r\n")) == 400)
        #expect(refusal(Self.post("Content-Length: 9223372036854775807\r\n")) == 413)
    }

    // Row 6
    @Test func chunkedNotFinalIs400() {
        #expect(refusal(Self.post("Transfer-Encoding: chunked, deflate\r\n", body: "0\r\n\r\n")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", body: "0\r\n\r\n")) == 400)
    }

    // Row 7
    @Test(arguments: ["identity", "xchunked", "chunkedchunked", "gzip", "gzip, chunked", "deflate"])
    func unknownTransferCodingIs501(coding: String) {
        #expect(refusal(Self.post("Transfer-Encoding: \(coding)\r\n", body: "0\r\n\r\n")) == 501)
    }

    @Test(arguments: ["", " ", "chunked,", ", chunked", "chunked;q=1", "\"chunked\""])
    func emptyOrMalformedTransferEncodingIs400(value: String) {
        #expect(refusal(Self.post("Transfer-Encoding: \(value)\r\n", body: "0\r\n\r\n")) == 400)
    }

    // Row 8
    @Test func transferEncodingInHTTP10Is400() {
        #expect(refusal(Self.post("Transfer-Encoding: chunked\r\n", body: "0\r\n\r\n", version: "HTTP/1.0")) == 400)
    }

    // Row 9
    @Test func chunkedTwiceIs400() {
        #expect(refusal(Self.post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding: chunked, chunked\r\n", body: "0\r\n\r\n")) == 400)
    }

    // Row 10
    @Test func obsFoldIs400() {
        #expect(refusal(Self.post("X-Long: a\r\n b\r\n")) == 400)
        #expect(refusal(Self.post("X-Long: a\r\n\tb\r\n")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding: gzip,\r\n chunked\r\n", body: "0\r\n\r\n")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding:\r\n chunked\r\n", body: "0\r\n\r\n")) == 400)
    }

    // Row 11
    @Test func whitespaceBeforeColonIs400() {
        #expect(refusal(Self.post("Content-Length : 4\r\n", body: "abcd")) == 400)
        #expect(refusal(Self.post("Content-Length\t: 4\r\n", body: "abcd")) == 400)
        #expect(refusal(Self.post("Transfer-Encoding : chunked\r\n", body: "0\r\n\r\n")) == 400)
    }

    // Row 12
    @Test func whitespaceBeforeTheFirstHeaderIs400() {
        #expect(refusal("GET / HTTP/1.1\r\n Host: h\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\n\tHost: h\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: h\r\n Content-Length: 3\r\n\r\nabc") == 400)
    }

    // Row 13
    @Test func bareCRIs400() {
        #expect(refusal("GET / HTTP/1.1\rHost: h\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n\r\r\n") == 400)
        #expect(refusal("GET /\r HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    // Row 14: the strict choice
    @Test func bareLFIs400() {
        #expect(refusal("GET / HTTP/1.1\nHost: h\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n\n") == 400)
        #expect(refusal("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(refusal(Self.chunked("5\nhello\r\n0\r\n\r\n")) == 400)
        #expect(refusal(Self.chunked("0\r\n\n")) == 400)
    }

    // Row 15
    @Test(arguments: ["0x5", "+5", "-1", "5_0", " 5", "5 ", "5\t", "g", "", "5 5", "0x0"])
    func malformedChunkSizeIs400(size: String) {
        #expect(refusal(Self.chunked("\(size)\r\nhello\r\n0\r\n\r\n")) == 400)
    }

    // Row 16
    @Test func chunkSizeOverflowIs400() {
        #expect(refusal(Self.chunked("FFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n")) == 400)
        #expect(refusal(Self.chunked("10000000000000000\r\n")) == 400)
        #expect(refusal(Self.chunked("8000000000000000\r\n")) == 400)
        #expect(refusal(Self.chunked("7FFFFFFFFFFFFFFF\r\n")) == 413)
    }

    // Row 17
    @Test func chunkDataNotEndedByCRLFIs400() {
        #expect(refusal(Self.chunked("3\r\nhello\r\n0\r\n\r\n")) == 400)
        #expect(refusal(Self.chunked("5\r\nhelloXX0\r\n\r\n")) == 400)
        #expect(refusal(Self.chunked("5\r\nhello\n0\r\n\r\n")) == 400)
        #expect(refusal(Self.chunked("5\r\nhello\rX0\r\n\r\n")) == 400)
        // Refused at the first wrong byte, without waiting for a second one.
        #expect(feed(Array(Self.chunked("5\r\nhelloX").utf8)).events.last == .error(400))
        #expect(feed(Array(Self.chunked("5\r\nhello\rX").utf8)).events.last == .error(400))
        #expect(feed(Array(Self.chunked("5\r\nhello\r").utf8)).parser.isReadingBody)
        // A missing last-chunk: the next request's line is read as a chunk size.
        #expect(refusal(Self.chunked("5\r\nhello\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")) == 400)
    }

    // Row 18
    @Test(arguments: [";", "; ", ";=v", ";a=", ";a=\"x", ";a=\"x\ty\u{1}\"", ";a\u{1}", ";a=b\u{0}", ";a=\"x\\\u{7f}\"", ";a;",
                      ";a=\"b\"c", ";a=b c"])
    func malformedChunkExtensionIs400(extensions: String) {
        #expect(refusal(Self.chunked("5\(extensions)\r\nhello\r\n0\r\n\r\n")) == 400)
    }

    @Test func bareCRInChunkExtensionIs400() {
        #expect(refusal(Self.chunked("5;a=b\rc\r\nhello\r\n0\r\n\r\n")) == 400)
        #expect(refusal(Self.chunked("5;a=\"b\rc\"\r\nhello\r\n0\r\n\r\n")) == 400)
    }

    // Row 19
    @Test func missingOrRepeatedHostIs400() {
        #expect(refusal("GET / HTTP/1.1\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n") == 400)
        #expect(onlyRequest("GET / HTTP/1.0\r\n\r\n") != nil)
    }

    // Row 20
    @Test(arguments: [": empty-name", "Bad Name: x", "Bad\"Name: x", "No-Colon", "Näme: x", "X: a\u{0}b", "X: a\u{7f}",
                      "X: \u{1b}[31m", "(x): y", "X/Y: z"])
    func badFieldLineIs400(line: String) {
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n\(line)\r\n\r\n") == 400)
    }

    @Test func nulInTargetIs400() {
        #expect(refusal("GET /a\u{0}b HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(refusal("GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    // Bad version
    @Test(arguments: ["HTTP/1.01", "http/1.1", "HTTP/1", "HTTP/1.1 ", "HTTP/11", "HTTP/1.x", "HTTP /1.1", "HTTPS/1.1", "HTTP/1.1\t"])
    func malformedVersionIs400(version: String) {
        #expect(refusal("GET / \(version)\r\nHost: h\r\n\r\n") == 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"])
    func wellFormedUnsupportedVersionIs505(version: String) {
        #expect(refusal("GET / \(version)\r\nHost: h\r\n\r\n") == 505)
    }

    // Oversized header or target
    @Test func oversizedTargetIs414AndOversizedHeaderIs431() {
        let path = "/" + String(repeating: "a", count: 9000)
        #expect(refusal("GET \(path) HTTP/1.1\r\nHost: h\r\n\r\n") == 414)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 17_000))\r\n\r\n") == 431)
    }

    // Body shorter than Content-Length, then silence: the connection's timeout decides.
    @Test func shortBodyWaitsForMoreBytes() {
        let (events, parser) = feed(Array(Self.post("Content-Length: 10\r\n", body: "abc").utf8))
        #expect(events == [.head(method: "POST", path: "/", framing: .contentLength(10), expectsContinue: false)])
        #expect(parser.isReadingBody && !parser.isIdle && !parser.hasFailed)
    }

    // Expect
    @Test func expectContinueIsAnnouncedBeforeTheBody() {
        var parser = HTTPRequestParser()
        parser.append(Array(Self.post("Expect: 100-continue\r\nContent-Length: 2\r\n").utf8))
        guard case .head(let head) = parser.next() else { Issue.record("no head"); return }
        #expect(head.expectsContinue)
        #expect(parser.next().isNeedMoreData)
        parser.append(Array("ok".utf8))
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.expectsContinue && request.body == Array("ok".utf8))
    }

    @Test func expectContinueWithATooLargeBodyIs413AtOnce() {
        let limits = HTTPParserLimits(maxBodyLength: 100)
        #expect(refusal(Self.post("Expect: 100-continue\r\nContent-Length: 101\r\n"), limits: limits) == 413)
    }

    @Test(arguments: ["200-ok", "100-continue, foo", "", "100-continue=1"])
    func unknownExpectationIs417(value: String) {
        #expect(refusal(Self.post("Expect: \(value)\r\nContent-Length: 0\r\n")) == 417)
    }

    @Test func expectationIsCaseInsensitive() {
        #expect(onlyRequest(Self.post("Expect: 100-Continue\r\nContent-Length: 1\r\n", body: "x"))?.expectsContinue == true)
    }
}
