/// Content codings around the handler, on the worker that runs it (never on an I/O thread:
/// inflating or deflating a large body takes milliseconds to hundreds of them).
///
/// Requests: a body sent with `Content-Encoding` (RFC 9110 §8.4) is decoded before the handler
/// sees it, coding by coding in the reverse of the listed order. The handler gets the decoded
/// body with no `Content-Encoding` field and, when the request had one, a `Content-Length`
/// that states the decoded length, so the request reads as if it had been sent unencoded.
/// Each decoded stage is capped at `parserLimits.maxBodyLength`, the limit the body would
/// have met unencoded. What cannot be decoded is answered through `errorResponder` and the
/// connection stays open (the encoded body was framed correctly and read in full):
/// - 415 with `Accept-Encoding: gzip, deflate` for an unknown coding or more than
///   `ContentEncodingField.maxCodings` of them (RFC 9110 §15.5.16, §12.5.3);
/// - 413 as soon as the decoded body passes the limit;
/// - 400 for corrupt or truncated data, or bytes after the end of the coded data.
/// An empty body has nothing to decode; its codings are still checked.
///
/// Responses: `HTTPServerConfiguration.responseCompression` decides (see
/// `HTTPResponseCompression`); it applies to the server's 4xx answers here too.
extension ServerContext {
    func respond(to request: HTTPRequest) -> HTTPResponse {
        var response: HTTPResponse
        // Nearly every request has no coding to undo: it goes to the handler as it is, without
        // the copy of the request (a reference counted for each of its strings and lists)
        // that decoding in place starts with.
        if request.headers["Content-Encoding"] == nil {
            response = handler.handle(request)
            configuration.responseCompression.apply(to: &response, for: request)
            return response
        }
        var decoded = request
        switch Self.decodeBody(of: &decoded, limit: configuration.parserLimits.maxBodyLength) {
        case .success:
            response = handler.handle(decoded)
        case .failure(let error):
            response = errorResponse(status: error.status, message: error.message, path: request.path)
            if case .unsupported = error {
                response.headers.replaceOrAdd(name: "Accept-Encoding", value: HTTPContentCoding.acceptedList)
            }
        }
        configuration.responseCompression.apply(to: &response, for: decoded)
        return response
    }

    /// Undoes the request's content codings in place; on failure the request is unchanged.
    static func decodeBody(of request: inout HTTPRequest, limit: Int) -> Result<Void, ContentDecodingError> {
        let fields = request.headers.values(for: "Content-Encoding")
        guard !fields.isEmpty else { return .success(()) }
        let codings: [HTTPContentCoding]
        switch ContentEncodingField.codings(fields) {
        case .success(let listed): codings = listed
        case .failure(let error): return .failure(error)
        }
        var body = request.body
        if !body.isEmpty {
            for coding in codings.reversed() {
                switch ZlibCodec.decode(body, coding: coding, limit: limit) {
                case .success(let decoded): body = decoded
                case .failure(let error): return .failure(error)
                }
            }
        }
        let hadLength = request.headers["Content-Length"] != nil
        var headers = HTTPHeaders(request.headers.fields.filter {
            !HTTPByteClass.namesEqual($0.name, "Content-Encoding") && !HTTPByteClass.namesEqual($0.name, "Content-Length")
        })
        if hadLength { headers.add(name: "Content-Length", value: String(body.count)) }
        request.headers = headers
        request.body = body
        return .success(())
    }
}
