/// libFuzzer entry for the request parser, compiled into the parser's own module by
/// scripts/fuzz-parser.sh (no SwiftPM), so internal names are visible.
///
/// Each input is parsed under two limit sets (the defaults, and tiny limits that make every
/// 413/414/431 path reachable with short inputs), fed whole and then cut at pseudo-random
/// points derived from the input itself (so a crash reproduces from its input file alone).
/// A broken invariant traps, which libFuzzer reports as a crash with the input saved:
/// - the same bytes give the same events however they are split;
/// - nothing is accepted after an error, and the error state is terminal;
/// - every accepted request is one a strict reader would frame the same way: its body length is
///   the Content-Length or what its head announced, it never carries both framings, its version,
///   method and field names are well-formed and Host appears as the RFC requires.
@_cdecl("LLVMFuzzerTestOneInput")
public func httpParserFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let tiny = HTTPParserLimits(
        maxRequestLineLength: 40, maxHeaderSectionLength: 96, maxHeaderCount: 4, maxBodyLength: 64,
        maxChunkLineLength: 24)
    for limits in [HTTPParserLimits(), tiny] {
        let whole = FuzzRun(bytes: bytes, cuts: [], limits: limits)
        var generator = SplitMix(seed: fnv1a(bytes) ^ UInt64(limits.maxBodyLength))
        for _ in 0..<3 where bytes.count > 1 {
            let cutCount = Int(generator.next() % 8) + 1
            let cuts = (0..<cutCount).map { _ in Int(generator.next() % UInt64(bytes.count - 1)) + 1 }
            let split = FuzzRun(bytes: bytes, cuts: cuts.sorted(), limits: limits)
            check(split.events == whole.events, "split feeding changed the events")
        }
        let dripped = FuzzRun(bytes: bytes, cuts: bytes.count > 1 ? Array(1..<bytes.count) : [], limits: limits)
        check(dripped.events == whole.events, "byte-by-byte feeding changed the events")
        // As the server reads: a Content-Length body gets its final buffer once its head is
        // out, and bytes that arrive while it has room are written straight into it.
        var inPlaceGenerator = SplitMix(seed: fnv1a(bytes) ^ 0x5bd1e995)
        let inPlaceCuts = bytes.count > 1
            ? (0..<8).map { _ in Int(inPlaceGenerator.next() % UInt64(bytes.count - 1)) + 1 }.sorted() : []
        let inPlace = FuzzRun(bytes: bytes, cuts: inPlaceCuts, limits: limits, readsBodiesInPlace: true)
        check(inPlace.events == whole.events, "reading bodies in place changed the events")
        checkRoundTrip(whole.requests, maxBodyLength: limits.maxBodyLength)
    }
    return 0
}

/// One parse of the input cut at `cuts`, with every event checked as it comes.
struct FuzzRun {
    var events: [String] = []
    var requests: [HTTPRequest] = []

    init(bytes: [UInt8], cuts: [Int], limits: HTTPParserLimits, readsBodiesInPlace: Bool = false) {
        var parser = HTTPRequestParser(limits: limits)
        var announced: HTTPBodyFraming?
        var failed = false
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            var piece = bytes[start..<end]
            let room = parser.directBodyRoom
            if readsBodiesInPlace && room > 0 && !piece.isEmpty {
                let take = min(room, piece.count)
                parser.readBodyDirectly { storage in
                    check(storage.count == room, "the room offered is not the body's rest")
                    piece.prefix(take).withUnsafeBytes { storage.copyMemory(from: $0) }
                    return take
                }
                piece = piece.dropFirst(take)
            }
            if !piece.isEmpty { parser.append(Array(piece)) }
            start = end
            check(parser.bufferedByteCount <= bytes.count, "holds more bytes than it was given")
            drain: while true {
                let event = parser.next()
                if failed {
                    guard case .error = event else { fatalError("an event after an error: \(event)") }
                    check(parser.hasFailed && parser.bufferedByteCount == 0, "error state not terminal")
                    break drain
                }
                switch event {
                case .needMoreData:
                    break drain
                case .head(let head):
                    check(announced == nil, "two heads without a request")
                    check(head.framing != .none, "a head event for a request without a body")
                    checkHead(method: head.method, version: head.version, headers: head.headers)
                    announced = head.framing
                    events.append("H \(head.method) \(head.target) \(head.framing)")
                    if readsBodiesInPlace, case .contentLength(let length) = head.framing {
                        parser.reserveBody(length)
                        check(parser.announcedBodyLength == length, "the reserved body changed its length")
                    }
                case .request(let request):
                    checkHead(method: request.method, version: request.version, headers: request.headers)
                    checkBody(request, announced: announced, limits: limits)
                    announced = nil
                    requests.append(request)
                    events.append(describe(request))
                case .error(let error):
                    check([400, 413, 414, 417, 431, 501, 505].contains(error.status), "unexpected status")
                    failed = true
                    events.append("E \(error.status) \(error.reason)")
                }
            }
        }
    }
}

/// The accepted requests, written back out canonically and back to back, parse to the same
/// requests: the parser's framing is self-consistent, so no accepted request can be re-read as
/// a different sequence of requests by the same rules.
func checkRoundTrip(_ requests: [HTTPRequest], maxBodyLength: Int) {
    guard !requests.isEmpty else { return }
    var bytes: [UInt8] = []
    for request in requests {
        bytes += Array("\(request.method) \(request.target) \(request.version)\r\n".utf8)
        for field in request.headers { bytes += Array("\(field.name): \(field.value)\r\n".utf8) }
        bytes += [13, 10]
        if request.headers["transfer-encoding"] != nil {
            if !request.body.isEmpty {
                bytes += Array(String(request.body.count, radix: 16).utf8) + [13, 10] + request.body + [13, 10]
            }
            bytes += Array("0\r\n\r\n".utf8)
        } else {
            bytes += request.body
        }
    }
    let again = FuzzRun(bytes: bytes, cuts: [], limits: HTTPParserLimits(maxBodyLength: maxBodyLength))
    check(again.events.filter { $0.hasPrefix("R ") } == requests.map(describe), "round trip changed the requests")
    check(again.events.allSatisfy { !$0.hasPrefix("E ") }, "round trip refused an accepted request")
}

/// What every accepted head satisfies, whatever the bytes were.
func checkHead(method: HTTPMethod, version: String, headers: HTTPHeaders) {
    check(!method.rawValue.isEmpty && method.rawValue.utf8.allSatisfy(HTTPByteClass.isToken), "accepted a non-token method")
    check(version == "HTTP/1.1" || version == "HTTP/1.0", "accepted version \(version)")
    for field in headers {
        check(!field.name.isEmpty && field.name.utf8.allSatisfy(HTTPByteClass.isToken), "accepted a bad field name")
        check(!field.value.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }, "accepted CR, LF or NUL in a value")
    }
    let hosts = headers.values(for: "host").count
    check(hosts <= 1 && (hosts == 1 || version == "HTTP/1.0"), "accepted without exactly one Host")
    let hasTE = !headers.values(for: "transfer-encoding").isEmpty
    let hasCL = !headers.values(for: "content-length").isEmpty
    check(!(hasTE && hasCL), "accepted both Transfer-Encoding and Content-Length")
    check(!hasTE || version == "HTTP/1.1", "accepted Transfer-Encoding in HTTP/1.0")
}

/// An accepted body is exactly what the head framed, and within the limit.
func checkBody(_ request: HTTPRequest, announced: HTTPBodyFraming?, limits: HTTPParserLimits) {
    check(request.body.count <= limits.maxBodyLength, "accepted a body over the limit")
    let contentLengths = request.headers.values(for: "content-length")
    if let first = contentLengths.first {
        let digits = first.utf8.prefix { $0 >= 0x30 && $0 <= 0x39 }
        check(HTTPFraming.parseDecimal(digits) == request.body.count, "body length differs from Content-Length")
    }
    switch announced {
    case nil:
        // No head event: no body, and any Content-Length was zero ("0", "00", "0, 0").
        let onlyZeros = contentLengths.allSatisfy { !$0.utf8.contains { $0 >= 0x31 && $0 <= 0x39 } }
        check(request.body.isEmpty && onlyZeros, "a body without a head event")
    case .contentLength(let length)?: check(request.body.count == length, "body length differs from the head")
    case .chunked?: check(contentLengths.isEmpty, "chunked with a Content-Length")
    case HTTPBodyFraming.none?: check(false, "a head event announced no body")
    }
}

func describe(_ request: HTTPRequest) -> String {
    let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    let headers = request.headers.map { "\($0.name):\($0.value)" }.joined(separator: "|")
    return "R \(request.method) \(request.target) \(request.path) \(query) \(request.version) \(headers) "
        + "\(request.body.count):\(fnv1a(request.body)) \(request.keepAlive) \(request.expectsContinue)"
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

/// A small deterministic generator for the split points.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
