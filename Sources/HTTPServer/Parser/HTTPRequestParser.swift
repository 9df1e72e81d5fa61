/// The HTTP/1.1 request parser (RFC 9112): a value type fed bytes, with no sockets, so every
/// rule is testable in memory and the fuzzer can drive it directly.
///
/// How a connection drives it:
/// ```
/// parser.append(bytesJustRead)                 // UnsafeRawBufferPointer
/// loop: switch parser.next() {
///   case .needMoreData: read more (stop reading while `bufferedByteCount` is past your bound)
///   case .head(let head): if head.expectsContinue { write "100 Continue" }   // body follows
///   case .request(let request): fill remoteAddress, handle, write; close unless request.keepAlive
///   case .error(let error): write error.status with Connection: close, then close
/// }
/// ```
/// Timeouts: `isIdle` (nothing of a request held: keep-alive idle timeout), otherwise a head is
/// being read until `isReadingBody` (header timeout, then body-progress timeout).
///
/// Goals, in order: never accept bytes that another conforming parser could frame differently
/// (smuggling); never crash or hold unbounded memory on any input; give the status the RFC
/// asks for; be fast. Bare LF line endings are refused (400, the strict choice of RFC 9112
/// §2.2); up to 16 empty lines before a request line are skipped (§2.2 SHOULD ignore one).
public struct HTTPRequestParser: Sendable {
    /// Where in a request the next byte belongs.
    enum Phase {
        case requestLine, headerLines, fixedBody, chunkSize, chunkData, chunkDataEnd, trailerLines, failed
    }

    /// Empty lines skipped before a request line before the bytes are refused as garbage.
    static let maxLeadingEmptyLines = 16

    let limits: HTTPParserLimits
    /// Bytes received and not yet consumed start at `readIndex`.
    var buffer: [UInt8] = []
    var readIndex = 0
    /// Bytes after `readIndex` already searched for a line feed, so a drip-fed line is scanned once.
    var scanOffset = 0
    var phase = Phase.requestLine
    var failure: HTTPParseError?
    /// The head being read or whose body is being read; set once the request line is valid.
    var head: HTTPRequestHead?
    /// Bytes of field lines so far in the current header or trailer section, and their number.
    var sectionLength = 0
    var fieldCount = 0
    var leadingEmptyLines = 0
    /// The body being assembled. Grows as bytes arrive, until `reserveBody` gives a
    /// Content-Length body its final buffer at full length (`bodyPresized`): from then on
    /// `receivedBodyCount` of it are filled and the rest is written in place, by the copy of
    /// bytes buffered here or by a read straight from the socket (`readBodyDirectly`).
    var body: [UInt8] = []
    var bodyPresized = false
    var bodyFilled = 0
    /// Bytes still to read of the Content-Length body or of the current chunk.
    var remaining = 0

    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits.normalized
    }

    /// Adds bytes read from the connection. Ignored once the parser has failed.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard phase != .failed, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes read from the connection (for tests and callers holding an array).
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Bytes received and not yet consumed (the rest of a head, pipelined requests). Body bytes
    /// already moved into the request being assembled are not counted.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// The body length known so far: the Content-Length, or for a chunked body the bytes
    /// received plus the rest of the chunk being read (a chunk counts from its size line, before
    /// its data arrives). Zero between requests. The connection reserves memory for it.
    public var announcedBodyLength: Int {
        switch phase {
        case .fixedBody, .chunkData: return receivedBodyCount + remaining
        case .chunkSize, .chunkDataEnd, .trailerLines: return receivedBodyCount
        case .requestLine, .headerLines, .failed: return 0
        }
    }

    /// Body bytes received so far for the request being read.
    var receivedBodyCount: Int { bodyPresized ? bodyFilled : body.count }

    /// Gives the body its final buffer once its memory is admitted: a Content-Length body gets
    /// its whole length at once (the bytes received so far are copied into it, once), and the
    /// rest is written in place, from here or by `readBodyDirectly`; a chunked body reserves
    /// `length` (capped at the body limit). Only address space is taken: pages are touched as
    /// bytes arrive.
    public mutating func reserveBody(_ length: Int) {
        guard isReadingBody else { return }
        guard phase == .fixedBody else {
            body.reserveCapacity(min(length, limits.maxBodyLength))
            return
        }
        guard !bodyPresized else { return }
        let received = body
        let total = received.count + remaining
        // The bytes past `received` are left uninitialised: UInt8 is trivial, every one of
        // them is written before the body is handed out (`completeRequest` runs only when
        // `remaining` is 0), and a body dropped half-read is never read. Zero-filling them
        // would touch each byte of a megabyte body once more for nothing.
        body = [UInt8](unsafeUninitializedCapacity: total) { storage, initialized in
            received.withUnsafeBytes { bytes in
                if let source = bytes.baseAddress {
                    UnsafeMutableRawPointer(storage.baseAddress!).copyMemory(from: source, byteCount: bytes.count)
                }
            }
            initialized = total
        }
        bodyFilled = received.count
        bodyPresized = true
    }

    /// Room left in the body's final buffer for a read straight from the socket: the rest of
    /// a Content-Length body given its buffer by `reserveBody`, when no received byte waits
    /// in the parser's own buffer (those come first). Zero otherwise.
    public var directBodyRoom: Int {
        phase == .fixedBody && bodyPresized && bufferedByteCount == 0 ? remaining : 0
    }

    /// Lets `read` write up to `directBodyRoom` bytes into the body's final buffer and counts
    /// what it wrote (the `Int` it returns, at most the room it was given). `next()` then
    /// reports the request once the body is complete. Does nothing without room.
    public mutating func readBodyDirectly(_ read: (UnsafeMutableRawBufferPointer) -> Int) {
        let room = directBodyRoom
        guard room > 0 else { return }
        let start = bodyFilled
        let count = body.withUnsafeMutableBytes { storage in
            read(UnsafeMutableRawBufferPointer(rebasing: storage[start..<(start + room)]))
        }
        let filled = min(max(0, count), room)
        bodyFilled += filled
        remaining -= filled
    }

    /// True when no part of a request is held: between requests, with nothing buffered.
    public var isIdle: Bool { phase == .requestLine && bufferedByteCount == 0 }

    /// After a failure: the path of the request it failed in, when its request line had been
    /// read (a body over the limit, a bad header), so the error can be answered in the shape
    /// of the protocol the path belongs to. Nil before that, and while nothing failed.
    public private(set) var headPath: String?

    /// True once a head with a body was accepted and until its request is complete.
    public var isReadingBody: Bool {
        switch phase {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailerLines: return true
        case .requestLine, .headerLines, .failed: return false
        }
    }

    /// True after an error: every later `next()` returns it again.
    public var hasFailed: Bool { phase == .failed }

    /// The next event the buffered bytes allow. Call until `.needMoreData` (or `.error`).
    public mutating func next() -> HTTPParserEvent {
        while true {
            let outcome: StepOutcome
            switch phase {
            case .failed: return .error(failure ?? .badRequest("parser failed"))
            case .requestLine: outcome = readRequestLine()
            case .headerLines, .trailerLines: outcome = readFieldLine()
            case .fixedBody, .chunkData: outcome = readBodyBytes()
            case .chunkSize: outcome = readChunkSizeLine()
            case .chunkDataEnd: outcome = readChunkDataEnd()
            }
            switch outcome {
            case .continue: continue
            case .event(let event): return event
            case .fail(let error): return fail(error)
            }
        }
    }

    /// What one step of the state machine produced.
    enum StepOutcome {
        case `continue`
        case event(HTTPParserEvent)
        case fail(HTTPParseError)
    }

    /// Enters the terminal error state and lets go of every byte held.
    private mutating func fail(_ error: HTTPParseError) -> HTTPParserEvent {
        phase = .failed
        failure = error
        headPath = head?.path
        buffer = []
        readIndex = 0
        scanOffset = 0
        body = []
        bodyPresized = false
        bodyFilled = 0
        head = nil
        return .error(error)
    }

    /// The finished request, and the parser ready for the next one.
    mutating func completeRequest() -> StepOutcome {
        // The head and the body are moved into the request, not copied and then released here.
        guard let head = head.take() else { return .fail(.badRequest("request without a head")) }
        var taken: [UInt8] = []
        swap(&taken, &body)
        let request = head.request(body: taken)
        bodyPresized = false
        bodyFilled = 0
        remaining = 0
        leadingEmptyLines = 0
        phase = .requestLine
        return .event(.request(request))
    }

    /// Drops consumed bytes when that is cheap relative to what stays, so memory tracks
    /// `bufferedByteCount` and the copy is amortised.
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

/// Every bound the request parser enforces, in one place.
///
/// The defaults are what a careful operator would choose for a JSON API and form a valid
/// configuration on their own; a field set to zero or below is treated as its default, so a
/// half-filled configuration never disables a limit by accident.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line, without its CRLF: 8 KiB by default. Longer gets 414, as soon as
    /// that many bytes have arrived without a line end (a client cannot make us buffer more).
    public var maxRequestLineLength: Int
    /// Longest header section: the field lines with their CRLFs, not counting the request line
    /// or the empty line that ends the section: 16 KiB by default. Longer gets 431, as soon as
    /// it is certain. The trailer section of a chunked body has the same bound.
    public var maxHeaderSectionLength: Int
    /// Most field lines in a header (or trailer) section: 100 by default. More gets 431.
    public var maxHeaderCount: Int
    /// Largest body, after chunked decoding: 64 MiB by default. Larger gets 413 before the body
    /// is read (Content-Length), or as soon as a chunk size carries the total past it.
    public var maxBodyLength: Int
    /// Longest chunk-size line with its extensions, without CRLF: 4 KiB by default. Longer gets
    /// 400: extensions carry nothing we use, and an endless one would otherwise be buffered.
    public var maxChunkLineLength: Int

    public static let defaultMaxRequestLineLength = 8 * 1024
    public static let defaultMaxHeaderSectionLength = 16 * 1024
    public static let defaultMaxHeaderCount = 100
    public static let defaultMaxBodyLength = 64 * 1024 * 1024
    public static let defaultMaxChunkLineLength = 4 * 1024

    public init(
        maxRequestLineLength: Int = defaultMaxRequestLineLength,
        maxHeaderSectionLength: Int = defaultMaxHeaderSectionLength,
        maxHeaderCount: Int = defaultMaxHeaderCount,
        maxBodyLength: Int = defaultMaxBodyLength,
        maxChunkLineLength: Int = defaultMaxChunkLineLength
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderSectionLength = maxHeaderSectionLength
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyLength = maxBodyLength
        self.maxChunkLineLength = maxChunkLineLength
    }

    /// The limits with every non-positive field replaced by its default (a body limit of zero
    /// is kept: it is a meaningful "no bodies" setting).
    var normalized: HTTPParserLimits {
        HTTPParserLimits(
            maxRequestLineLength: maxRequestLineLength > 0 ? maxRequestLineLength : Self.defaultMaxRequestLineLength,
            maxHeaderSectionLength: maxHeaderSectionLength > 0
                ? maxHeaderSectionLength : Self.defaultMaxHeaderSectionLength,
            maxHeaderCount: maxHeaderCount > 0 ? maxHeaderCount : Self.defaultMaxHeaderCount,
            maxBodyLength: maxBodyLength >= 0 ? maxBodyLength : Self.defaultMaxBodyLength,
            maxChunkLineLength: maxChunkLineLength > 0 ? maxChunkLineLength : Self.defaultMaxChunkLineLength
        )
    }
}
