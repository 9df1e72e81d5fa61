/// The decisions taken once a head is complete: Host, message body framing and expectations
/// (RFC 9112 §3.2, §6; RFC 9110 §10.1.1). Each rule cites the clause that forces it, because
/// these are exactly the places where servers that disagree let requests be smuggled.
enum HTTPFraming {
    /// The framing of a head's body, or the error to answer. Checked in this order:
    /// Host (400), Transfer-Encoding and Content-Length syntax and combination (400, 501),
    /// body size (413), expectations (417).
    static func decide(version: String, headers: HTTPHeaders, limits: HTTPParserLimits)
        -> Result<HTTPBodyFraming, HTTPParseError>
    {
        // One pass over the fields collects everything framing depends on. Host and
        // Content-Length come once in nearly every request: the first is kept and the others
        // counted, so a common head allocates no list here.
        var hostCount = 0
        var host: String?
        var transferEncodings: [String] = []
        var contentLengthCount = 0
        var firstContentLength = ""
        var expectFields: [String] = []
        for field in headers.fields {
            if HTTPByteClass.namesEqual(field.name, "Host") {
                if hostCount == 0 { host = field.value }
                hostCount += 1
            } else if HTTPByteClass.namesEqual(field.name, "Content-Length") {
                if contentLengthCount == 0 { firstContentLength = field.value }
                contentLengthCount += 1
            } else if HTTPByteClass.namesEqual(field.name, "Transfer-Encoding") {
                transferEncodings.append(field.value)
            } else if HTTPByteClass.namesEqual(field.name, "Expect") {
                expectFields.append(field.value)
            }
        }
        // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, and for any request with more
        // than one Host field line or an invalid Host value.
        if hostCount == 0 && version == "HTTP/1.1" { return .failure(.badRequest("missing Host")) }
        if hostCount > 1 { return .failure(.badRequest("more than one Host")) }
        if let host, !host.utf8.allSatisfy(HTTPByteClass.isAuthorityByte) {
            return .failure(.badRequest("invalid Host"))
        }

        let framing: HTTPBodyFraming
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request means faulty framing.
            if version == "HTTP/1.0" { return .failure(.badRequest("Transfer-Encoding in HTTP/1.0")) }
            // RFC 9112 §6.1 lets a server read by TE then close; refusing both is the safe reading.
            if contentLengthCount > 0 { return .failure(.badRequest("both Transfer-Encoding and Content-Length")) }
            if let failure = checkTransferCodings(transferEncodings) { return .failure(failure) }
            framing = .chunked
        } else if contentLengthCount > 0 {
            // The usual field is one value of digits only (no list, no whitespace): read in place.
            let parsed: Result<Int, HTTPParseError>? = contentLengthCount == 1 ? parseDecimal(firstContentLength.utf8).map { .success($0) } : nil
            switch parsed ?? parseContentLength(headers.values(for: "Content-Length")) {
            case .failure(let failure): return .failure(failure)
            case .success(let length):
                if length > limits.maxBodyLength { return .failure(.contentTooLarge) }
                framing = length == 0 ? .none : .contentLength(length)
            }
        } else {
            framing = .none  // RFC 9112 §6.3 rule 7: a request without either has no body.
        }

        // RFC 9110 §10.1.1: a server MAY answer 417 to an expectation it does not support.
        // An Expect field with no element at all is an expectation we cannot meet either.
        if !expectFields.isEmpty {
            let expectations = HTTPConnectionSemantics.listElements(expectFields)
            if expectations.isEmpty || expectations.contains(where: { $0 != "100-continue" }) {
                return .failure(.expectationFailed)
            }
        }
        return .success(framing)
    }

    /// Transfer-Encoding must list `chunked` exactly once and last (RFC 9112 §6.3: otherwise
    /// the length cannot be determined, a MUST 400). Any other coding, known or not, is 501
    /// (§6.1 SHOULD): we decode none. Empty elements and non-tokens are 400.
    static func checkTransferCodings(_ values: [String]) -> HTTPParseError? {
        var codings: [ArraySlice<UInt8>] = []
        for value in values {
            for element in Array(value.utf8).split(separator: HTTPByteClass.comma, omittingEmptySubsequences: false) {
                let coding = HTTPConnectionSemantics.trimOWS(element)
                guard !coding.isEmpty, coding.allSatisfy(HTTPByteClass.isToken) else {
                    return .badRequest("malformed Transfer-Encoding")
                }
                codings.append(coding)
            }
        }
        let chunkedPositions = codings.indices.filter { HTTPByteClass.equalsIgnoringCase(codings[$0], "chunked") }
        if chunkedPositions.count > 1 { return .badRequest("chunked applied more than once") }
        if let position = chunkedPositions.first, position != codings.count - 1 {
            return .badRequest("chunked is not the final transfer coding")
        }
        if codings.count != 1 || chunkedPositions.isEmpty { return .unsupportedTransferCoding }
        return nil
    }

    /// The length from every Content-Length field. Each element of each (comma-separated)
    /// value must be 1*DIGIT, parsed by hand with an overflow check — never `Int(_:)`, which
    /// takes "+5" — and all must be equal (RFC 9112 §6.3: differing values are a MUST 400).
    static func parseContentLength(_ values: [String]) -> Result<Int, HTTPParseError> {
        var length: Int?
        for value in values {
            for element in Array(value.utf8).split(separator: HTTPByteClass.comma, omittingEmptySubsequences: false) {
                guard let parsed = parseDecimal(HTTPConnectionSemantics.trimOWS(element)) else {
                    return .failure(.badRequest("invalid Content-Length"))
                }
                if let length, length != parsed { return .failure(.badRequest("conflicting Content-Length")) }
                length = parsed
            }
        }
        guard let length else { return .failure(.badRequest("invalid Content-Length")) }
        return .success(length)
    }

    /// 1*DIGIT as a non-negative Int, or nil when empty, not all digits, or beyond Int.max.
    static func parseDecimal<C: Collection<UInt8>>(_ digits: C) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard HTTPByteClass.isDigit(byte) else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }
}
