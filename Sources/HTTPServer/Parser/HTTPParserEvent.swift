/// What `HTTPRequestParser.next()` reports. Call `next()` until `.needMoreData`.
public enum HTTPParserEvent: Sendable {
    /// Nothing more can be decided from the bytes held: read more and `append` them.
    case needMoreData
    /// A head is complete and valid and its body framing is decided. Emitted once for each
    /// request that has a body (chunked, or Content-Length above zero), before the body is read,
    /// so the connection can answer `Expect: 100-continue`. Requests without a body skip it.
    case head(HTTPRequestHead)
    /// A complete request with its whole body; `remoteAddress` is empty for the connection to fill.
    case request(HTTPRequest)
    /// The bytes cannot be a valid request. The connection answers `status` with
    /// `Connection: close` and closes; the parser stays in this state (every later `next()`
    /// returns the same error) and holds no more bytes.
    case error(HTTPParseError)
}

/// Why a request was refused, as the status to answer and a short reason for the body and logs.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 413, 414, 417, 431, 501 or 505.
    public var status: HTTPStatus
    /// A short English phrase naming the rule broken ("bare CR in header section").
    public var reason: String

    public init(status: HTTPStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError { .init(status: 400, reason: reason) }
    static let contentTooLarge = HTTPParseError(status: 413, reason: "body larger than the limit")
    static let uriTooLong = HTTPParseError(status: 414, reason: "request line longer than the limit")
    static let expectationFailed = HTTPParseError(status: 417, reason: "unsupported expectation")
    static let headerSectionTooLarge = HTTPParseError(status: 431, reason: "header section larger than the limit")
    static let tooManyHeaders = HTTPParseError(status: 431, reason: "more header fields than the limit")
    static let unsupportedTransferCoding = HTTPParseError(status: 501, reason: "unsupported transfer coding")
    static let versionNotSupported = HTTPParseError(status: 505, reason: "HTTP version not supported")
}

/// How the body of a request is delimited (RFC 9112 §6.3), decided once from its head.
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body: neither Content-Length nor Transfer-Encoding, or Content-Length: 0.
    case none
    /// Exactly this many bytes follow the head (above zero).
    case contentLength(Int)
    /// Transfer-Encoding: chunked.
    case chunked
}

/// A validated request head: everything but the body, with its framing decided.
public struct HTTPRequestHead: Sendable {
    /// The method token as sent (methods are case-sensitive: "get" is not "GET").
    public var method: HTTPMethod
    /// The request target as sent (origin-form, absolute-form, or "*" for OPTIONS).
    public var target: String
    /// The path, percent-decoded ("/a%20b" → "/a b"); "*" for asterisk-form.
    public var path: String
    /// The query's name/value pairs, decoded as form data ("+" is a space), in order.
    public var query: [(name: String, value: String)]
    /// "HTTP/1.1" or "HTTP/1.0".
    public var version: String
    public var headers: HTTPHeaders
    /// How the body is delimited.
    public var framing: HTTPBodyFraming

    public init(
        method: HTTPMethod, target: String, path: String, query: [(name: String, value: String)] = [],
        version: String = "HTTP/1.1", headers: HTTPHeaders = HTTPHeaders(), framing: HTTPBodyFraming = .none
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.framing = framing
    }

    /// Whether the connection stays open after this exchange (RFC 9112 §9.3).
    public var keepAlive: Bool { HTTPConnectionSemantics.keepAlive(version: version, headers: headers) }

    /// Whether the client waits for `100 Continue` before sending the body (RFC 9110 §10.1.1).
    public var expectsContinue: Bool { HTTPConnectionSemantics.expectsContinue(version: version, headers: headers) }

    /// The request this head starts, with `body`.
    consuming func request(body: consuming [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: method, target: target, path: path, query: query, version: version,
            headers: headers, body: body)
    }
}

extension HTTPRequest {
    /// Whether the connection stays open after this exchange (RFC 9112 §9.3).
    public var keepAlive: Bool { HTTPConnectionSemantics.keepAlive(version: version, headers: headers) }

    /// Whether the client asked for `100 Continue` before sending the body.
    public var expectsContinue: Bool { HTTPConnectionSemantics.expectsContinue(version: version, headers: headers) }
}

/// Connection and Expect decisions, shared by heads and requests so they never disagree.
enum HTTPConnectionSemantics {
    /// HTTP/1.1 keeps the connection unless a `close` option is sent; HTTP/1.0 closes unless
    /// `keep-alive` is sent and `close` is not. Options are a comma list of case-insensitive
    /// tokens across every Connection field (RFC 9110 §7.6.1).
    static func keepAlive(version: String, headers: HTTPHeaders) -> Bool {
        let options = listElements(headers.values(for: "Connection"))
        if options.contains("close") { return false }
        if version == "HTTP/1.1" { return true }
        return options.contains("keep-alive")
    }

    /// True when an HTTP/1.1 request has an Expect element `100-continue` (case-insensitive).
    /// RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored,
    /// as a 1.0 client cannot read an interim response.
    static func expectsContinue(version: String, headers: HTTPHeaders) -> Bool {
        version == "HTTP/1.1" && listElements(headers.values(for: "Expect")).contains("100-continue")
    }

    /// The lower-cased, OWS-trimmed, non-empty elements of comma-separated list values.
    static func listElements(_ values: [String]) -> [String] {
        var elements: [String] = []
        for value in values {
            for element in Array(value.utf8).split(separator: HTTPByteClass.comma) {
                let trimmed = trimOWS(element)
                if !trimmed.isEmpty { elements.append(String(decoding: trimmed.map(HTTPByteClass.lowercased), as: UTF8.self)) }
            }
        }
        return elements
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimOWS(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, HTTPByteClass.isWhitespace(bytes[start]) { start += 1 }
        while end > start, HTTPByteClass.isWhitespace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }
}
