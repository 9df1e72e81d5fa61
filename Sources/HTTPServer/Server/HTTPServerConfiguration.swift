#if canImport(Glibc)
import Glibc
#endif

/// Everything an operator can tune about the server, in one place.
///
/// Every field has a default a careful operator would choose, and `HTTPServerConfiguration()`
/// is a valid configuration (Go's `http.Server` does the same: zero means the default).
/// Durations are Swift `Duration`s; byte counts are `Int`s.
public struct HTTPServerConfiguration: Sendable {
    /// Address to listen on: "0.0.0.0" (every IPv4 interface), "::" (every IPv6 and, on
    /// Linux's default, IPv4-mapped), or one address. Default "127.0.0.1": exposure is opt-in.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 lets the kernel pick a free one, reported by `HTTPServer.port`. Default 8080.
    public var port: Int = 8080
    /// `listen(2)` backlog. Default 1024: bursts of connects wait in the kernel, not refused.
    public var backlog: Int32 = 1024

    /// Request-line, header and body limits enforced by the parser (8 KiB, 16 KiB, 100, 64 MiB).
    public var parserLimits = HTTPParserLimits()

    /// Time from a request's first byte (or the connection's accept) to its complete head.
    /// Default 10 s: long enough for slow links, short enough that slow-loris clients
    /// cannot hold connections. Expiry answers 408 and closes.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Longest pause allowed between two reads of a request body. Default 30 s; 408 and close.
    public var bodyProgressTimeout: Duration = .seconds(30)
    /// How long a keep-alive connection may sit between requests. Default 60 s; closed silently.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest pause allowed while a response is being written. Default 30 s; then closed.
    public var writeTimeout: Duration = .seconds(30)
    /// Unsent response bytes above which a client that stops reading is cut off sooner.
    /// Default 4 MiB: below it a slow client has `writeTimeout`; above it `stalledWriteTimeout`.
    public var writeBufferLimit: Int = 4 << 20
    /// Longest pause allowed while more than `writeBufferLimit` bytes wait to be sent.
    /// Default 5 s: a client that stops reading a large response does not pin its memory.
    public var stalledWriteTimeout: Duration = .seconds(5)
    /// Pipelined bytes the server buffers beyond the request being handled before it stops
    /// reading the socket (TCP flow control then pushes back on the client). Default 64 KiB.
    public var maxPipelinedBytes: Int = 64 << 10
    /// How long the server drains a client's input after an error response and a half-close,
    /// so the client reads the response instead of a reset. Default 1 s.
    public var errorLingerTimeout: Duration = .seconds(1)

    /// The process-wide memory budget in bytes: request bodies as they arrive, the working set
    /// `workingSetEstimate` says their handling needs, and answers being written are counted
    /// against it (see `MemoryBudget`). Default: 3/4 of the cgroup memory limit (v2
    /// `memory.max`, else v1 `memory.limit_in_bytes`), or 1/2 of physical memory when no
    /// cgroup limits the process (`MemoryLimit`); zero or below means that default.
    public var memoryBudget: Int = MemoryLimit.processDefaultBudget
    /// How long a request that does not fit in the budget waits, its connection's reads paused
    /// (TCP flow control holds the client back), for memory to be released. Default 10 s; then
    /// 503 with `Retry-After` and close. A request that could never fit is answered 413 at once.
    public var memoryWaitTimeout: Duration = .seconds(10)
    /// The `Retry-After` seconds of that 503. Default 2.
    public var memoryRetryAfterSeconds: Int = 2
    /// The memory a request with a body needs beyond its body bytes, from its head and its body
    /// length (Content-Length, or for a chunked body the bytes announced so far). The service
    /// supplies it, since only it knows what a body becomes (tensors, results, the answer);
    /// it should be an upper bound. Default: 0 (only the body is counted).
    public var workingSetEstimate: @Sendable (_ head: HTTPRequestHead, _ bodyLength: Int) -> Int = { _, _ in 0 }

    /// Open connections allowed at once. Default 10,000; never more than the process's
    /// `RLIMIT_NOFILE` soft limit minus `descriptorReserve` (see `effectiveMaxConnections`).
    /// Connections beyond it get a 503 and are closed; the others are served as usual.
    public var maxConnections: Int = 10_000
    /// Descriptors kept free for files, the listener and logging. Default 64.
    public var descriptorReserve: Int = 64
    /// I/O threads, each with its own epoll set; connections are spread over them.
    /// Default: the active processor count (I/O threads only parse and copy bytes).
    public var ioThreadCount: Int = HTTPServerConfiguration.processorCount
    /// Handlers running at once. Default: the machine's active processor count.
    public var workerCount: Int = HTTPServerConfiguration.processorCount
    /// The order in which requests waiting for a worker start: by expected cost with aging,
    /// plus express workers for small requests (`HTTPScheduling`). `.arrivalOrder` is first
    /// come, first served.
    public var scheduling = HTTPScheduling()

    /// Response bodies compressed with gzip or deflate when the request's Accept-Encoding
    /// asks for it. Default: on, from 1 KiB, zlib level 1 (see `HTTPResponseCompression`);
    /// `.disabled` turns it off. Request bodies sent with Content-Encoding gzip, x-gzip or
    /// deflate are always decoded for the handler, within `parserLimits.maxBodyLength`.
    public var responseCompression = HTTPResponseCompression()

    /// HTTPS when set: certificate and key in PEM, the TLS profile, how often the files are
    /// checked for renewal. Default nil (plain HTTP).
    public var tls: TLSConfiguration?
    /// Called after every load of the TLS certificate and key: at `HTTPServer.init`, on
    /// `reloadTLS()`, and when the watched files change; on a failure the previous pair stays
    /// in service. The service logs these and exports the certificate's expiry. Default nil.
    public var onTLSReload: (@Sendable (TLSReloadEvent) -> Void)?
    /// Time allowed for a TLS handshake to complete. Default 10 s; then closed.
    public var tlsHandshakeTimeout: Duration = .seconds(10)

    /// Builds the body of every response the server makes itself (400, 408, 413, 414, 415,
    /// 417, 431, 501, 503, 505, and the router's 404/405). The service installs its JSON error
    /// shape here; `code` is a stable snake_case name such as "payload_too_large"; `path` is the
    /// request's path when its head was read (a 413 or an undecodable body), nil when the
    /// request line itself failed, so a handler that speaks several protocols can answer in
    /// the one the path belongs to. Default: `text/plain` with the message.
    public var errorResponder: HTTPErrorResponder = HTTPServerConfiguration.plainTextError

    /// Called once when the server starts draining (`beginDraining()` or `shutdown(grace:)`),
    /// before it stops accepting: the service marks itself not ready here. Default nil.
    public var onDraining: (@Sendable () -> Void)?

    public init() {}

    /// The default `errorResponder`: the message as one line of plain text.
    public static let plainTextError: HTTPErrorResponder = { status, _, message, _ in
        HTTPResponse(
            status: status,
            headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
            body: Array((message + "\n").utf8)
        )
    }

    /// Online processors, at least 1.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `memoryBudget`, or its default when zero or below.
    public var effectiveMemoryBudget: Int { memoryBudget > 0 ? memoryBudget : MemoryLimit.processDefaultBudget }

    /// `maxConnections` capped at the descriptor soft limit minus `descriptorReserve`.
    public var effectiveMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return max(1, maxConnections)
        }
        let available = Int(clamping: limit.rlim_cur) - descriptorReserve
        return max(1, min(maxConnections, available))
    }
}

/// Shapes an error the server or the router makes itself: status, stable code, message, and
/// the request's path when it is known.
public typealias HTTPErrorResponder = @Sendable (
    _ status: HTTPStatus, _ code: String, _ message: String, _ path: String?
) -> HTTPResponse
