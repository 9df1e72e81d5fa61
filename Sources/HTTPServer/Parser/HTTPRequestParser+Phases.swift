/// The phases of a request, one method each. First the line-oriented ones: the request line,
/// header and trailer field lines.
///
/// Every limit is checked before a line's syntax, and while a line is incomplete against the
/// least length it can still end with. So a limit fires at the same point whether the bytes
/// arrive at once or one at a time, and an endless line is refused as soon as it is too long.
extension HTTPRequestParser {
    /// One scan for a line feed from `readIndex`.
    enum LineScan {
        /// A whole line, consumed: its bytes without the line ending, and whether that ending
        /// was CRLF (false: a bare LF).
        case complete(ArraySlice<UInt8>, crlf: Bool)
        /// No line feed yet; the line's content is at least this long.
        case incomplete(minimumLength: Int)
    }

    mutating func scanLine() -> LineScan {
        let searchStart = readIndex + scanOffset
        guard let lineFeed = buffer[searchStart...].firstIndex(of: HTTPByteClass.lf) else {
            scanOffset = buffer.count - readIndex
            let endsWithCR = buffer.last == HTTPByteClass.cr && scanOffset > 0
            return .incomplete(minimumLength: scanOffset - (endsWithCR ? 1 : 0))
        }
        let crlf = lineFeed > readIndex && buffer[lineFeed - 1] == HTTPByteClass.cr
        let line = buffer[readIndex..<(crlf ? lineFeed - 1 : lineFeed)]
        readIndex = lineFeed + 1
        scanOffset = 0
        return .complete(line, crlf: crlf)
    }

    /// 400 for a bare LF ending (RFC 9112 §2.2 allows accepting it; refusing is the strict
    /// choice) or a CR anywhere inside the line (§2.2: a bare CR MUST be refused or replaced).
    static func lineEndingError(_ line: ArraySlice<UInt8>, crlf: Bool) -> HTTPParseError? {
        if !crlf { return .badRequest("bare LF line ending") }
        if line.contains(HTTPByteClass.cr) { return .badRequest("bare CR") }
        return nil
    }

    mutating func readRequestLine() -> StepOutcome {
        switch scanLine() {
        case .incomplete(let minimumLength):
            return minimumLength > limits.maxRequestLineLength ? .fail(.uriTooLong) : .event(.needMoreData)
        case .complete(let line, let crlf):
            if line.isEmpty && crlf {
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request.
                leadingEmptyLines += 1
                return leadingEmptyLines > Self.maxLeadingEmptyLines
                    ? .fail(.badRequest("too many empty lines before the request line")) : .continue
            }
            if line.count > limits.maxRequestLineLength { return .fail(.uriTooLong) }
            if let error = Self.lineEndingError(line, crlf: crlf) { return .fail(error) }
            let requestLine: HTTPHeadSyntax.RequestLine
            switch HTTPHeadSyntax.parseRequestLine(line) {
            case .failure(let error): return .fail(error)
            case .success(let parsed): requestLine = parsed
            }
            switch HTTPTargetDecoding.parse(target: requestLine.target, method: requestLine.method) {
            case .failure(let error): return .fail(error)
            case .success(let (path, query)):
                var headers = HTTPHeaders()
                // Room for a usual head's fields at once rather than growing 1, 2, 4, 8.
                headers.reserveCapacity(8)
                head = HTTPRequestHead(
                    method: HTTPMethod(requestLine.method), target: String(decoding: requestLine.target, as: UTF8.self),
                    path: path, query: query, version: requestLine.version, headers: headers)
            }
            phase = .headerLines
            sectionLength = 0
            fieldCount = 0
            return .continue
        }
    }

    /// A field line of the header section or of the trailer section; the empty line ends the
    /// section. Trailer fields are checked like header fields and then dropped: nothing here
    /// may change how the request is handled after its head was accepted.
    mutating func readFieldLine() -> StepOutcome {
        switch scanLine() {
        case .incomplete(let minimumLength):
            // A line of at least one byte will count its CRLF; "\r" alone may be the final CRLF.
            let minimumSize = minimumLength == 0 ? 0 : minimumLength + 2
            return sectionLength + minimumSize > limits.maxHeaderSectionLength
                ? .fail(.headerSectionTooLarge) : .event(.needMoreData)
        case .complete(let line, let crlf):
            if line.isEmpty {
                if !crlf { return .fail(.badRequest("bare LF line ending")) }
                return phase == .trailerLines ? completeRequest() : completeHead()
            }
            sectionLength += line.count + 2
            fieldCount += 1
            if sectionLength > limits.maxHeaderSectionLength { return .fail(.headerSectionTooLarge) }
            if fieldCount > limits.maxHeaderCount { return .fail(.tooManyHeaders) }
            if let error = Self.lineEndingError(line, crlf: crlf) { return .fail(error) }
            switch HTTPHeadSyntax.parseFieldLine(line) {
            case .failure(let error): return .fail(error)
            case .success(let field):
                if phase == .headerLines { head?.headers.add(name: field.name, value: field.value) }
                return .continue
            }
        }
    }

    /// Decides the framing of a complete head: a request without a body is finished here, a
    /// request with one is announced with `.head` before its body is read.
    mutating func completeHead() -> StepOutcome {
        guard head != nil else { return .fail(.badRequest("header section without a request line")) }
        let framing: HTTPBodyFraming
        switch HTTPFraming.decide(version: head!.version, headers: head!.headers, limits: limits) {
        case .failure(let error): return .fail(error)
        case .success(let decided): framing = decided
        }
        // Set in place: copying the head out, changing it and storing it back counted a
        // reference for each of its strings and lists twice.
        head!.framing = framing
        switch framing {
        case .none:
            return completeRequest()
        case .contentLength(let length):
            phase = .fixedBody
            remaining = length
            // Nothing reserved yet: grow with the bytes that arrive, not with what a client
            // merely announces; once the body is admitted, `reserveBody` gives it its final
            // buffer (reserving here too would allocate twice for every body).
        case .chunked:
            phase = .chunkSize
        }
        return .event(.head(head!))
    }
}

/// Body phases: a Content-Length body, and the chunked coding (RFC 9112 §7.1).
extension HTTPRequestParser {
    /// Moves up to `remaining` buffered bytes into the body (Content-Length body or chunk data).
    mutating func readBodyBytes() -> StepOutcome {
        let take = min(remaining, bufferedByteCount)
        if take > 0 && bodyPresized {
            let (start, from) = (bodyFilled, readIndex)
            body.withUnsafeMutableBytes { storage in
                buffer.withUnsafeBytes { source in
                    (storage.baseAddress! + start).copyMemory(from: source.baseAddress! + from, byteCount: take)
                }
            }
            bodyFilled += take
            readIndex += take
            remaining -= take
        } else if take > 0 {
            body.append(contentsOf: buffer[readIndex..<(readIndex + take)])
            readIndex += take
            remaining -= take
        }
        guard remaining == 0 else { return .event(.needMoreData) }
        if phase == .fixedBody { return completeRequest() }
        phase = .chunkDataEnd
        return .continue
    }

    /// A chunk-size line. A size that takes the body past the limit is 413 at once, before its
    /// data is read; size 0 is the last chunk, followed by the trailer section.
    mutating func readChunkSizeLine() -> StepOutcome {
        switch scanLine() {
        case .incomplete(let minimumLength):
            return minimumLength > limits.maxChunkLineLength
                ? .fail(.badRequest("chunk-size line longer than the limit")) : .event(.needMoreData)
        case .complete(let line, let crlf):
            if line.count > limits.maxChunkLineLength {
                return .fail(.badRequest("chunk-size line longer than the limit"))
            }
            if let error = Self.lineEndingError(line, crlf: crlf) { return .fail(error) }
            switch ChunkLineSyntax.parse(line) {
            case .failure(let error):
                return .fail(error)
            case .success(let size):
                if size > limits.maxBodyLength - body.count { return .fail(.contentTooLarge) }
                if size == 0 {
                    phase = .trailerLines
                    sectionLength = 0
                    fieldCount = 0
                } else {
                    phase = .chunkData
                    remaining = size
                }
                return .continue
            }
        }
    }

    /// The CRLF that must follow chunk data exactly: anything else means the data ran past its
    /// declared size, which is how a chunk would smuggle bytes (400 as soon as one byte differs).
    mutating func readChunkDataEnd() -> StepOutcome {
        let available = bufferedByteCount
        if available >= 1 && buffer[readIndex] != HTTPByteClass.cr {
            return .fail(.badRequest("chunk data not followed by CRLF"))
        }
        if available >= 2 && buffer[readIndex + 1] != HTTPByteClass.lf {
            return .fail(.badRequest("chunk data not followed by CRLF"))
        }
        guard available >= 2 else { return .event(.needMoreData) }
        readIndex += 2
        phase = .chunkSize
        return .continue
    }
}
