/// How the worker pool orders requests that wait for a worker: by their expected cost, so
/// that small requests do not queue behind large ones, with aging so that none waits forever.
///
/// Goals, in order:
/// 1. No starvation, provably: a waiting request is overtaken by a bounded number of requests
///    that arrive after it, whatever the load (`costPerPlace`, `maxOvertaking`).
/// 2. A small request does not wait for large ones, neither queued nor running
///    (`smallCost`, `expressWorkerCount`).
/// 3. Throughput of large requests stays what it was: they still get every regular worker.
///
/// The policy, shortest-expected-job-first with aging counted in arrivals:
/// - Each request gets a cost from `cost` on its I/O thread once its body has arrived, before
///   any work on it starts (body decoding included), and a place in a priority queue:
///   `key = arrival number + delay`, where `delay = min(cost / costPerPlace, maxOvertaking)`.
///   Waiting requests start in key order, ties in arrival order. A request that waits can
///   therefore be overtaken only by requests that arrived fewer than `delay` arrivals after it
///   (at most `delay - 1` of them); requests of equal delay keep their arrival order.
/// - `workerCount` regular workers take the first waiting request in key order, large or small.
/// - `expressWorkerCount` more workers take only small requests (cost ≤ `smallCost`), also in
///   key order: when every regular worker is busy with large work, a small request still
///   starts at once, and the kernel shares the cores between it and the large ones. Small
///   work is short, so the oversubscription is brief.
///
/// Limits: the cost is an estimate made before the body is understood (by default its length);
/// a request that is cheap to send and costly to compute (a short body naming huge work) is
/// scheduled as small unless `cost` knows better. Aging counts arrivals, not time: with no new
/// arrivals nothing overtakes, so the bound is on reordering, not on waiting time, which
/// still grows with the work ahead. One request at a time per connection (HTTP/1.1 without
/// pipelined handling), so a connection's own requests are never reordered.
public struct HTTPScheduling: Sendable {
    /// A request's expected cost in bytes-equivalent units, computed on the I/O thread when the
    /// request is complete and before any work on it starts; keep it cheap. A handler that
    /// knows its routes refines it (the request's method, path and headers are all there).
    /// Default `bodySize`.
    public var cost: @Sendable (HTTPRequest) -> Int = HTTPScheduling.bodySize
    /// Cost up to which a request is small and may use the express workers. Default 16 KiB,
    /// a request body of about a thousand numbers: well under a millisecond of work.
    public var smallCost: Int = 16 << 10
    /// Workers beyond `workerCount` that run only small requests. Default: the processor count,
    /// so small work can get as much of the cores as large work while both wait. 0 turns the
    /// express lane off.
    public var expressWorkerCount: Int = HTTPServerConfiguration.processorCount
    /// Cost worth one place of delay in the queue. Default 4 KiB: a 1.2 MB body lets about
    /// 300 later arrivals go first, a 300-byte one none.
    public var costPerPlace: Int = 4 << 10
    /// Most later arrivals that may overtake any request. Default 1024.
    public var maxOvertaking: Int = 1024

    /// Cost up to which a request that `mayRunInline` allows is handled on its I/O thread
    /// itself, right after it is read, instead of crossing to a worker and back: no thread
    /// hand-off, no wake-up. 0 (the default) sends every request to the pool, which is the
    /// only safe choice for handlers that may block (a handler run inline holds up every
    /// connection of its I/O thread while it runs). `defaultInlineCost` suits handlers that
    /// compute from the body alone at about 10 ns per byte: some 150 us at most.
    public var inlineCost: Int = 0
    /// Which requests may run inline at all (when their cost allows). Default: none.
    public var mayRunInline: @Sendable (HTTPRequest) -> Bool = { _ in false }
    /// Most cost an I/O thread handles inline in one round of its event loop (one
    /// `epoll_wait` and the events it returned); past it, requests go to the pool until the
    /// next round. This bounds how long the connections of one I/O thread wait for the inline
    /// work of others: 64 KiB, about 0.7 ms at 10 ns per byte.
    public var inlineCostPerRound: Int = 64 << 10
    /// Inline handling only in rounds whose `epoll_wait` returned at most this many ready
    /// events. With few connections ready, a hand-off to a worker means waking a sleeping
    /// thread per request (a third of a small request's CPU at 4 connections); with many,
    /// the workers stay awake, taking queued work back to back, and spread it over the
    /// cores while the I/O thread keeps reading, which run inline would serialise on it.
    /// Default 4.
    public var inlineReadyEventsPerRound: Int = 4

    /// Nice value added to the regular workers' threads (Linux, 0 to 19): they run the large
    /// requests, and at a lower priority than the I/O threads and express workers the kernel
    /// runs short work first when the cores are short, instead of sharing time slices equally.
    /// It only matters under contention: alone, large work still gets every idle core.
    /// Default 10 (weight 110 against 1024 for the rest of the process). 0 turns it off.
    public var regularWorkerNice: Int = 10

    /// A request cost of 16 KiB (`smallCost`): bodies of about a thousand numbers.
    public static let defaultInlineCost = 16 << 10

    public init() {}

    /// The cost an I/O thread may run inline in a round whose wait returned `readyEvents`.
    func inlineAllowance(readyEvents: Int) -> Int {
        inlineCost > 0 && readyEvents <= inlineReadyEventsPerRound ? max(0, inlineCostPerRound) : 0
    }

    /// Whether `request`, costing `cost`, may be handled on its I/O thread.
    func runsInline(_ request: HTTPRequest, cost: Int) -> Bool {
        inlineCost > 0 && cost <= inlineCost && request.headers["Content-Encoding"] == nil && mayRunInline(request)
    }

    /// Arrival order, whatever the cost, and no express workers: the server's behaviour
    /// before cost-aware scheduling, kept for comparison and for operators who want it.
    public static var arrivalOrder: HTTPScheduling {
        var scheduling = HTTPScheduling()
        scheduling.maxOvertaking = 0
        scheduling.expressWorkerCount = 0
        scheduling.regularWorkerNice = 0
        scheduling.inlineCost = 0
        return scheduling
    }

    /// Weight of a body sent with a `Content-Encoding`: it still has to be inflated, and
    /// JSON number arrays typically deflate 3 to 5 times.
    public static let encodedBodyWeight = 4

    /// The default cost: the body's length (Content-Length, or the chunked total), times
    /// `encodedBodyWeight` when the body is compressed.
    public static let bodySize: @Sendable (HTTPRequest) -> Int = { request in
        let encoded = request.headers["Content-Encoding"] != nil
        let (weighted, overflow) = request.body.count.multipliedReportingOverflow(by: encoded ? encodedBodyWeight : 1)
        return overflow ? Int.max : weighted
    }

    /// The queue delay of work costing `cost`: the places later arrivals may overtake it by.
    func delay(forCost cost: Int) -> Int {
        guard cost > 0 else { return 0 }
        return min(cost / max(1, costPerPlace), max(0, maxOvertaking))
    }

    func isSmall(_ cost: Int) -> Bool { cost <= smallCost }
}
