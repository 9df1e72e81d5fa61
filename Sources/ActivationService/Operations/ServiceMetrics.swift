import ActivationEngine
import CoreMetrics
import HTTPServer
import Prometheus
import Synchronization

/// The service's metrics, through swift-metrics with a factory handed in.
///
/// The factory is a parameter, never the global `MetricsSystem`, so that every test gets its
/// own registry and can read exactly what its requests recorded. Names follow Prometheus
/// conventions (`_total` for counters, base units: seconds, elements).
public struct ServiceMetrics: Sendable {
    public let factory: any MetricsFactory
    private let inFlight: Meter
    private let openConnections: Meter
    /// The per-request and per-evaluation metrics, made once per label set and reused: making
    /// one allocates the metric and its labels and takes the registry's lock.
    private let cache = MetricCache()
    /// The elements counters, one per function and dtype at `position * 2 + (float32 0,
    /// float64 1)`, all made at start: counting then takes no lock of ours (a table made on
    /// first use needed one per result, and the workers of a batch contended for it).
    private let elements: [CoreMetrics.Counter]

    public static let requestsLabel = "http_requests_total"
    public static let durationLabel = "http_request_duration_seconds"
    public static let inFlightLabel = "http_requests_in_flight"
    public static let connectionsLabel = "http_open_connections"
    public static let elementsLabel = "activation_elements_evaluated_total"
    public static let errorsLabel = "http_errors_total"
    public static let kernelBuildLabel = "activation_kernel_build_info"
    public static let authFailuresLabel = "http_auth_failures_total"
    public static let certificateExpiryLabel = "tls_certificate_expiry_timestamp_seconds"
    public static let reloadsLabel = "config_reloads_total"
    public static let memoryBudgetLabel = "http_memory_budget_bytes"
    public static let memoryInUseLabel = "http_memory_in_use_bytes"
    public static let memoryPeakLabel = "http_memory_peak_bytes"
    public static let memoryWaitingLabel = "http_memory_waiting_requests"
    public static let memoryRefusedLabel = "http_memory_refused_total"

    public init(factory: any MetricsFactory) {
        self.factory = factory
        inFlight = Meter(label: Self.inFlightLabel, dimensions: [], factory: factory)
        openConnections = Meter(label: Self.connectionsLabel, dimensions: [], factory: factory)
        inFlight.set(0)
        openConnections.set(0)
        elements = ActivationFunction.allCases.flatMap { function in
            [DType.float32, .float64].map { dtype in
                Counter(
                    label: Self.elementsLabel, dimensions: [("function", function.name), ("dtype", dtype.rawValue)],
                    factory: factory)
            }
        }
    }

    /// A Prometheus factory whose request-duration buckets suit a service answering in
    /// microseconds to tens of milliseconds (the library's default starts at 5 ms, where every
    /// small request would fall into the first bucket).
    public static func makePrometheusFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[durationLabel] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        return factory
    }

    /// Marks a request as started; call ``requestFinished(route:method:status:duration:)`` after.
    public func requestStarted() {
        inFlight.increment()
    }

    /// Records one finished request: its count, its duration, and the in-flight gauge.
    public func requestFinished(route: String, method: String, status: HTTPStatus, duration: Duration) {
        inFlight.decrement()
        let labels = RequestLabels(route: route, method: method, status: status.code)
        let metrics = cache.request(labels) ?? cache.insert(labels, (
            Counter(
                label: Self.requestsLabel,
                dimensions: [("route", route), ("method", method), ("status", String(status.code))], factory: factory),
            Timer(label: Self.durationLabel, dimensions: [("route", route)], factory: factory)))
        metrics.requests.increment()
        metrics.duration.recordNanoseconds(duration.nanoseconds)
    }

    /// Counts an error answer by its stable code (server-made ones included).
    public func errorAnswered(code: String) {
        Counter(label: Self.errorsLabel, dimensions: [("code", code)], factory: factory).increment()
    }

    /// Counts the elements each result evaluated (its values, else its gradients) by function and
    /// dtype (labelled with the canonical name and the dtype's name).
    public func elementsEvaluated(_ results: [EvaluationResult]) {
        // By index: `for result in results` would copy each result (and count references).
        for index in results.indices { elementsEvaluated(results[index]) }
    }

    /// Counts the elements one result evaluated (its values, else its gradients) by function
    /// and dtype, found by position, without hashing or a lock of ours (the counter is the
    /// factory's, safe to increment from any thread).
    public func elementsEvaluated(_ result: borrowing EvaluationResult) {
        let count = result.values?.count ?? result.gradients?.count ?? 0
        guard count > 0 else { return }
        elements[result.function.position &* 2 &+ (result.dtype == .float32 ? 0 : 1)].increment(by: count)
    }

    /// Which kernel build evaluates requests, as an info gauge: 1 with the build as a label.
    public func kernelBuild(_ build: String) {
        Gauge(label: Self.kernelBuildLabel, dimensions: [("build", build)], factory: factory).record(1)
    }

    /// Counts a request refused for want of a valid API key; `reason` is `missing` or `invalid`.
    public func authenticationFailed(reason: String) {
        Counter(label: Self.authFailuresLabel, dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// When the certificate served to new connections expires (notAfter, Unix seconds).
    public func certificateExpires(at seconds: Int64) {
        Gauge(label: Self.certificateExpiryLabel, dimensions: [], factory: factory).record(Double(seconds))
    }

    /// Counts one load of a file read while serving: `file` is `tls_certificate` or `api_keys`,
    /// `result` `success` or `failure` (the previous contents then stay in force).
    public func fileReloaded(_ file: String, succeeded: Bool) {
        Counter(
            label: Self.reloadsLabel, dimensions: [("file", file), ("result", succeeded ? "success" : "failure")],
            factory: factory
        ).increment()
    }

    /// The server's memory budget, sampled when metrics are scraped: the budget, bytes reserved
    /// now and at most, requests waiting, and refusals by reason (`never_fits`: 413,
    /// `timed_out`: 503) counted up to the server's totals.
    public func setMemory(_ memory: MemoryBudgetSnapshot, refusedBefore: MemoryBudgetSnapshot) {
        Gauge(label: Self.memoryBudgetLabel, dimensions: [], factory: factory).record(Double(memory.capacity))
        Gauge(label: Self.memoryInUseLabel, dimensions: [], factory: factory).record(Double(memory.inUse))
        Gauge(label: Self.memoryPeakLabel, dimensions: [], factory: factory).record(Double(memory.peak))
        Gauge(label: Self.memoryWaitingLabel, dimensions: [], factory: factory).record(Double(memory.waiting))
        for (reason, now, before) in [
            ("never_fits", memory.refusedNeverFits, refusedBefore.refusedNeverFits),
            ("timed_out", memory.refusedTimedOut, refusedBefore.refusedTimedOut),
        ] {
            let counter = Counter(label: Self.memoryRefusedLabel, dimensions: [("reason", reason)], factory: factory)
            counter.increment(by: max(0, now - before))
        }
    }

    /// The server's count of open connections, sampled when metrics are scraped.
    public func setOpenConnections(_ count: Int) {
        openConnections.set(count)
    }
}

private struct RequestLabels: Hashable {
    let route: String
    let method: String
    let status: Int
}

/// Request metrics by label set, made on first use: the label sets are bounded (route patterns,
/// known methods or "other", status codes), so the table is too. A request
/// metric is made outside the lock on a miss; when two threads miss at once, the first one
/// stored is kept, and both are the factory's metric for the same labels anyway.
private final class MetricCache: Sendable {
    private let requests = Mutex<[RequestLabels: (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)]>([:])
    func request(_ labels: RequestLabels) -> (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)? {
        requests.withLock { $0[labels] }
    }

    func insert(
        _ labels: RequestLabels, _ metrics: (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)
    ) -> (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer) {
        requests.withLock { table in
            if let stored = table[labels] { return stored }
            table[labels] = metrics
            return metrics
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating (a request never lasts 292 years).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
