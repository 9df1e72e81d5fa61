import Foundation
import Testing
@testable import HTTPServer

/// Response compression over real sockets: negotiation, Vary, thresholds, HEAD, opt-outs.
@Suite struct ResponseCompressionTests {
    static let large = ZlibCodecTests.sample(20_000)

    /// `/large` and `/small` bodies; `/status/N` answers N with the large body; `/encoded`
    /// already has a Content-Encoding; `/etag` has a strong ETag and its own Vary.
    static let handler = HTTPHandlerClosure { request in
        var response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: large)
        switch request.path {
        case "/small":
            response.body = Array(large.prefix(1023))
        case "/encoded":
            response.headers.add(name: "Content-Encoding", value: "br")
        case "/etag":
            response.headers.add(name: "ETag", value: "\"v1\"")
            response.headers.add(name: "Vary", value: "Origin")
        case let path where path.hasPrefix("/status/"):
            response.status = HTTPStatus(Int(path.dropFirst(8)) ?? 500)
        default:
            break
        }
        return response
    }

    static func fetch(_ path: String, acceptEncoding: String?, method: String = "GET",
                      configuration: HTTPServerConfiguration = testConfiguration()) throws -> TestResponse {
        var result: TestResponse?
        try withServer(configuration, handler: handler) { server in
            let client = try TestClient(port: server.port)
            let accept = acceptEncoding.map { "Accept-Encoding: \($0)\r\n" } ?? ""
            try client.send("\(method) \(path) HTTP/1.1\r\nHost: a\r\n\(accept)\r\n")
            result = try client.readResponse(forHead: method == "HEAD")
        }
        return try #require(result)
    }

    static func decoded(_ response: TestResponse) throws -> [UInt8] {
        guard let coding = response.header("Content-Encoding") else { return response.body }
        let known = try #require(HTTPContentCoding(rawValue: coding))
        return try ZlibCodec.decode(response.body, coding: known, limit: 1 << 24).get()
    }

    @Test(arguments: [
        ("gzip", "gzip"), ("deflate", "deflate"), ("gzip, deflate", "gzip"), ("deflate;q=1, gzip;q=0.9", "deflate"),
        ("gzip;q=0, deflate", "deflate"), ("*", "gzip"), ("x-gzip", "gzip"), ("br, gzip;q=0.1", "gzip"),
    ])
    func compressesWhatTheClientPrefers(_ accept: String, _ expected: String) throws {
        let response = try Self.fetch("/large", acceptEncoding: accept)
        #expect(response.status == 200)
        #expect(response.header("Content-Encoding") == expected)
        #expect(response.header("Vary") == "Accept-Encoding")
        #expect(response.header("Content-Length") == "\(response.body.count)")
        #expect(response.body.count < Self.large.count / 2)
        #expect(try Self.decoded(response) == Self.large)
    }

    @Test(arguments: [nil, "", "identity", "gzip;q=0", "gzip;q=0, deflate;q=0", "br", "*;q=0", "gzip;q=0.5, identity"])
    func identityWhenNotAcceptedYetVaries(_ accept: String?) throws {
        let response = try Self.fetch("/large", acceptEncoding: accept)
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.body == Self.large)
        // The coding depended on the request: a cache must not serve this to a gzip client.
        #expect(response.header("Vary") == "Accept-Encoding")
    }

    @Test func smallBodiesAreSentAsTheyAre() throws {
        let response = try Self.fetch("/small", acceptEncoding: "gzip")
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.header("Vary") == nil)
        #expect(response.body.count == 1023)
    }

    @Test func minimumIsConfigurable() throws {
        let configuration = testConfiguration { $0.responseCompression.minimumBodyBytes = 100 }
        let response = try Self.fetch("/small", acceptEncoding: "gzip", configuration: configuration)
        #expect(response.header("Content-Encoding") == "gzip")
    }

    @Test func headCarriesTheHeadersGetWould() throws {
        let get = try Self.fetch("/large", acceptEncoding: "gzip")
        let head = try Self.fetch("/large", acceptEncoding: "gzip", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        for name in ["Content-Encoding", "Content-Length", "Vary", "Content-Type"] {
            #expect(head.header(name) == get.header(name), "\(name)")
        }
        #expect(head.header("Content-Length") == "\(get.body.count)")
    }

    @Test(arguments: [204, 304, 206])
    func statusesWithoutAWholeBodyAreLeftAlone(_ status: Int) throws {
        let response = try Self.fetch("/status/\(status)", acceptEncoding: "gzip")
        #expect(response.status == status)
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.header("Vary") == nil)
    }

    @Test func errorStatusesAreCompressedToo() throws {
        let response = try Self.fetch("/status/404", acceptEncoding: "gzip")
        #expect(response.status == 404)
        #expect(response.header("Content-Encoding") == "gzip")
    }

    @Test func handlerCodingIsKept() throws {
        let response = try Self.fetch("/encoded", acceptEncoding: "gzip")
        #expect(response.header("Content-Encoding") == "br")
        #expect(response.header("Vary") == nil)
        #expect(response.body == Self.large)
    }

    @Test func strongETagBecomesWeakAndVaryIsExtended() throws {
        let compressed = try Self.fetch("/etag", acceptEncoding: "gzip")
        #expect(compressed.header("ETag") == "W/\"v1\"")
        #expect(compressed.header("Vary") == "Origin, Accept-Encoding")
        let plain = try Self.fetch("/etag", acceptEncoding: nil)
        #expect(plain.header("ETag") == "\"v1\"")
        #expect(plain.header("Vary") == "Origin, Accept-Encoding")
    }

    @Test func disabledMeansNoCodingAndNoVary() throws {
        let configuration = testConfiguration { $0.responseCompression = .disabled }
        let response = try Self.fetch("/large", acceptEncoding: "gzip", configuration: configuration)
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.header("Vary") == nil)
        #expect(response.body == Self.large)
    }

    @Test func appliesToSelectsResponses() throws {
        let configuration = testConfiguration {
            $0.responseCompression.appliesTo = { request, _ in request.path.hasSuffix("/infer") }
        }
        #expect(try Self.fetch("/large", acceptEncoding: "gzip", configuration: configuration).header("Content-Encoding") == nil)
        #expect(try Self.fetch("/m/infer", acceptEncoding: "gzip", configuration: configuration).header("Content-Encoding") == "gzip")
    }

    /// Keep-alive and pipelining are unchanged: three pipelined requests, mixed codings.
    @Test func pipelinedRequestsKeepTheirOwnCodings() throws {
        try withServer(testConfiguration(), handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(["gzip", "identity", "deflate"].map { get("/large", "Accept-Encoding: \($0)\r\n") }.joined())
            let codings = try (0..<3).map { _ in try client.readResponse() }
            #expect(codings.map { $0.header("Content-Encoding") } == ["gzip", nil, "deflate"])
            #expect(try codings.allSatisfy { try Self.decoded($0) == Self.large })
        }
    }
}
