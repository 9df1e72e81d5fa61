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
    public var status: Int
    /// A short English phrase naming the rule broken ("bare CR in header section").
    public var reason: String

    public init(status: Int, reason: String) {
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
