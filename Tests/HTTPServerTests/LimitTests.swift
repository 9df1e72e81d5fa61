import Foundation
import Testing
@testable import HTTPServer

/// Size limits, each configured small so the test stays fast.
@Suite struct LimitTests {
    @Test func longRequestLineGets414() throws {
        try withServer(testConfiguration { $0.parserLimits.maxRequestLineLength = 100 }) { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/" + String(repeating: "a", count: 200)))
            let response = try client.readResponse()
            #expect(response.status == 414)
            #expect(client.isClosedByServer())
        }
    }

    @Test func largeHeaderSectionGets431() throws {
        try withServer(testConfiguration { $0.parserLimits.maxHeaderSectionLength = 256 }) { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/", "X-Big: \(String(repeating: "b", count: 400))\r\n"))
            #expect(try client.readResponse().status == 431)
            #expect(client.isClosedByServer())
        }
    }

    @Test func tooManyHeaderFieldsGets431() throws {
        try withServer(testConfiguration { $0.parserLimits.maxHeaderCount = 5 }) { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/", (0..<10).map { "X-\($0): v\r\n" }.joined()))
            #expect(try client.readResponse().status == 431)
        }
    }

    @Test func announcedLargeBodyGets413BeforeItIsSent() throws {
        try withServer(testConfiguration { $0.parserLimits.maxBodyLength = 1000 }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.closes)
        }
    }

    @Test func chunkedBodyBeyondLimitGets413() throws {
        try withServer(testConfiguration { $0.parserLimits.maxBodyLength = 1000 }) { server in
            let client = try TestClient(port: server.port)
            let chunk = String(repeating: "z", count: 600)
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(try client.readResponse().status == 413)
            #expect(client.isClosedByServer())
        }
    }

    @Test func bodyAtTheLimitIsAccepted() throws {
        try withServer(testConfiguration { $0.parserLimits.maxBodyLength = 1000 }) { server in
            let client = try TestClient(port: server.port)
            let body = String(repeating: "q", count: 1000)
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n\(body)")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == body)
        }
    }

    /// With a tiny pipelining bound the server stops reading while it works, and TCP pushes
    /// back on the client; every request is still answered, in order.
    @Test func pipelinedFloodUnderSmallBoundLosesNothing() throws {
        let handler = HTTPHandlerClosure { request in
            if request.path == "/0" { usleep(100_000) }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("X-Path", request.path)]))
        }
        try withServer(testConfiguration { $0.maxPipelinedBytes = 1024 }, handler: handler) { server in
            let client = try TestClient(port: server.port)
            let count = 2000
            let sender = Thread {
                try? client.send((0..<count).map { get("/\($0)") }.joined())
            }
            sender.start()
            for index in 0..<count {
                let response = try client.readResponse()
                guard response.header("X-Path") == "/\(index)" else {
                    Issue.record("response \(index) was for \(response.header("X-Path") ?? "-")")
                    return
                }
            }
        }
    }

    @Test func configuredCapNeverExceedsDescriptorLimit() {
        var configuration = HTTPServerConfiguration()
        configuration.maxConnections = Int.max
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #expect(configuration.effectiveMaxConnections <= Int(clamping: limit.rlim_cur) - configuration.descriptorReserve)
        #expect(HTTPServerConfiguration().effectiveMaxConnections <= 10_000)
    }
}
