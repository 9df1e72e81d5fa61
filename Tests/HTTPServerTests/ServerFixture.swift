import Dispatch
import Foundation
@testable import HTTPServer

/// Answers every request with what it received: method, path and body, so tests can check
/// that the server delivered the request it was sent.
struct EchoHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders([("X-Method", request.method.rawValue), ("X-Path", request.path)])
        headers.add(name: "X-Remote", value: request.remoteAddress)
        return HTTPResponse(status: 200, headers: headers, body: request.body.isEmpty ? Array("path=\(request.path)".utf8) : request.body)
    }
}

/// A configuration for tests: loopback, ephemeral port, everything else default unless the
/// test shortens it.
func testConfiguration(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
    var configuration = HTTPServerConfiguration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.errorLingerTimeout = .milliseconds(300)
    adjust(&configuration)
    return configuration
}

/// Runs `body` against a live server on port 0 and stops it afterwards.
func withServer(
    _ configuration: HTTPServerConfiguration = testConfiguration(),
    handler: any HTTPHandler = EchoHandler(),
    _ body: (HTTPServer) throws -> Void
) throws {
    let server = try HTTPServer(configuration: configuration, handler: handler)
    try server.start()
    defer { stopBlocking(server, grace: .milliseconds(500)) }
    try body(server)
}

/// Stops `server` and waits for it (tests are synchronous).
func stopBlocking(_ server: HTTPServer, grace: Duration) {
    let done = DispatchSemaphore(value: 0)
    server.shutdown(grace: grace) { done.signal() }
    _ = done.wait(timeout: .now() + 10)
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// A valid GET with the Host header HTTP/1.1 requires.
func get(_ path: String, _ extra: String = "") -> String {
    "GET \(path) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n"
}
