import Foundation
import HTTPServer
import Testing

@testable import ActivationService

/// Every error status over a real socket, each with the JSON error shape and a stable code,
/// whether the service or the server made it.
@Suite struct ErrorStatusEndToEndTests {
    @Test func serviceErrors() async throws {
        let live = try LiveService()
        let cases: [(String, String, [(String, String)], String, Int, String)] = [
            ("GET", "/nowhere", [], "", 404, "not_found"),
            ("GET", "/v1/functions/nope", [], "", 404, "unknown_function"),
            ("DELETE", "/v1/functions", [], "", 405, "method_not_allowed"),
            ("DELETE", "/elsewhere", [], "", 501, "not_implemented"),
            ("POST", "/healthz", [], "", 405, "method_not_allowed"),
            ("POST", "/v1/activate", [("Content-Type", "text/plain")], "{}", 415, "unsupported_media_type"),
            ("POST", "/v1/activate", [("Content-Type", "application/json")], "{\"function\":", 400, "malformed_json"),
            ("POST", "/v1/activate", [("Content-Type", "application/json")], #"{"function":1,"inputs":[1]}"#, 400, "invalid_type"),
            ("POST", "/v1/activate", [("Content-Type", "application/json")], #"{"function":"relu","inputs":[[1],[1,2]]}"#, 422, "ragged_array"),
            ("POST", "/v1/activate", [("Content-Type", "application/json")], #"{"function":"squareplus","inputs":[1],"params":{"b":-1}}"#, 422, "parameter_out_of_range"),
            ("GET", "/v1/functions?kind=other", [], "", 400, "invalid_query"),
        ]
        for (method, target, headers, body, status, code) in cases {
            let response = try live.send(method, target, headers: headers, body: Array(body.utf8))
            #expect(response.status == status, "\(method) \(target) \(body)")
            #expect(errorOf(response.body).code == code, "\(method) \(target): \(response.text)")
            #expect(errorOf(response.body).message?.isEmpty == false)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("X-Request-Id") != nil)
        }
        let malformed = try live.activate("{\n  \"function\": \"relu\",\n  \"inputs\": [1, 2,]\n}")
        #expect(errorOf(malformed.body).details["line"] as? Int == 3)
        #expect(errorOf(malformed.body).details["column"] as? Int != nil)
        let wrongType = try live.activate(#"{"function":"relu","inputs":[1,true]}"#)
        #expect(errorOf(wrongType.body).details["path"] as? String == "$.inputs[1]")
        await live.stop()
    }

    @Test func serverErrorsUseTheSameShape() async throws {
        let live = try LiveService {
            $0.parserLimits.maxBodyLength = 1024
            $0.parserLimits.maxRequestLineLength = 256
            $0.parserLimits.maxHeaderCount = 10
        }
        let raw: [(String, Int, String)] = [
            ("POST /v1/activate HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n", 413, "payload_too_large"),
            ("GET /\(String(repeating: "a", count: 300)) HTTP/1.1\r\nHost: a\r\n\r\n", 414, ""),
            ("GET /healthz HTTP/1.1\r\nHost: a\r\n" + (0..<20).map { "X-\($0): 1\r\n" }.joined() + "\r\n", 431, ""),
            ("GET /healthz HTTP/2.0\r\nHost: a\r\n\r\n", 505, ""),
            ("GET /healthz HTTP/1.1\r\n\r\n", 400, ""),
            ("POST /v1/activate HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501, ""),
        ]
        for (request, status, code) in raw {
            let client = try live.client()
            try client.write(Array(request.utf8))
            let response = try client.readResponse()
            #expect(response.status == status, "\(request.prefix(40))")
            let error = errorOf(response.body)
            #expect(error.code?.isEmpty == false, "\(response.text)")
            if !code.isEmpty { #expect(error.code == code) }
            #expect(response.header("Content-Type") == "application/json")
        }
        await live.stop()
    }

    @Test func slowHeadersGet408() async throws {
        let live = try LiveService { $0.headerReadTimeout = .milliseconds(300) }
        let client = try live.client()
        try client.write(Array("GET /healthz HTTP/1.1\r\nHo".utf8))
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(errorOf(response.body).code?.isEmpty == false)
        await live.stop()
    }

    @Test func connectionsBeyondTheCapGet503() async throws {
        let live = try LiveService { $0.maxConnections = 1; $0.descriptorReserve = 0 }
        let first = try live.client()
        _ = try first.send("GET", "/healthz")
        let second = try live.client()
        let response = try second.readResponse()
        #expect(response.status == 503)
        #expect(errorOf(response.body).code?.isEmpty == false)
        #expect(try first.send("GET", "/healthz").status == 200)
        await live.stop()
    }

    @Test func drainingKeepsServingWhileReadinessFails() async throws {
        let live = try LiveService()
        let client = try live.client()
        #expect(try client.send("GET", "/readyz").status == 200)
        live.server.beginDraining()
        #expect(live.service.lifecycle.current == .draining)
        // While draining every answer closes its connection, so keep-alive clients move on:
        // each request here comes on a connection of its own.
        let readiness = try live.client().send("GET", "/readyz")
        #expect(readiness.status == 503)
        #expect(readiness.header("Connection")?.lowercased() == "close")
        #expect(try live.client().send("GET", "/healthz").status == 200)
        let activate = try live.client().send(
            "POST", "/v1/activate", headers: [("Content-Type", "application/json")],
            body: Array(#"{"function":"relu","inputs":[1]}"#.utf8))
        #expect(activate.status == 200)
        #expect(activate.header("Connection")?.lowercased() == "close")
        await live.stop()
    }

    @Test func headGetsHeadersWithoutBody() async throws {
        let live = try LiveService()
        let client = try live.client()
        let head = try client.send("HEAD", "/v1/functions")
        let get = try client.send("GET", "/v1/functions")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == get.header("Content-Length"))
        await live.stop()
    }

    @Test func everyGetRouteAnswers() async throws {
        let live = try LiveService()
        let client = try live.client()
        for path in ["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/functions", "/v1/functions/silu"] {
            let response = try client.send("GET", path)
            #expect(response.status == 200, "\(path)")
            #expect(!response.body.isEmpty)
        }
        #expect(try client.send("GET", "/openapi.yaml").body == Array(OpenAPIDocument.text.utf8))
        #expect(try client.send("GET", "/metrics").header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let echoed = try client.send("GET", "/healthz", headers: [("X-Request-Id", "trace-42")])
        #expect(echoed.header("X-Request-Id") == "trace-42")
        await live.stop()
    }
}
