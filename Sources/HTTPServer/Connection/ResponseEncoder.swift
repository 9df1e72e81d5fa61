/// Turns an `HTTPResponse` into the bytes of one HTTP/1.1 response.
///
/// The server owns framing: it writes `Content-Length` from the body it sends, `Date`, and
/// `Connection`, and drops any of those (and `Transfer-Encoding`) the handler set, so a
/// handler cannot produce a response whose framing disagrees with its body.
enum ResponseEncoder {
    struct Framing {
        /// HEAD: send the headers GET would get, with GET's Content-Length, and no body.
        var isHeadRequest = false
        /// Adds `Connection: close`; the connection closes after this response.
        var closeConnection = false
        /// HTTP/1.0 client that asked for keep-alive: it needs `Connection: keep-alive` back.
        var announceKeepAlive = false
    }

    private static let framingHeaders: [[UInt8]] = ["content-length", "connection", "date", "transfer-encoding"]
        .map { Array($0.utf8) }

    /// The whole response, head and body, appended to `out` (small answers the server makes).
    static func encode(_ response: HTTPResponse, framing: Framing, date: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 160 + response.headers.fields.count * 40
            + (framing.isHeadRequest ? 0 : response.body.count))
        if encodeHead(response, framing: framing, date: date, into: &out) {
            out.append(contentsOf: response.body)
        }
    }

    /// The status line and header section appended to `out`; true when `response.body` must
    /// follow them on the wire (the caller sends it from its own buffer, without a join copy).
    static func encodeHead(_ response: HTTPResponse, framing: Framing, date: [UInt8], into out: inout [UInt8]) -> Bool {
        let status: HTTPStatus = (100...999).contains(response.status.code) ? response.status : .internalServerError
        out.reserveCapacity(out.count + 160 + response.headers.fields.count * 40)
        out.append(contentsOf: "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n".utf8)
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        for field in response.headers.fields where !isFramingHeader(field.name) {
            guard isSafe(field.name), isSafe(field.value) else { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        let bodyAllowed = !status.forbidsBody
        if bodyAllowed {
            out.append(contentsOf: "Content-Length: \(contentLength(of: response, framing: framing))\r\n".utf8)
        }
        if framing.closeConnection {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if framing.announceKeepAlive {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        return bodyAllowed && !framing.isHeadRequest && !response.body.isEmpty
    }

    /// The body's length; for HEAD a handler that skipped building the body may state the
    /// length GET would have (RFC 9110 §9.3.2), which is kept when it is plain digits.
    private static func contentLength(of response: HTTPResponse, framing: Framing) -> Int {
        guard framing.isHeadRequest, response.body.isEmpty,
              let stated = response.headers["Content-Length"], !stated.isEmpty, stated.utf8.count <= 18,
              stated.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(stated)
        else { return response.body.count }
        return length
    }

    /// The interim `100 Continue` (RFC 9110 §15.2.1), sent before reading an expected body.
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// ASCII case-insensitive comparison without allocating (this runs for every header of
    /// every response).
    private static func isFramingHeader(_ name: String) -> Bool {
        let utf8 = name.utf8
        return framingHeaders.contains { candidate in
            candidate.count == utf8.count && zip(candidate, utf8).allSatisfy { $0 == ($1 | 0x20) }
        }
    }

    /// A handler's header text may not contain CR, LF or NUL: that would split the response.
    private static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }
}
