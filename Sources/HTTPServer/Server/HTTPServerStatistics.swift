import Synchronization

/// Counters a service exports as metrics; a consistent-enough snapshot, read at any time.
public struct HTTPServerStatistics: Sendable, Equatable {
    /// Connections accepted and admitted (below the cap) since start.
    public var accepted: Int
    /// Admitted connections closed since start, for any reason.
    public var closed: Int
    /// Connections refused with 503 because the cap was reached.
    public var rejectedAtCapacity: Int
    /// Responses produced by the handler.
    public var responses: Int
    /// Requests refused by the parser (400, 413, 414, 417, 431, 501, 505).
    public var parseErrors: Int
    /// Requests that timed out while being read (408).
    public var timeouts: Int
    /// Requests handled on their I/O thread rather than by a worker (`HTTPScheduling.inlineCost`).
    public var handledInline: Int = 0
    /// Body bytes read from the socket straight into the body's final buffer (no copy).
    public var bodyBytesReadInPlace: Int = 0

    /// Connections open now (accepted minus closed).
    public var open: Int { accepted - closed }
}

/// Lock-free counters behind `HTTPServerStatistics`, bumped from the I/O threads.
final class StatisticsCounters: Sendable {
    private let accepted = Atomic<Int>(0)
    private let closed = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)
    private let responses = Atomic<Int>(0)
    private let parseErrors = Atomic<Int>(0)
    private let timeouts = Atomic<Int>(0)
    private let inline = Atomic<Int>(0)
    private let inPlace = Atomic<Int>(0)

    func recordAccepted() { accepted.add(1, ordering: .relaxed) }
    func recordClosed() { closed.add(1, ordering: .relaxed) }
    func recordRejected() { rejected.add(1, ordering: .relaxed) }
    func recordResponse() { responses.add(1, ordering: .relaxed) }
    func recordParseError() { parseErrors.add(1, ordering: .relaxed) }
    func recordTimeout() { timeouts.add(1, ordering: .relaxed) }
    func recordInline() { inline.add(1, ordering: .relaxed) }
    func recordReadInPlace(_ bytes: Int) { inPlace.add(bytes, ordering: .relaxed) }

    var snapshot: HTTPServerStatistics {
        HTTPServerStatistics(
            accepted: accepted.load(ordering: .relaxed),
            closed: closed.load(ordering: .relaxed),
            rejectedAtCapacity: rejected.load(ordering: .relaxed),
            responses: responses.load(ordering: .relaxed),
            parseErrors: parseErrors.load(ordering: .relaxed),
            timeouts: timeouts.load(ordering: .relaxed),
            handledInline: inline.load(ordering: .relaxed),
            bodyBytesReadInPlace: inPlace.load(ordering: .relaxed)
        )
    }
}
