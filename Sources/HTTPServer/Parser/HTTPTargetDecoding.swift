/// Request-target forms, path percent-decoding and query parsing: the one place that turns a
/// target into a path and query, so no handler decodes twice or differently.
///
/// Decisions: a "+" in the path stays "+", a "+" in the query is a space (the
/// application/x-www-form-urlencoded rule every browser form and most clients use). An invalid
/// escape ("%", "%4", "%zz"), a decoded byte sequence that is not UTF-8, or a decoded NUL in the
/// path makes the request invalid (400) instead of being passed on half-decoded. "%2F" decodes to
/// "/": routes must not give meaning to an encoded slash.
public enum HTTPTargetDecoding {
    /// `text` with its %XX escapes decoded (and "+" as space when `plusAsSpace`), or nil when
    /// an escape is malformed or the result is not valid UTF-8.
    public static func percentDecode(_ text: String, plusAsSpace: Bool) -> String? {
        percentDecode(Array(text.utf8)[...], plusAsSpace: plusAsSpace)
    }

    /// The name/value pairs of a query ("a=1&b=x+y" → [("a","1"), ("b","x y")]), in order.
    /// Empty segments are skipped, a segment without "=" has an empty value; nil when a name or
    /// value does not decode.
    public static func parseQuery(_ query: String) -> [(name: String, value: String)]? {
        parseQuery(Array(query.utf8)[...])
    }

    static func percentDecode(_ bytes: ArraySlice<UInt8>, plusAsSpace: Bool) -> String? {
        // Callers pass valid UTF-8 (a String's bytes, or a target already limited to ASCII), so
        // without escapes there is nothing to validate: the common case costs one copy.
        if !bytes.contains(HTTPByteClass.percent) && !(plusAsSpace && bytes.contains(UInt8(ascii: "+"))) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == HTTPByteClass.percent {
                guard index + 2 < bytes.endIndex,
                    let high = HTTPByteClass.hexValue(bytes[index + 1]),
                    let low = HTTPByteClass.hexValue(bytes[index + 2])
                else { return nil }
                decoded.append(UInt8(high << 4 | low))
                index += 3
            } else {
                decoded.append(plusAsSpace && byte == UInt8(ascii: "+") ? HTTPByteClass.sp : byte)
                index += 1
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    static func parseQuery(_ bytes: ArraySlice<UInt8>) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for segment in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = segment.firstIndex(of: HTTPByteClass.equals)
            let rawName = equals.map { segment[segment.startIndex..<$0] } ?? segment
            let rawValue = equals.map { segment[($0 + 1)...] } ?? []
            guard let name = percentDecode(rawName, plusAsSpace: true),
                let value = percentDecode(rawValue, plusAsSpace: true)
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    /// The decoded path and query of a request target (RFC 9112 §3.2): origin-form
    /// ("/p?q"), absolute-form ("http://host/p?q": its path and query are used, and the Host
    /// field is still required), or asterisk-form ("*", OPTIONS only). Authority-form (CONNECT)
    /// is refused: this server is no proxy.
    static func parse(target: ArraySlice<UInt8>, method: String)
        -> Result<(path: String, query: [(name: String, value: String)]), HTTPParseError>
    {
        guard !target.isEmpty else { return .failure(.badRequest("empty request target")) }
        if target.elementsEqual("*".utf8) {
            return method == "OPTIONS" ? .success(("*", [])) : .failure(.badRequest("asterisk-form target"))
        }
        if target.first == UInt8(ascii: "/") { return parseOrigin(target) }
        guard let afterAuthority = absoluteFormRemainder(target) else {
            return .failure(.badRequest("request target is not origin-form or absolute-form"))
        }
        if afterAuthority.isEmpty { return .success(("/", [])) }
        // The authority may hold "[" "]" (IP literals), the path and query may not.
        if afterAuthority.first == UInt8(ascii: "?") { return parseOrigin(Array("/".utf8)[...] + afterAuthority) }
        return parseOrigin(afterAuthority)
    }

    /// Splits origin-form at the first "?" and decodes both halves.
    private static func parseOrigin(_ target: ArraySlice<UInt8>)
        -> Result<(path: String, query: [(name: String, value: String)]), HTTPParseError>
    {
        guard target.allSatisfy(HTTPByteClass.isTargetByte) else {
            return .failure(.badRequest("invalid character in request target"))
        }
        let questionMark = target.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = target[target.startIndex..<(questionMark ?? target.endIndex)]
        guard let path = percentDecode(rawPath, plusAsSpace: false), !path.utf8.contains(0) else {
            return .failure(.badRequest("invalid percent-encoding in path"))
        }
        guard let questionMark else { return .success((path, [])) }
        guard let query = parseQuery(target[(questionMark + 1)...]) else {
            return .failure(.badRequest("invalid percent-encoding in query"))
        }
        return .success((path, query))
    }

    /// For "http://authority/rest" or "https://…" (scheme case-insensitive), the bytes after a
    /// non-empty, userinfo-free authority; nil for anything else.
    private static func absoluteFormRemainder(_ target: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let schemeEnd: Int
        if HTTPByteClass.equalsIgnoringCase(target.prefix(7), "http://") {
            schemeEnd = target.startIndex + 7
        } else if HTTPByteClass.equalsIgnoringCase(target.prefix(8), "https://") {
            schemeEnd = target.startIndex + 8
        } else {
            return nil
        }
        let rest = target[schemeEnd...]
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        guard !authority.isEmpty, authority.allSatisfy(HTTPByteClass.isAuthorityByte) else { return nil }
        return rest[authorityEnd...]
    }
}
