import HTTPServer
import Prometheus
import Synchronization

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.yaml`: what operators and tools read.
struct OperationsRoutes: Sendable {
    let lifecycle: Lifecycle
    let metrics: ServiceMetrics
    let registry: PrometheusCollectorRegistry
    let version: String
    let openConnections: @Sendable () -> Int
    let memory: MemorySlot

    /// Alive: answers as long as the process serves at all, draining included (a draining
    /// instance must not be restarted by its liveness probe).
    func health() -> HTTPResponse {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.key("status"); writer.string("ok")
        writer.key("version"); writer.string(version)
        writer.endObject()
        return FunctionsRoute.json(writer.finish())
    }

    /// Ready: 200 until the first SIGTERM/SIGINT, then 503 so load balancers take it out.
    func readiness() -> HTTPResponse {
        guard lifecycle.current == .ready else {
            return ServiceError(
                status: 503, code: .notReady, message: "draining: this instance is shutting down",
                details: [ServiceError.Detail("phase", .string(lifecycle.current.rawValue))]
            ).response
        }
        var writer = JSONWriter(capacity: 32)
        writer.beginObject()
        writer.key("status"); writer.string("ready")
        writer.endObject()
        return FunctionsRoute.json(writer.finish())
    }

    /// The Prometheus text exposition format, version 0.0.4.
    func metricsText() -> HTTPResponse {
        metrics.setOpenConnections(openConnections())
        memory.export(to: metrics)
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]),
            body: registry.emitToBuffer())
    }

    /// The contract, byte for byte as committed (embedded at build time: the image ships no files).
    func openAPI() -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/yaml")]),
            body: Array(OpenAPIDocument.text.utf8))
    }
}

/// Where `/metrics` reads the server's memory budget (the server, once created), and the
/// refusal totals already exported, so counters advance by what happened between scrapes.
final class MemorySlot: Sendable {
    let provider = Mutex<(@Sendable () -> MemoryBudgetSnapshot)?>(nil)
    private let exported = Mutex(MemoryBudgetSnapshot())

    func export(to metrics: ServiceMetrics) {
        guard let read = provider.withLock({ $0 }) else { return }
        exported.withLock { before in
            let now = read()
            metrics.setMemory(now, refusedBefore: before)
            before = now
        }
    }
}
