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
        let parts = line.split(separator: HTTPByteClass.sp, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.badRequest("malformed request line")) }
        let (method, target, version) = (parts[0], parts[1], parts[2])
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
    /// NUL, bare CR or DEL are 400.
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
