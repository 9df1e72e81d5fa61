/// Reason phrases and stable error codes for the statuses this server and its services use.
///
/// The reason phrase is informative only (RFC 9112 §4: clients ignore it), but a correct one
/// makes captures and logs readable.
enum HTTPStatus {
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }

    /// The `code` handed to `HTTPServerConfiguration.errorResponder` for a status the server
    /// produces itself.
    static func errorCode(_ status: Int) -> String {
        switch status {
        case 400: return "bad_request"
        case 404: return "not_found"
        case 405: return "method_not_allowed"
        case 408: return "request_timeout"
        case 413: return "payload_too_large"
        case 414: return "uri_too_long"
        case 415: return "unsupported_media_type"
        case 417: return "expectation_failed"
        case 431: return "header_fields_too_large"
        case 501: return "not_implemented"
        case 503: return "service_unavailable"
        case 505: return "http_version_not_supported"
        default: return "http_\(status)"
        }
    }

    /// Statuses whose responses never carry a body or Content-Length (RFC 9110 §8.6, §15.3.5).
    static func forbidsBody(_ status: Int) -> Bool {
        (100..<200).contains(status) || status == 204 || status == 304
    }
}
