import Testing
@testable import HTTPServer

// MARK: - Harness: feed the same bytes in several ways and compare what comes out

/// A request reduced to comparable values (HTTPRequest holds tuples, which are not Equatable).
struct SeenRequest: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var path: String
    var query: [String]
    var version: String
    var headers: [String]
    var body: [UInt8]
    var keepAlive: Bool
    var expectsContinue: Bool

    init(_ request: HTTPRequest) {
        method = request.method.rawValue
        target = request.target
        path = request.path
        query = request.query.map { "\($0.name)=\($0.value)" }
        version = request.version
        headers = request.headers.map { "\($0.name): \($0.value)" }
        body = request.body
        keepAlive = request.keepAlive
        expectsContinue = request.expectsContinue
    }

    var description: String { "\(method) \(target) [\(body.count) bytes]" }
}

/// One parser event, reduced to comparable values.
enum Seen: Equatable, CustomStringConvertible {
    case head(method: String, path: String, framing: HTTPBodyFraming, expectsContinue: Bool)
    case request(SeenRequest)
    case error(Int)

    var request: SeenRequest? {
        if case .request(let request) = self { return request }
        return nil
    }

    var description: String {
        switch self {
        case .head(let method, let path, let framing, _): return "head(\(method) \(path) \(framing))"
        case .request(let request): return "request(\(request))"
        case .error(let status): return "error(\(status))"
        }
    }
}

/// How bytes reach the parser.
enum Feeding: CustomStringConvertible {
    case whole
    case byteByByte
    /// Two appends, split before the byte at this offset.
    case splitAt(Int)

    var description: String {
        switch self {
        case .whole: return "whole"
        case .byteByByte: return "byte by byte"
        case .splitAt(let offset): return "split at \(offset)"
        }
    }

    func chunks(_ bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .whole: return [bytes]
        case .byteByByte: return bytes.map { [$0] }
        case .splitAt(let offset): return [Array(bytes[..<offset]), Array(bytes[offset...])]
        }
    }
}

/// Feeds `bytes` as `feeding` says, calling `next()` after each append until it needs more data
/// or fails, and returns every event and the parser as left.
func feed(_ bytes: [UInt8], _ feeding: Feeding = .whole, limits: HTTPParserLimits = .init())
    -> (events: [Seen], parser: HTTPRequestParser)
{
    var parser = HTTPRequestParser(limits: limits)
    var events: [Seen] = []
    for chunk in feeding.chunks(bytes) {
        parser.append(chunk)
        drain: while true {
            switch parser.next() {
            case .needMoreData: break drain
            case .head(let head):
                events.append(.head(method: head.method.rawValue, path: head.path, framing: head.framing,
                                    expectsContinue: head.expectsContinue))
            case .request(let request): events.append(.request(SeenRequest(request)))
            case .error(let error):
                events.append(.error(error.status.code))
                return (events, parser)
            }
        }
    }
    return (events, parser)
}

/// The events for `text`, after checking that whole and byte-by-byte feeding agree (and every
/// split position too when `everySplit`): framing may never depend on how TCP cut the bytes.
func parse(_ text: String, limits: HTTPParserLimits = .init(), everySplit: Bool = false,
           sourceLocation: SourceLocation = #_sourceLocation) -> [Seen]
{
    parse(Array(text.utf8), limits: limits, everySplit: everySplit, sourceLocation: sourceLocation)
}

func parse(_ bytes: [UInt8], limits: HTTPParserLimits = .init(), everySplit: Bool = false,
           sourceLocation: SourceLocation = #_sourceLocation) -> [Seen]
{
    let whole = feed(bytes, .whole, limits: limits).events
    var feedings: [Feeding] = bytes.count <= 20_000 ? [.byteByByte] : [.splitAt(bytes.count / 2)]
    if everySplit { feedings += (1..<max(bytes.count, 1)).map { .splitAt($0) } }
    for feeding in feedings {
        let other = feed(bytes, feeding, limits: limits).events
        #expect(other == whole, "fed \(feeding)", sourceLocation: sourceLocation)
    }
    return whole
}

/// The status `text` is refused with, after checking that no request was accepted before it.
func refusal(_ text: String, limits: HTTPParserLimits = .init(),
             sourceLocation: SourceLocation = #_sourceLocation) -> Int?
{
    let events = parse(text, limits: limits, sourceLocation: sourceLocation)
    #expect(!events.contains { $0.request != nil }, "accepted \(events)", sourceLocation: sourceLocation)
    guard case .error(let status)? = events.last else { return nil }
    return status
}

/// The only request `text` yields, checking that it yields exactly one and nothing else fails.
func onlyRequest(_ text: String, limits: HTTPParserLimits = .init(), everySplit: Bool = false,
                 sourceLocation: SourceLocation = #_sourceLocation) -> SeenRequest?
{
    let requests = parse(text, limits: limits, everySplit: everySplit, sourceLocation: sourceLocation)
        .compactMap { event -> SeenRequest? in
            if case .error(let status) = event { Issue.record("refused with \(status)", sourceLocation: sourceLocation) }
            return event.request
        }
    #expect(requests.count == 1, "\(requests)", sourceLocation: sourceLocation)
    return requests.first
}

// MARK: - The harness on valid traffic: feeding, pipelining, state properties

@Suite struct ParserHarnessTests {
    @Test func simpleGetIsTheSameHoweverItIsSplit() throws {
        let request = try #require(onlyRequest("GET /a/b?x=1 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n", everySplit: true))
        #expect(request.method == "GET")
        #expect(request.path == "/a/b")
        #expect(request.query == ["x=1"])
        #expect(request.version == "HTTP/1.1")
        #expect(request.headers == ["Host: example", "Accept: */*"])
        #expect(request.body.isEmpty)
    }

    @Test func contentLengthPostIsTheSameHoweverItIsSplit() {
        let events = parse("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", everySplit: true)
        #expect(events.count == 2)
        #expect(events.first == .head(method: "POST", path: "/p", framing: .contentLength(5), expectsContinue: false))
        #expect(events.last?.request?.body == Array("hello".utf8))
    }

    @Test func chunkedPostIsTheSameHoweverItIsSplit() {
        let text = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=\"v;a\\\"l\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
        let events = parse(text, everySplit: true)
        #expect(events.first == .head(method: "POST", path: "/c", framing: .chunked, expectsContinue: false))
        #expect(events.last?.request?.body == Array("hello world".utf8))
        #expect(events.last?.request?.headers.contains("X-Trailer: t") == false)
    }

    @Test func pipelinedRequestsInOneBufferComeOutInOrder() {
        let text = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
            + "GET /4 HTTP/1.0\r\n\r\n"
        let requests = parse(text, everySplit: true).compactMap(\.request)
        #expect(requests.map(\.path) == ["/1", "/2", "/3", "/4"])
        #expect(requests.map(\.body) == [[], Array("abc".utf8), Array("de".utf8), []])
        #expect(requests.map(\.keepAlive) == [true, true, true, false])
    }

    @Test func stateTracksIdleHeadAndBody() {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle && !parser.isReadingBody && parser.bufferedByteCount == 0)
        parser.append(Array("POST / HTTP/1.1\r\nHost: h\r\n".utf8))
        #expect(parser.next().isNeedMoreData)
        #expect(!parser.isIdle && !parser.isReadingBody)
        parser.append(Array("Content-Length: 4\r\n\r\nab".utf8))
        guard case .head = parser.next() else { Issue.record("no head"); return }
        #expect(parser.next().isNeedMoreData)
        #expect(parser.isReadingBody && !parser.isIdle)
        parser.append(Array("cdGET / HTTP/1.1\r\n".utf8))
        guard case .request(let request) = parser.next() else { Issue.record("no request"); return }
        #expect(request.body == Array("abcd".utf8))
        #expect(parser.bufferedByteCount == "GET / HTTP/1.1\r\n".utf8.count)
        #expect(parser.next().isNeedMoreData)
        #expect(!parser.isIdle && !parser.isReadingBody)
        parser.append(Array("Host: h\r\n\r\n".utf8))
        guard case .request = parser.next() else { Issue.record("no second request"); return }
        #expect(parser.isIdle && parser.bufferedByteCount == 0)
    }

    @Test func errorIsTerminalAndReleasesBytes() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .error(let error) = parser.next() else { Issue.record("accepted"); return }
        #expect(error.status == 400)
        #expect(parser.hasFailed && parser.bufferedByteCount == 0)
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .error(let again) = parser.next() else { Issue.record("recovered after an error"); return }
        #expect(again == error)
    }

    @Test func largeBodiesArriveWholeInPiecesOrAtOnce() {
        let body = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let head = Array("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        #expect(parse(head + body).last?.request?.body == body)
        var chunked = Array("POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for start in stride(from: 0, to: body.count, by: 65_536) {
            let piece = body[start..<min(start + 65_536, body.count)]
            chunked += Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
        }
        chunked += Array("0\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        var received: [UInt8]?
        for start in stride(from: 0, to: chunked.count, by: 1000) {
            parser.append(Array(chunked[start..<min(start + 1000, chunked.count)]))
            while case let event = parser.next(), !event.isNeedMoreData {
                if case .request(let request) = event { received = request.body }
                if case .error(let error) = event { Issue.record("\(error)"); return }
            }
        }
        #expect(received == body)
    }
}

extension HTTPParserEvent {
    var isNeedMoreData: Bool {
        if case .needMoreData = self { return true }
        return false
    }
}
