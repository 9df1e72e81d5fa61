import Testing
@testable import HTTPServer

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
