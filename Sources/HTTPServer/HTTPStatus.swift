/// A response status code (RFC 9110 §15): three digits, with the reason phrase this server
/// writes and, for the statuses it makes itself, the stable error code it hands to
/// `HTTPServerConfiguration.errorResponder`.
///
/// Integer literals are statuses (`HTTPResponse(status: 200)`, `response.status == 404`), so
/// code reads like the RFC; named constants exist for the statuses the server and its
/// services use.
public struct HTTPStatus: RawRepresentable, Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// The three-digit code.
    public let code: Int

    public init(_ code: Int) { self.code = code }
    public init(rawValue: Int) { code = rawValue }
    public init(integerLiteral value: Int) { code = value }

    public var rawValue: Int { code }
    public var description: String { String(code) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.code < rhs.code }

    public static let `continue`: HTTPStatus = 100
    public static let ok: HTTPStatus = 200
    public static let noContent: HTTPStatus = 204
    public static let notModified: HTTPStatus = 304
    public static let badRequest: HTTPStatus = 400
    public static let unauthorized: HTTPStatus = 401
    public static let notFound: HTTPStatus = 404
    public static let methodNotAllowed: HTTPStatus = 405
    public static let requestTimeout: HTTPStatus = 408
    public static let contentTooLarge: HTTPStatus = 413
    public static let uriTooLong: HTTPStatus = 414
    public static let unsupportedMediaType: HTTPStatus = 415
    public static let expectationFailed: HTTPStatus = 417
    public static let unprocessableContent: HTTPStatus = 422
    public static let headerFieldsTooLarge: HTTPStatus = 431
    public static let internalServerError: HTTPStatus = 500
    public static let notImplemented: HTTPStatus = 501
    public static let serviceUnavailable: HTTPStatus = 503
    public static let httpVersionNotSupported: HTTPStatus = 505

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(code) }

    /// Informative only (RFC 9112 §4: clients ignore it), but a correct one makes captures and
    /// logs readable.
    public var reasonPhrase: String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(code)"
        }
    }

    /// The `code` handed to `HTTPServerConfiguration.errorResponder` for a status the server
    /// produces itself.
    public var errorCode: String {
        switch code {
        case 400: "bad_request"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 408: "request_timeout"
        case 413: "payload_too_large"
        case 414: "uri_too_long"
        case 415: "unsupported_media_type"
        case 417: "expectation_failed"
        case 431: "header_fields_too_large"
        case 501: "not_implemented"
        case 503: "service_unavailable"
        case 505: "http_version_not_supported"
        default: "http_\(code)"
        }
    }

    /// Responses that never carry a body or Content-Length (RFC 9110 §8.6, §15.3.5).
    public var forbidsBody: Bool { (100..<200).contains(code) || code == 204 || code == 304 }
}
