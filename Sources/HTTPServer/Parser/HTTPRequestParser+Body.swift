/// Body phases: a Content-Length body, and the chunked coding (RFC 9112 §7.1).
extension HTTPRequestParser {
    /// Moves up to `remaining` buffered bytes into the body (Content-Length body or chunk data).
    mutating func readBodyBytes() -> StepOutcome {
        let take = min(remaining, bufferedByteCount)
        if take > 0 {
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
