/// When and how the server compresses response bodies (RFC 9110 §8.4, §12.5.3), part of
/// `HTTPServerConfiguration`.
///
/// A response is compressed when all of these hold:
/// - `isEnabled`, and `appliesTo(request, response)`;
/// - its status allows a body (not 1xx, 204, 304) and it is not a 206 or a `Content-Range`
///   part (a range is of the unencoded representation);
/// - it has no `Content-Encoding` of its own (the handler already chose);
/// - its body is at least `minimumBodyBytes`;
/// - the request's `Accept-Encoding` prefers gzip or deflate to identity (see `AcceptEncoding`);
/// - the compressed body is smaller than the body.
///
/// A response that passes every test but the last two depended on `Accept-Encoding`, so it
/// gets `Vary: Accept-Encoding` (RFC 9110 §12.5.5) whichever coding it was sent with; one
/// that fails an earlier test would be sent the same way to every client and gets no Vary.
/// A compressed response has `Content-Encoding: gzip` or `deflate` (exactly these tokens:
/// tritonclient compares them as strings), its `Content-Length` is the compressed length, and
/// a strong `ETag` becomes weak (the bytes differ from those of the unencoded representation,
/// RFC 9110 §8.8.1). HEAD is answered with the headers GET would get, Content-Length included,
/// as the body is compressed before the server drops it.
public struct HTTPResponseCompression: Sendable {
    /// Compress at all. Default true. Turn it off when a proxy in front compresses, or to
    /// spend no CPU on it.
    public var isEnabled: Bool = true

    /// Bodies smaller than this are sent as they are. Default 1 KiB: below it the headers
    /// outweigh the saving, and gzip's framing (18 bytes) eats most of it.
    public var minimumBodyBytes: Int = 1024

    /// zlib level, 1 (fastest) to 9 (smallest). Default 1. Measured on the service's answer
    /// to a 65,536-element gelu request (2.5 MiB of JSON values and gradients; zlib 1.2.13, one
    /// core): level 1 sends 48.6 % of the bytes in 30 ms (84 MiB/s), level 6 45.4 % in 209 ms
    /// (12 MiB/s). Three points of size are not worth seven times the CPU on a 2-core service
    /// whose cores compute activations; the 0.96 MiB relu answer shows the same (36.9 % in
    /// 10 ms against 33.0 % in 60 ms).
    public var level: Int = 1

    /// Decides per response whether compression may apply, given the request as the handler
    /// saw it. Default: always. A service restricts it here when a client advertises codings
    /// it does not decode on every route: `tritonclient.http.aio` sends aiohttp's default
    /// `Accept-Encoding: gzip, deflate` on every call but decodes only inference answers.
    public var appliesTo: @Sendable (_ request: HTTPRequest, _ response: HTTPResponse) -> Bool = { _, _ in true }

    public init() {}

    /// A configuration that never compresses.
    public static var disabled: HTTPResponseCompression {
        var compression = HTTPResponseCompression()
        compression.isEnabled = false
        return compression
    }

    /// Applies the rules above to `response`, the answer to `request`.
    func apply(to response: inout HTTPResponse, for request: HTTPRequest) {
        guard isEnabled, response.body.count >= max(minimumBodyBytes, 1),
              !response.status.forbidsBody, response.status != 206,
              response.headers["Content-Range"] == nil,
              HTTPConnectionSemantics.listElements(response.headers.values(for: "Content-Encoding")).isEmpty,
              appliesTo(request, response)
        else { return }
        Self.addVary(to: &response.headers)
        // Most API clients send no Accept-Encoding (wrk, curl without --compressed): identity,
        // decided without collecting or parsing anything.
        guard request.headers["Accept-Encoding"] != nil,
              let coding = AcceptEncoding.preferredCoding(request.headers.values(for: "Accept-Encoding")),
              let encoded = ZlibCodec.encode(response.body, coding: coding, level: level)
        else { return }
        response.body = encoded
        response.headers.replaceOrAdd(name: "Content-Encoding", value: coding.rawValue)
        if let etag = response.headers["ETag"], etag.hasPrefix("\"") {
            response.headers.replaceOrAdd(name: "ETag", value: "W/" + etag)
        }
    }

    /// Adds Accept-Encoding to the response's Vary list, unless it is there or the list is `*`.
    static func addVary(to headers: inout HTTPHeaders) {
        // No Vary yet (the usual case): the list is this one element.
        guard headers["Vary"] != nil else {
            headers.add(name: "Vary", value: "Accept-Encoding")
            return
        }
        let values = headers.values(for: "Vary")
        let elements = HTTPConnectionSemantics.listElements(values)
        if elements.contains("*") || elements.contains("accept-encoding") { return }
        let existing = values.map { HTTPConnectionSemantics.trimOWS(Array($0.utf8)[...]) }.filter { !$0.isEmpty }
        let joined = (existing.map { String(decoding: $0, as: UTF8.self) } + ["Accept-Encoding"]).joined(separator: ", ")
        headers.replaceOrAdd(name: "Vary", value: joined)
    }
}
