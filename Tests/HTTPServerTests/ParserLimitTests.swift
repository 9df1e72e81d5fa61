import Testing
@testable import HTTPServer

/// Every limit at exactly its bound (accepted) and one past it (refused), fed whole and byte by
/// byte; and the refusal comes before the end of the oversized part arrives.
@Suite struct ParserLimitTests {
    static let limits = HTTPParserLimits(
        maxRequestLineLength: 64, maxHeaderSectionLength: 128, maxHeaderCount: 5, maxBodyLength: 100,
        maxChunkLineLength: 32)

    /// A GET whose request line is exactly `length` bytes long.
    static func getWithLineLength(_ length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /\(String(repeating: "a", count: length - fixed)) HTTP/1.1\r\nHost: h\r\n\r\n"
    }

    /// A GET whose header section (field lines with CRLFs, not the final CRLF) is `length` bytes.
    static func getWithSectionLength(_ length: Int) -> String {
        let hostLine = "Host: h\r\n"
        let padding = length - hostLine.utf8.count - "X: \r\n".utf8.count
        return "GET / HTTP/1.1\r\n\(hostLine)X: \(String(repeating: "v", count: padding))\r\n\r\n"
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let limits = HTTPParserLimits()
        #expect(limits.maxRequestLineLength == 8 * 1024)
        #expect(limits.maxHeaderSectionLength == 16 * 1024)
        #expect(limits.maxHeaderCount == 100)
        #expect(limits.maxBodyLength == 64 * 1024 * 1024)
        #expect(limits.maxChunkLineLength == 4 * 1024)
    }

    @Test func nonPositiveLimitsFallBackToDefaults() {
        let normalized = HTTPParserLimits(
            maxRequestLineLength: 0, maxHeaderSectionLength: -1, maxHeaderCount: 0, maxBodyLength: -5,
            maxChunkLineLength: 0
        ).normalized
        #expect(normalized == HTTPParserLimits())
        #expect(HTTPParserLimits(maxBodyLength: 0).normalized.maxBodyLength == 0)
    }

    @Test func requestLineAtTheLimitIsAcceptedOnePastIs414() {
        #expect(onlyRequest(Self.getWithLineLength(64), limits: Self.limits) != nil)
        #expect(refusal(Self.getWithLineLength(65), limits: Self.limits) == 414)
    }

    @Test func requestLineIs414BeforeItsEndArrives() {
        let long = Array("GET /\(String(repeating: "a", count: 100))".utf8)
        var (events, parser) = feed(Array(long[..<64]), limits: Self.limits)
        #expect(events.isEmpty && !parser.hasFailed)
        parser.append(Array("\r".utf8))  // 64 bytes and a CR: the CR may start the CRLF
        #expect(parser.next().isNeedMoreData)
        (events, parser) = feed(Array(long[..<65]), limits: Self.limits)
        #expect(events == [.error(414)])
    }

    @Test func headerSectionAtTheLimitIsAcceptedOnePastIs431() {
        #expect(onlyRequest(Self.getWithSectionLength(128), limits: Self.limits) != nil)
        #expect(refusal(Self.getWithSectionLength(129), limits: Self.limits) == 431)
    }

    @Test func headerSectionIs431BeforeItsEndArrives() {
        let text = Self.getWithSectionLength(200)
        let cut = "GET / HTTP/1.1\r\n".utf8.count + 127  // the section can no longer fit in 128
        let (events, _) = feed(Array(Array(text.utf8)[..<cut]), limits: Self.limits)
        #expect(events == [.error(431)])
        let (fewer, parser) = feed(Array(Array(text.utf8)[..<(cut - 1)]), limits: Self.limits)
        #expect(fewer.isEmpty && !parser.hasFailed)
    }

    @Test func headerCountAtTheLimitIsAcceptedOnePastIs431() {
        let fields = (1...4).map { "F\($0): v\r\n" }.joined()
        #expect(onlyRequest("GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n", limits: Self.limits)?.headers.count == 5)
        #expect(refusal("GET / HTTP/1.1\r\nHost: h\r\n\(fields)F5: v\r\n\r\n", limits: Self.limits) == 431)
    }

    @Test func contentLengthAtTheLimitIsAcceptedOnePastIs413BeforeTheBody() {
        let body = String(repeating: "b", count: 100)
        #expect(onlyRequest("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n\(body)", limits: Self.limits)?
            .body.count == 100)
        // No body bytes are sent: the refusal cannot wait for them.
        #expect(refusal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n", limits: Self.limits) == 413)
    }

    @Test func chunkedTotalAtTheLimitIsAcceptedOnePastIs413BeforeTheData() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let fifty = String(repeating: "c", count: 50)
        #expect(onlyRequest(head + "32\r\n\(fifty)\r\n32\r\n\(fifty)\r\n0\r\n\r\n", limits: Self.limits)?.body.count == 100)
        #expect(refusal(head + "32\r\n\(fifty)\r\n33\r\n", limits: Self.limits) == 413)
        #expect(refusal(head + "65\r\n", limits: Self.limits) == 413)
    }

    @Test func zeroBodyLimitRefusesEveryBody() {
        let limits = HTTPParserLimits(maxBodyLength: 0)
        #expect(onlyRequest("GET / HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits) != nil)
        #expect(refusal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx", limits: limits) == 413)
        #expect(onlyRequest("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", limits: limits) != nil)
    }

    @Test func chunkLineAtTheLimitIsAcceptedOnePastIs400() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let atLimit = "1;x=" + String(repeating: "e", count: 28)  // 32 bytes
        #expect(onlyRequest(head + "\(atLimit)\r\nz\r\n0\r\n\r\n", limits: Self.limits)?.body == [UInt8(ascii: "z")])
        #expect(refusal(head + "\(atLimit)e\r\nz\r\n0\r\n\r\n", limits: Self.limits) == 400)
        #expect(refusal(head + "\(atLimit)e", limits: Self.limits) == 400)
    }

    @Test func trailerSectionHasTheHeaderLimits() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let fiveTrailers = (1...5).map { "T\($0): v\r\n" }.joined()
        #expect(onlyRequest(head + fiveTrailers + "\r\n", limits: Self.limits) != nil)
        #expect(refusal(head + fiveTrailers + "T6: v\r\n\r\n", limits: Self.limits) == 431)
        #expect(refusal(head + "T: \(String(repeating: "v", count: 130))\r\n\r\n", limits: Self.limits) == 431)
    }

    @Test func limitsApplyToEachPipelinedRequestAfresh() {
        let one = Self.getWithSectionLength(128)
        let requests = parse(one + one + one, limits: Self.limits).compactMap(\.request)
        #expect(requests.count == 3)
    }

    @Test func bufferDoesNotGrowAcrossKeepAliveRequests() {
        let one = Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc".utf8)
        var parser = HTTPRequestParser()
        var largest = 0
        for index in 0..<5_000 {
            // Cut each request differently so partial heads stay buffered between appends.
            let cut = index % one.count
            parser.append(Array(one[..<cut]))
            _ = parser.next()
            parser.append(Array(one[cut...]))
            while case let event = parser.next(), !event.isNeedMoreData {
                if case .error(let error) = event { Issue.record("\(error)"); return }
            }
            largest = max(largest, parser.buffer.count)
        }
        #expect(parser.isIdle)
        #expect(largest <= 4096 + 2 * one.count)
    }

    @Test func bufferedByteCountCountsPipelinedBytes() {
        let one = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        var parser = HTTPRequestParser()
        parser.append(Array((one + one + one).utf8))
        #expect(parser.bufferedByteCount == 3 * one.utf8.count)
        guard case .request = parser.next() else { Issue.record("no request"); return }
        #expect(parser.bufferedByteCount == 2 * one.utf8.count)
    }
}
