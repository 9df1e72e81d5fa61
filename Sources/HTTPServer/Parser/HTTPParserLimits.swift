/// Every bound the request parser enforces, in one place.
///
/// The defaults are what a careful operator would choose for a JSON API and form a valid
/// configuration on their own; a field set to zero or below is treated as its default, so a
/// half-filled configuration never disables a limit by accident.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line, without its CRLF: 8 KiB by default. Longer gets 414, as soon as
    /// that many bytes have arrived without a line end (a client cannot make us buffer more).
    public var maxRequestLineLength: Int
    /// Longest header section: the field lines with their CRLFs, not counting the request line
    /// or the empty line that ends the section: 16 KiB by default. Longer gets 431, as soon as
    /// it is certain. The trailer section of a chunked body has the same bound.
    public var maxHeaderSectionLength: Int
    /// Most field lines in a header (or trailer) section: 100 by default. More gets 431.
    public var maxHeaderCount: Int
    /// Largest body, after chunked decoding: 64 MiB by default. Larger gets 413 before the body
    /// is read (Content-Length), or as soon as a chunk size carries the total past it.
    public var maxBodyLength: Int
    /// Longest chunk-size line with its extensions, without CRLF: 4 KiB by default. Longer gets
    /// 400: extensions carry nothing we use, and an endless one would otherwise be buffered.
    public var maxChunkLineLength: Int

    public static let defaultMaxRequestLineLength = 8 * 1024
    public static let defaultMaxHeaderSectionLength = 16 * 1024
    public static let defaultMaxHeaderCount = 100
    public static let defaultMaxBodyLength = 64 * 1024 * 1024
    public static let defaultMaxChunkLineLength = 4 * 1024

    public init(
        maxRequestLineLength: Int = defaultMaxRequestLineLength,
        maxHeaderSectionLength: Int = defaultMaxHeaderSectionLength,
        maxHeaderCount: Int = defaultMaxHeaderCount,
        maxBodyLength: Int = defaultMaxBodyLength,
        maxChunkLineLength: Int = defaultMaxChunkLineLength
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderSectionLength = maxHeaderSectionLength
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyLength = maxBodyLength
        self.maxChunkLineLength = maxChunkLineLength
    }

    /// The limits with every non-positive field replaced by its default (a body limit of zero
    /// is kept: it is a meaningful "no bodies" setting).
    var normalized: HTTPParserLimits {
        HTTPParserLimits(
            maxRequestLineLength: maxRequestLineLength > 0 ? maxRequestLineLength : Self.defaultMaxRequestLineLength,
            maxHeaderSectionLength: maxHeaderSectionLength > 0
                ? maxHeaderSectionLength : Self.defaultMaxHeaderSectionLength,
            maxHeaderCount: maxHeaderCount > 0 ? maxHeaderCount : Self.defaultMaxHeaderCount,
            maxBodyLength: maxBodyLength >= 0 ? maxBodyLength : Self.defaultMaxBodyLength,
            maxChunkLineLength: maxChunkLineLength > 0 ? maxChunkLineLength : Self.defaultMaxChunkLineLength
        )
    }
}
