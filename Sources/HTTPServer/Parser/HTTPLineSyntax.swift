/// The grammar of the request line and of field lines (RFC 9112 §3 and §5), applied to one
/// line at a time. Lines arrive here without their CRLF and already free of bare CR.
enum HTTPHeadSyntax {
    /// The parts of a request line, before the target is decoded.
    struct RequestLine {
        var method: String
        var target: ArraySlice<UInt8>
        var version: String
    }

    /// `method SP request-target SP HTTP-version`, with exactly one SP between the parts
    /// (RFC 9112 §3: the lenient whitespace splitting it permits is refused, because another
    /// server on the path may split differently). A well-formed version other than 1.0 and 1.1
    /// is 505; anything that is not `HTTP/DIGIT.DIGIT` is 400.
    static func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<RequestLine, HTTPParseError> {
        // The first two SPs split the line (what `split(maxSplits: 2)` would give, without
        // an array of parts); the version takes the rest, spaces included, and is checked below.
        guard let firstSpace = line.firstIndex(of: HTTPByteClass.sp),
              let secondSpace = line[(firstSpace + 1)...].firstIndex(of: HTTPByteClass.sp)
        else { return .failure(.badRequest("malformed request line")) }
        let method = line[line.startIndex..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let version = line[(secondSpace + 1)...]
        guard !method.isEmpty, method.allSatisfy(HTTPByteClass.isToken) else {
            return .failure(.badRequest("method is not a token"))
        }
        guard !target.isEmpty else { return .failure(.badRequest("malformed request line")) }
        if let failure = checkVersion(version) { return .failure(failure) }
        return .success(
            RequestLine(
                method: String(decoding: method, as: UTF8.self), target: target,
                version: String(decoding: version, as: UTF8.self)))
    }

    /// nil for "HTTP/1.1" and "HTTP/1.0"; 505 for another `HTTP/DIGIT.DIGIT`; 400 otherwise
    /// (lower-case "http", "HTTP/1", "HTTP/1.01", a trailing space).
    private static func checkVersion(_ version: ArraySlice<UInt8>) -> HTTPParseError? {
        guard version.count == 8, version.prefix(5).elementsEqual("HTTP/".utf8) else { return .badRequest("malformed HTTP version") }
        let major = version[version.startIndex + 5]
        let dot = version[version.startIndex + 6]
        let minor = version[version.startIndex + 7]
        guard HTTPByteClass.isDigit(major), dot == UInt8(ascii: "."), HTTPByteClass.isDigit(minor) else {
            return .badRequest("malformed HTTP version")
        }
        guard major == UInt8(ascii: "1"), minor == UInt8(ascii: "1") || minor == UInt8(ascii: "0") else {
            return .versionNotSupported
        }
        return nil
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5). A line that starts with whitespace
    /// is obs-fold, or whitespace before the first field: both 400 (§5.2, §2.2). Whitespace
    /// before the colon is 400 (§5.1, a MUST). The value may not hold controls other than HTAB:
    /// NUL, bare CR or DEL are 400. obs-text (bytes 0x80-0xFF) is allowed, as RFC 9110 §5.5
    /// still permits it; the value is decoded as UTF-8 with invalid sequences replaced by U+FFFD,
    /// which is safe because every field that decides framing is ASCII-only by its grammar.
    static func parseFieldLine(_ line: ArraySlice<UInt8>) -> Result<(name: String, value: String), HTTPParseError> {
        guard let first = line.first, !HTTPByteClass.isWhitespace(first) else {
            return .failure(.badRequest("obs-fold or whitespace before a field line"))
        }
        guard let colon = line.firstIndex(of: HTTPByteClass.colon) else {
            return .failure(.badRequest("field line without a colon"))
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else { return .failure(.badRequest("empty field name")) }
        guard name.allSatisfy(HTTPByteClass.isToken) else {
            return .failure(.badRequest("invalid character in field name"))
        }
        let value = HTTPConnectionSemantics.trimOWS(line[(colon + 1)...])
        guard value.allSatisfy(HTTPByteClass.isFieldValueByte) else {
            return .failure(.badRequest("control character in field value"))
        }
        return .success((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }
}

/// The chunk-size line of the chunked coding (RFC 9112 §7.1):
/// `chunk-size *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )`, extensions parsed and ignored.
///
/// Strict on purpose: a size is hex digits only, parsed by hand with an overflow check (no
/// "0x", sign, "_" or leading space: `Int(_:radix:)` takes "+a"); whitespace is allowed only
/// where BWS is, so "5 " alone is refused; an extension needs a name, so a bare ";" is refused;
/// a quoted value must close and may not hold controls. Each of these was a smuggling vector
/// somewhere because two parsers read the same line differently.
enum ChunkLineSyntax {
    /// The chunk size declared by `line` (without its CRLF), or the 400 to answer.
    static func parse(_ line: ArraySlice<UInt8>) -> Result<Int, HTTPParseError> {
        var index = line.startIndex
        var size = 0
        while index < line.endIndex, let digit = HTTPByteClass.hexValue(line[index]) {
            let (times16, overflow1) = size.multipliedReportingOverflow(by: 16)
            let (sum, overflow2) = times16.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return .failure(.badRequest("chunk size overflows")) }
            size = sum
            index += 1
        }
        guard index > line.startIndex else { return .failure(.badRequest("invalid chunk size")) }
        while true {
            let whitespaceStart = index
            skipWhitespace(line, &index)
            if index == line.endIndex {
                guard index == whitespaceStart else { return .failure(.badRequest("whitespace after chunk size")) }
                return .success(size)
            }
            guard line[index] == HTTPByteClass.semicolon else { return .failure(.badRequest("invalid chunk size")) }
            index += 1
            skipWhitespace(line, &index)
            guard skipToken(line, &index) else { return .failure(.badRequest("chunk extension without a name")) }
            var lookahead = index
            skipWhitespace(line, &lookahead)
            if lookahead < line.endIndex, line[lookahead] == HTTPByteClass.equals {
                index = lookahead + 1
                skipWhitespace(line, &index)
                guard index < line.endIndex else { return .failure(.badRequest("chunk extension without a value")) }
                if line[index] == HTTPByteClass.quote {
                    guard skipQuotedString(line, &index) else {
                        return .failure(.badRequest("invalid quoted chunk extension"))
                    }
                } else if !skipToken(line, &index) {
                    return .failure(.badRequest("invalid chunk extension value"))
                }
            }
        }
    }

    private static func skipWhitespace(_ line: ArraySlice<UInt8>, _ index: inout Int) {
        while index < line.endIndex, HTTPByteClass.isWhitespace(line[index]) { index += 1 }
    }

    /// Advances past 1*tchar; false when there is none.
    private static func skipToken(_ line: ArraySlice<UInt8>, _ index: inout Int) -> Bool {
        let start = index
        while index < line.endIndex, HTTPByteClass.isToken(line[index]) { index += 1 }
        return index > start
    }

    /// Advances past a quoted-string (RFC 9110 §5.6.4) starting at the opening quote; false when
    /// it does not close on this line or holds a control character.
    private static func skipQuotedString(_ line: ArraySlice<UInt8>, _ index: inout Int) -> Bool {
        index += 1
        while index < line.endIndex {
            let byte = line[index]
            switch byte {
            case HTTPByteClass.quote:
                index += 1
                return true
            case HTTPByteClass.backslash:
                guard index + 1 < line.endIndex, HTTPByteClass.isFieldValueByte(line[index + 1]) else { return false }
                index += 2
            default:
                guard HTTPByteClass.isFieldValueByte(byte) else { return false }
                index += 1
            }
        }
        return false
    }
}
