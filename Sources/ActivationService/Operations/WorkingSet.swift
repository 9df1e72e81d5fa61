import HTTPServer

/// What handling a request body holds besides the body itself: the server's admission hook
/// (`HTTPServerConfiguration.workingSetEstimate`). It is an upper bound from what is known
/// before the body is read (path, headers, length), so admission never lets a mix of requests
/// past the budget.
///
/// Per number an evaluation holds at most (float64, the wider dtype, both outputs):
/// - 8 bytes of input storage (numbers are parsed straight into the tensor),
/// - 16 bytes of results (values and gradients),
/// - 2 × 25 bytes of answer text (the longest shortest float64, `-2.2250738585072014e-308`,
///   with its comma),
/// so `bytesPerNumber` = 74. A JSON body of B bytes holds at most B/2 numbers (a digit and a
/// comma each), a binary tensor at most B/4 (float32), and never more than `maxElements`
/// (refused with 422 once passed). A body in a content coding is bounded by what it may decode
/// to (`maxBodyLength`, and 1032 times its coded length), which is also counted, since the
/// decoded copy exists beside it.
///
/// Peak per request, then: `B + 74 × min(maxElements, B/2)` for `/v1/activate` (docs/deploy.md
/// gives the measured figures next to it). Routes whose bodies are not tensors count the body
/// twice (one decoded copy); unknown routes only the body (they are refused unread).
public struct WorkingSet: Sendable {
    public static let bytesPerNumber = 74
    /// deflate's largest expansion: 1032 output bytes for one input byte.
    public static let deflateExpansion = 1032

    public var maxElements: Int
    /// The server's body limit: what a compressed body may decode to.
    public var maxBodyLength: Int

    public init(maxElements: Int, maxBodyLength: Int) {
        self.maxElements = maxElements
        self.maxBodyLength = maxBodyLength
    }

    /// For `HTTPServerConfiguration.workingSetEstimate`.
    public var estimate: @Sendable (HTTPRequestHead, Int) -> Int {
        let bound = self
        return { head, bodyLength in bound.bytes(for: head, bodyLength: bodyLength) }
    }

    /// The bound for one request with a body of `bodyLength` bytes.
    public func bytes(for head: HTTPRequestHead, bodyLength: Int) -> Int {
        guard head.method == .post else { return 0 }
        let encoded = !(head.headers["Content-Encoding"]?.isEmpty ?? true)
        // A coded body is bounded by what it may decode to, and that copy is held too.
        // deflate expands at most about 1032-fold (zlib's technical notes), so a small coded
        // body is not charged the whole body limit.
        let expanded = bodyLength.multipliedReportingOverflow(by: Self.deflateExpansion)
        let decoded = encoded ? min(max(bodyLength, maxBodyLength), expanded.overflow ? Int.max : expanded.partialValue)
            : bodyLength
        let extra = encoded ? decoded : 0
        let numbers: Int
        if head.path == "/v1/activate" {
            numbers = (decoded + 1) / 2
        } else if head.path.hasPrefix("/v2/models/") && head.path.hasSuffix("/infer") {
            let jsonLength = head.headers["Inference-Header-Content-Length"].flatMap { Int($0) }
                .map { min(max(0, $0), decoded) } ?? decoded
            numbers = (jsonLength + 1) / 2 + (decoded - jsonLength) / 4
        } else {
            return extra + decoded
        }
        let (scaled, overflow) = min(maxElements, numbers).multipliedReportingOverflow(by: Self.bytesPerNumber)
        return overflow ? Int.max / 2 : extra + scaled
    }
}
