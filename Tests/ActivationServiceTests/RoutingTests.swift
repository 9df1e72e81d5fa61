import ActivationMath
import HTTPServer
import Testing

@testable import ActivationService

/// The route table called in memory: every route, method and error shape, no sockets.
@Suite struct RoutingTests {
    let service = RequestFactory.service()

    @Test func healthAndReadiness() {
        let health = service.handle(RequestFactory.make("/healthz"))
        #expect(health.status == 200)
        #expect(object(health.body)["status"] as? String == "ok")
        #expect(service.handle(RequestFactory.make("/readyz")).status == 200)

        service.lifecycle.startDraining()
        let draining = service.handle(RequestFactory.make("/readyz"))
        #expect(draining.status == 503)
        #expect(errorOf(draining.body).code == "not_ready")
        // Liveness stays 200 while draining: the orchestrator must not restart a draining pod.
        #expect(service.handle(RequestFactory.make("/healthz")).status == 200)
    }

    @Test func secondDrainIsReported() {
        #expect(service.lifecycle.startDraining())
        #expect(!service.lifecycle.startDraining())
    }

    @Test func unknownPathIs404WithTheErrorShape() {
        let response = service.handle(RequestFactory.make("/v3/nothing"))
        #expect(response.status == 404)
        #expect(errorOf(response.body).code == "not_found")
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test func wrongMethodIs405WithAllow() {
        let response = service.handle(RequestFactory.make("GET", "/v1/activate"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
        #expect(errorOf(response.body).code == "method_not_allowed")
        let onGet = service.handle(RequestFactory.make("POST", "/healthz"))
        #expect(onGet.status == 405)
        #expect(onGet.headers["Allow"] == "GET, HEAD")
    }

    @Test func unknownMethodIs405OnAKnownPathAnd501Elsewhere() {
        let known = service.handle(RequestFactory.make("TRACE", "/v1/functions/relu"))
        #expect(known.status == 405)
        #expect(known.headers["Allow"] == "GET, HEAD")
        #expect(errorOf(known.body).code == "method_not_allowed")
        let unknown = service.handle(RequestFactory.make("BREW", "/nowhere"))
        #expect(unknown.status == 501)
        #expect(errorOf(unknown.body).code == "not_implemented")
    }

    @Test func headAnswersLikeGet() {
        let head = service.handle(RequestFactory.make("HEAD", "/v1/functions"))
        let get = service.handle(RequestFactory.make("GET", "/v1/functions"))
        #expect(head.status == 200)
        #expect(head.body == get.body)  // the server drops HEAD bodies; the handler answers as GET
    }

    @Test(arguments: ["text/plain", "application/jsonx", "application/x-www-form-urlencoded", "json"])
    func activateRefusesOtherMediaTypes(contentType: String) {
        let response = service.handle(RequestFactory.activate(#"{"function":"relu","inputs":[1]}"#, contentType: contentType))
        #expect(response.status == 415)
        #expect(errorOf(response.body).code == "unsupported_media_type")
    }

    @Test func activateRequiresAContentType() {
        let request = RequestFactory.make("POST", "/v1/activate", body: #"{"function":"relu","inputs":[1]}"#)
        #expect(service.handle(request).status == 415)
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON ;charset=UTF-8"])
    func activateAcceptsJSONWithParameters(contentType: String) {
        let response = service.handle(RequestFactory.activate(#"{"function":"relu","inputs":[-1,2]}"#, contentType: contentType))
        #expect(response.status == 200)
        #expect(flatNumbers(object(response.body)["values"]) == [0, 2])
    }

    @Test func functionListHasEveryCatalogueEntry() {
        let response = service.handle(RequestFactory.make("/v1/functions"))
        let names = (object(response.body)["functions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == Catalogue.all.map(\.name))
        #expect(!names.isEmpty)
    }

    @Test(arguments: FunctionKind.allCases)
    func functionListFiltersByKind(kind: FunctionKind) {
        let response = service.handle(RequestFactory.make("/v1/functions?kind=\(kind.rawValue)"))
        let entries = object(response.body)["functions"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["name"] as? String } == Catalogue.all.filter { $0.kind == kind }.map(\.name))
        #expect(entries.allSatisfy { $0["kind"] as? String == kind.rawValue })
    }

    @Test func invalidKindIs400() {
        let response = service.handle(RequestFactory.make("/v1/functions?kind=scalar"))
        #expect(response.status == 400)
        #expect(errorOf(response.body).code == "invalid_query")
    }

    @Test func functionByNameAndAlias() throws {
        for entry in Catalogue.all {
            for name in [entry.name] + entry.aliases {
                let response = service.handle(RequestFactory.make("/v1/functions/\(name)"))
                #expect(response.status == 200, "\(name)")
                #expect(object(response.body)["name"] as? String == entry.name)
            }
        }
        let unknown = service.handle(RequestFactory.make("/v1/functions/not_a_function"))
        #expect(unknown.status == 404)
        let error = errorOf(unknown.body)
        #expect(error.code == "unknown_function")
        #expect((error.details["known"] as? [String]) == ActivationFunction.allCases.map(\.name))
    }

    @Test func requestIdIsEchoedOrGenerated() {
        let echoed = service.handle(RequestFactory.make("/healthz", headers: [("X-Request-Id", "abc-123.x:y_z")]))
        #expect(echoed.headers["X-Request-Id"] == "abc-123.x:y_z")
        let generated = service.handle(RequestFactory.make("/healthz"))
        #expect(generated.headers["X-Request-Id"]?.count == 24)
        // An id that could break a header or a log line is replaced, never echoed.
        let hostile = service.handle(RequestFactory.make("/healthz", headers: [("X-Request-Id", "a b\"<script>")]))
        #expect(hostile.headers["X-Request-Id"] != "a b\"<script>")
        #expect(hostile.headers["X-Request-Id"]?.count == 24)
    }

    @Test func drainingResponsesAskToClose() {
        #expect(service.handle(RequestFactory.make("/healthz")).headers["Connection"] == nil)
        service.lifecycle.startDraining()
        #expect(service.handle(RequestFactory.make("/healthz")).headers["Connection"] == "close")
    }

    @Test func clientTextIsNeverEchoedUnescaped() {
        let response = service.handle(RequestFactory.make("/v1/functions/\"<b>\u{1}\\x"))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 404)
        #expect(!text.utf8.contains(1))
        #expect(errorOf(response.body).details["function"] as? String == "\"<b>\u{1}\\x")
        #expect(parseJSON(response.body) != nil)
    }
}
