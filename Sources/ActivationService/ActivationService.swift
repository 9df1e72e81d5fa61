import ActivationEngine
import HTTPServer
import Logging
import Prometheus
import Synchronization

/// The service: the route table on the server's router, wrapped in what every request gets:
/// a request id, a log line, metrics, and `Connection: close` while draining.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// let service = ActivationService(
///     logger: logger, metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
/// var configuration = HTTPServerConfiguration()
/// configuration.errorResponder = service.errorResponder
/// configuration.onDraining = { service.lifecycle.startDraining() }
/// let server = try HTTPServer(configuration: configuration, handler: service)
/// service.connectionCounter = { server.openConnectionCount }
/// ```
public final class ActivationService: HTTPHandler {
    public let configuration: ServiceConfiguration
    public let lifecycle = Lifecycle()
    public let metrics: ServiceMetrics
    private let logger: Logger
    private let router: HTTPRouter
    private let counter = CounterSlot()

    public init(
        configuration: ServiceConfiguration = ServiceConfiguration(), logger: Logger,
        metricsFactory: PrometheusMetricsFactory, registry: PrometheusCollectorRegistry
    ) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ServiceMetrics(factory: metricsFactory)
        self.metrics = metrics
        metrics.kernelBuild(configuration.kernels.rawValue)
        let responder = Self.makeErrorResponder(metrics: metrics)
        var router = HTTPRouter(errorResponder: responder)
        let activate = ActivateRoute(configuration: configuration, metrics: metrics)
        let functions = FunctionsRoute()
        let counter = self.counter
        let operations = OperationsRoutes(
            lifecycle: lifecycle, metrics: metrics, registry: registry, version: configuration.version,
            openConnections: { counter.read() })
        router.add("POST", "/v1/activate") { request, _ in Self.answer(metrics) { () throws(ServiceError) in try activate.handle(request) } }
        router.add("GET", "/v1/functions") { request, _ in Self.answer(metrics) { () throws(ServiceError) in try functions.list(request) } }
        router.add("GET", "/v1/functions/{name}") { _, parameters in
            Self.answer(metrics) { () throws(ServiceError) in try functions.function(named: parameters["name"] ?? "") }
        }
        router.add("GET", "/healthz") { _, _ in operations.health() }
        router.add("GET", "/readyz") { _, _ in operations.readiness() }
        router.add("GET", "/metrics") { _, _ in operations.metricsText() }
        router.add("GET", "/openapi.yaml") { _, _ in operations.openAPI() }
        self.router = router
        errorResponder = responder
    }

    /// For `HTTPServerConfiguration.errorResponder`: the server's own errors (400, 408, 413,
    /// 414, 431, 501, 503, 505) in the service's JSON shape, counted by code.
    public let errorResponder: @Sendable (Int, String, String) -> HTTPResponse

    /// Where `/metrics` reads the number of open connections (the server, once created).
    public var connectionCounter: (@Sendable () -> Int)? {
        get { counter.provider.withLock { $0 } }
        set { counter.provider.withLock { $0 = newValue } }
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let start = ContinuousClock.now
        metrics.requestStarted()
        let requestID = RequestID.resolve(request.headers["X-Request-Id"])
        let route = Self.routeLabel(request.path)
        var response = router.handle(request)
        if response.status == 501, let allowed = Self.allowedMethods[route] {
            // A method no route uses, on a path that exists: for this resource the method is
            // simply not allowed, and 405 with `Allow` tells the client what is (a 5xx would
            // blame the server for the client's choice of method).
            metrics.errorAnswered(code: ServiceError.Code.methodNotAllowed.rawValue)
            response = ServiceError.methodNotAllowed(method: request.method, allowed: allowed).response
            response.headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
        }
        response.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
        if lifecycle.current == .draining {
            // Keep-alive clients should reconnect elsewhere; the server may also close itself.
            response.headers.replaceOrAdd(name: "Connection", value: "close")
        }
        let duration = ContinuousClock.now - start
        metrics.requestFinished(route: route, method: request.method, status: response.status, duration: duration)
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.path)", "status": "\(response.status)",
                "bytes": "\(response.body.count)",
                "duration_ms": "\(Double(duration.nanoseconds) / 1e6)", "request_id": "\(requestID)",
            ])
        return response
    }

    /// The methods each route pattern answers (HEAD wherever GET is), for `Allow`.
    static let allowedMethods: [String: [String]] = [
        "/v1/activate": ["POST"], "/v1/functions": ["GET", "HEAD"], "/v1/functions/{name}": ["GET", "HEAD"],
        "/healthz": ["GET", "HEAD"], "/readyz": ["GET", "HEAD"], "/metrics": ["GET", "HEAD"],
        "/openapi.yaml": ["GET", "HEAD"],
    ]

    /// A bounded label set: the route pattern, never the raw path (which a client controls).
    static func routeLabel(_ path: String) -> String {
        switch path {
        case "/v1/activate", "/v1/functions", "/healthz", "/readyz", "/metrics", "/openapi.yaml": path
        case _ where path.hasPrefix("/v1/functions/") && !path.dropFirst(14).contains("/"): "/v1/functions/{name}"
        default: "unmatched"
        }
    }

    /// Runs a route, turning its error into the JSON error response and counting it by code.
    private static func answer(
        _ metrics: ServiceMetrics, _ body: () throws(ServiceError) -> HTTPResponse
    ) -> HTTPResponse {
        do {
            return try body()
        } catch {
            metrics.errorAnswered(code: error.code.rawValue)
            return error.response
        }
    }

    private static func makeErrorResponder(metrics: ServiceMetrics) -> @Sendable (Int, String, String) -> HTTPResponse {
        { status, code, message in
            metrics.errorAnswered(code: code)
            return ServiceError(status: status, code: ServiceError.Code(rawValue: code), message: message).response
        }
    }
}

/// Holds the server's connection counter, set once the server exists (after the service).
private final class CounterSlot: Sendable {
    let provider = Mutex<(@Sendable () -> Int)?>(nil)

    func read() -> Int { provider.withLock { $0 }?() ?? 0 }
}
