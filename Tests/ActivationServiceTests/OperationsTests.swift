import Foundation
import HTTPServer
import Logging
import Prometheus
import Synchronization
import Testing

@testable import ActivationService

/// Metrics, logs, request ids and the embedded OpenAPI document.
@Suite struct OperationsTests {
    @Test func metricsCountRequestsErrorsAndElements() {
        let registry = PrometheusCollectorRegistry()
        let service = ActivationService(
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
        service.connectionCounter = { 7 }
        _ = service.handle(RequestFactory.activate(#"{"function":"relu","inputs":[1,2,3],"dtype":"float32"}"#))
        _ = service.handle(RequestFactory.activate(#"{"function":"nope","inputs":[1]}"#))
        _ = service.handle(RequestFactory.make("/nowhere"))
        let response = service.handle(RequestFactory.make("/metrics"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains(#"http_requests_total{route="/v1/activate",method="POST",status="200"} 1"#))
        #expect(text.contains(#"http_requests_total{route="/v1/activate",method="POST",status="404"} 1"#))
        #expect(text.contains(#"http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
        #expect(text.contains(#"activation_elements_evaluated_total{function="relu",dtype="float32"} 3"#))
        // Every function and dtype is there from the start, at 0 until evaluated.
        #expect(text.contains(#"activation_elements_evaluated_total{function="relu",dtype="float64"} 0"#))
        #expect(text.contains(#"activation_elements_evaluated_total{function="leaky_relu6",dtype="float32"} 0"#))
        #expect(text.contains(#"http_errors_total{code="unknown_function"} 1"#))
        #expect(text.contains(#"http_errors_total{code="not_found"} 1"#))
        #expect(text.contains("http_open_connections 7"))
        // The scrape itself is in flight while the text is produced.
        #expect(text.contains("http_requests_in_flight 1"))
        #expect(text.contains(#"http_request_duration_seconds_count{route="/v1/activate"} 2"#))
    }

    @Test func routeLabelsAreBounded() {
        let registry = PrometheusCollectorRegistry()
        let service = ActivationService(
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
        _ = service.handle(RequestFactory.make("/v1/functions/relu"))
        _ = service.handle(RequestFactory.make("/v1/functions/a/b"))
        _ = service.handle(RequestFactory.make("/random/\(UUID())"))
        _ = service.handle(RequestFactory.make("BREW\(UUID().uuidString.prefix(8))", "/v1/functions/relu"))
        _ = service.handle(RequestFactory.make("POST", "/healthz"))
        let text = String(decoding: service.handle(RequestFactory.make("/metrics")).body, as: UTF8.self)
        #expect(text.contains(#"http_requests_total{route="/v1/functions/{name}",method="GET",status="200"} 1"#))
        #expect(text.contains(#"http_requests_total{route="unmatched",method="GET",status="404"} 2"#))
        // A method the client invents is one label value, "other", and the path's pattern.
        #expect(text.contains(#"http_requests_total{route="/v1/functions/{name}",method="other",status="405"} 1"#))
        #expect(text.contains(#"http_requests_total{route="/healthz",method="POST",status="405"} 1"#))
        #expect(!text.contains("BREW"))
    }

    @Test func oneLogLinePerRequestWithItsFields() throws {
        let lines = LineSink()
        for format in LogFormat.allCases {
            let registry = PrometheusCollectorRegistry()
            let logger = Logger(label: "test") { LineLogHandler(label: $0, format: format, level: .info, sink: lines.append) }
            let service = ActivationService(
                logger: logger, metricsFactory: ServiceMetrics.makePrometheusFactory(registry: registry), registry: registry)
            _ = service.handle(RequestFactory.make("/healthz", headers: [("X-Request-Id", "req-1")]))
        }
        let recorded = lines.lines
        #expect(recorded.count == 2)
        let text = try #require(recorded.first)
        for field in ["method=GET", "path=/healthz", "status=200", "bytes=33", "request_id=req-1", "duration_ms="] {
            #expect(text.contains(field), "\(field) in \(text)")
        }
        let json = try #require(JSONSerialization.jsonObject(with: Data(recorded[1].utf8)) as? [String: Any])
        #expect(json["method"] as? String == "GET")
        #expect(json["path"] as? String == "/healthz")
        #expect(json["status"] as? String == "200")
        #expect(json["request_id"] as? String == "req-1")
        #expect(json["level"] as? String == "info")
    }

    @Test func logLinesCannotBeForged() throws {
        let lines = LineSink()
        for format in LogFormat.allCases {
            let logger = Logger(label: "test") { LineLogHandler(label: $0, format: format, level: .info, sink: lines.append) }
            logger.info("request", metadata: ["path": "/x\nFAKE line\u{1}\"}"])
        }
        #expect(lines.lines.allSatisfy { !$0.contains("\n") && !$0.unicodeScalars.contains("\u{1}") })
        let json = try #require(JSONSerialization.jsonObject(with: Data(lines.lines[1].utf8)) as? [String: Any])
        #expect(json["path"] as? String == "/x\nFAKE line\u{1}\"}")
    }

    @Test func logLevelFilters() {
        let lines = LineSink()
        let logger = Logger(label: "test") { LineLogHandler(label: $0, format: .text, level: .warning, sink: lines.append) }
        logger.info("hidden")
        logger.warning("shown")
        #expect(lines.lines.count == 1)
        #expect(lines.lines.first?.contains("shown") == true)
    }

    @Test func generatedRequestIdsAreUnique() {
        let ids = Set((0..<10_000).map { _ in RequestID.generate() })
        #expect(ids.count == 10_000)
        #expect(RequestID.resolve(String(repeating: "a", count: 129)).count == 24)
        #expect(RequestID.resolve(String(repeating: "a", count: 128)) == String(repeating: "a", count: 128))
    }

    @Test func embeddedOpenAPIIsTheCommittedFileByteForByte() throws {
        let file = try Data(contentsOf: repositoryRoot.appendingPathComponent("openapi.yaml"))
        #expect(Array(OpenAPIDocument.text.utf8) == Array(file), "run scripts/embed-openapi.py")
        let response = RequestFactory.service().handle(RequestFactory.make("/openapi.yaml"))
        #expect(response.status == 200)
        #expect(response.body == Array(file))
    }

    @Test func healthProbeParsesStatusLines() throws {
        #expect(try HealthProbe.parseStatus(Array("HTTP/1.1 200 OK\r\n".utf8)) == 200)
        #expect(try HealthProbe.parseStatus(Array("HTTP/1.0 503 Service Unavailable\r\n".utf8)) == 503)
        #expect(throws: HealthProbe.Failure.malformedResponse) { try HealthProbe.parseStatus(Array("SSH-2.0\r\n".utf8)) }
        #expect(throws: HealthProbe.Failure.malformedResponse) { try HealthProbe.parseStatus(Array("HTTP/1.1 2x0 OK".utf8)) }
    }
}

/// The repository's root, from this file's path (Tests/ActivationServiceTests/<file>).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Collects log lines from any thread.
final class LineSink: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var append: @Sendable (String) -> Void { { line in self.storage.withLock { $0.append(line) } } }
}
