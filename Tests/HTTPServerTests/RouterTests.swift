import Testing
@testable import HTTPServer

/// The router in memory: requests built by a factory, no sockets.
@Suite struct RouterTests {
    static func request(_ method: String, _ path: String) -> HTTPRequest {
        HTTPRequest(method: HTTPMethod(method), target: path, path: path, headers: HTTPHeaders([("Host", "t")]))
    }

    static func makeRouter() -> HTTPRouter {
        var router = HTTPRouter { status, code, message, _ in
            HTTPResponse(status: status, body: Array("\(code): \(message)".utf8))
        }
        router.add("GET", "/healthz") { _, _ in HTTPResponse(status: 200, body: Array("ok".utf8)) }
        router.add("POST", "/v1/functions/{name}") { _, parameters in
            HTTPResponse(status: 200, body: Array("fn=\(parameters["name"] ?? "")".utf8))
        }
        router.add("GET", "/v1/functions/{name}") { _, parameters in
            HTTPResponse(status: 200, body: Array("get=\(parameters["name"] ?? "")".utf8))
        }
        return router
    }

    @Test func routesByMethodAndPathWithParameters() {
        let router = Self.makeRouter()
        #expect(router.handle(Self.request("POST", "/v1/functions/relu")).body == Array("fn=relu".utf8))
        #expect(router.handle(Self.request("GET", "/v1/functions/gelu")).body == Array("get=gelu".utf8))
        #expect(router.handle(Self.request("GET", "/healthz")).status == 200)
    }

    @Test func unknownPathIs404() {
        let response = Self.makeRouter().handle(Self.request("GET", "/nope"))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("not_found:"))
        #expect(Self.makeRouter().handle(Self.request("GET", "/v1/functions")).status == 404)
        #expect(Self.makeRouter().handle(Self.request("GET", "/v1/functions/a/b")).status == 404)
    }

    @Test func knownPathWithOtherMethodIs405WithAllow() {
        let response = Self.makeRouter().handle(Self.request("POST", "/healthz"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
        let functions = Self.makeRouter().handle(Self.request("GET", "/v1/functions/x"))
        #expect(functions.status == 200)
    }

    @Test func unrecognisedMethodIs501OnUnknownPathsAnd405OnKnownOnes() {
        #expect(Self.makeRouter().handle(Self.request("BREW", "/nope")).status == 501)
        let known = Self.makeRouter().handle(Self.request("BREW", "/healthz"))
        #expect(known.status == 405)
        #expect(known.headers["Allow"] == "GET, HEAD")
    }

    @Test func routeNamesTheMatchedPatternForMetrics() {
        let router = Self.makeRouter()
        #expect(router.route(Self.request("GET", "/v1/functions/relu")).pattern == "/v1/functions/{name}")
        #expect(router.route(Self.request("DELETE", "/v1/functions/relu")).pattern == "/v1/functions/{name}")
        #expect(router.route(Self.request("GET", "/v1/functions/a/b")).pattern == nil)
        #expect(router.patterns == ["/healthz", "/v1/functions/{name}"])
        #expect(router.isKnown("HEAD") && router.isKnown("POST") && !router.isKnown("DELETE"))
    }

    @Test func headUsesTheGetRoute() {
        #expect(Self.makeRouter().handle(Self.request("HEAD", "/healthz")).status == 200)
    }

    @Test func routerOverTheWireAnswers405WithAllow() throws {
        try withServer(handler: Self.makeRouter()) { server in
            let client = try TestClient(port: server.port)
            try client.send("DELETE /v1/functions/relu HTTP/1.1\r\nHost: a\r\n\r\n")
            let deleted = try client.readResponse()
            #expect(deleted.status == 405)
            #expect(deleted.header("Allow") == "POST, GET, HEAD")
            try client.send("DELETE /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 501)
            try client.send("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
            #expect(!response.closes)
        }
    }
}
