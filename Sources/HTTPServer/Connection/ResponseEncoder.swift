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
        // Every response's head is written here: bytes are appended straight from the strings'
        // UTF-8 storage and numbers as digits, with no interpolated intermediate strings.
        append("HTTP/1.1 ", to: &out)
        appendDecimal(status.code, to: &out)
        out.append(0x20)
        appendUTF8(status.reasonPhrase, to: &out)
        append("\r\nDate: ", to: &out)
        out.append(contentsOf: date)
        append("\r\n", to: &out)
        for field in response.headers.fields where !isFramingHeader(field.name) {
            // Appended first, then checked in place (a pointer loop over the bytes just written,
            // not an iteration of each string): a field that would split the response is taken
            // back out.
            let start = out.count
            appendUTF8(field.name, to: &out)
            append(": ", to: &out)
            appendUTF8(field.value, to: &out)
            if !isSafe(out, from: start) {
                out.removeSubrange(start...)
                continue
            }
            append("\r\n", to: &out)
        }
        let bodyAllowed = !status.forbidsBody
        if bodyAllowed {
            append("Content-Length: ", to: &out)
            appendDecimal(contentLength(of: response, framing: framing), to: &out)
            append("\r\n", to: &out)
        }
        if framing.closeConnection {
            append("Connection: close\r\n", to: &out)
        } else if framing.announceKeepAlive {
            append("Connection: keep-alive\r\n", to: &out)
        }
        append("\r\n", to: &out)
        return bodyAllowed && !framing.isHeadRequest && !response.body.isEmpty
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string's UTF-8 bytes, from its contiguous storage when it has one (native strings do).
    private static func appendUTF8(_ text: String, to out: inout [UInt8]) {
        let utf8 = text.utf8
        if utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: utf8)
        }
    }

    /// A non-negative integer in decimal, no sign, no leading zeros (a negative one, which no
    /// caller passes, is written as 0).
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: Int.max has 19 digits
        var rest = UInt64(max(0, value))
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
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
        // The lengths of the four names: most headers are none of them.
        switch utf8.count {
        case 4, 10, 14, 17: break
        default: return false
        }
        return framingHeaders.contains { candidate in
            candidate.count == utf8.count && zip(candidate, utf8).allSatisfy { $0 == ($1 | 0x20) }
        }
    }

    /// A handler's header text may not contain CR, LF or NUL: that would split the response.
    /// Checks `out[start...]`, the field just appended (name, ": ", value).
    private static func isSafe(_ out: [UInt8], from start: Int) -> Bool {
        out.withUnsafeBufferPointer { bytes in
            for index in start..<bytes.count {
                let byte = bytes[index]
                if byte == 13 || byte == 10 || byte == 0 { return false }
            }
            return true
        }
    }
}
