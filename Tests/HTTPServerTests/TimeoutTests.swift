import Foundation
import Testing
@testable import HTTPServer

/// Every timeout, configured in milliseconds so the tests stay fast.
@Suite struct TimeoutTests {
    @Test func slowHeadGets408ThenClose() throws {
        try withServer(testConfiguration { $0.headerReadTimeout = .milliseconds(200) }) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHo")
            let started = Date()
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.closes)
            #expect(Date().timeIntervalSince(started) < 3)
            #expect(client.isClosedByServer())
            #expect(server.statistics.timeouts == 1)
        }
    }

    /// Slow-loris: a byte now and then does not extend the head deadline.
    @Test func drippingHeadStillTimesOut() throws {
        try withServer(testConfiguration { $0.headerReadTimeout = .milliseconds(300) }) { server in
            let client = try TestClient(port: server.port)
            for byte in Array("GET / HTTP/1.1\r\nX-A: ".utf8) {
                try? client.send([byte])
                usleep(30_000)
            }
            #expect(try client.readResponse().status == 408)
        }
    }

    @Test func silentNewConnectionIsClosedWithoutResponse() throws {
        try withServer(testConfiguration { $0.headerReadTimeout = .milliseconds(200) }) { server in
            let client = try TestClient(port: server.port)
            #expect(client.readToEnd().isEmpty)
            #expect(eventually { server.openConnectionCount == 0 })
        }
    }

    @Test func stalledBodyGets408() throws {
        try withServer(testConfiguration { $0.bodyProgressTimeout = .milliseconds(200) }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(client.isClosedByServer())
        }
    }

    @Test func steadyBodyOutlastsProgressTimeout() throws {
        try withServer(testConfiguration { $0.bodyProgressTimeout = .milliseconds(300) }) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n")
            for byte in Array("abcdef".utf8) {
                usleep(150_000)
                try client.send([byte])
            }
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "abcdef")
        }
    }

    @Test func idleKeepAliveConnectionIsClosedQuietly() throws {
        try withServer(testConfiguration { $0.idleTimeout = .milliseconds(200) }) { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/"))
            #expect(try client.readResponse().status == 200)
            #expect(client.readToEnd().isEmpty)
            #expect(eventually { server.openConnectionCount == 0 })
        }
    }

    @Test func clientDisconnectingMidBodyIsCleanedUp() throws {
        try withServer { server in
            do {
                let client = try TestClient(port: server.port)
                try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789")
                #expect(eventually { server.openConnectionCount == 1 })
            }
            #expect(eventually { server.openConnectionCount == 0 })
            #expect(server.statistics.responses == 0)
            let next = try TestClient(port: server.port)
            try next.send(get("/ok"))
            #expect(try next.readResponse().status == 200)
        }
    }

    /// A client that never reads a large response: cut off once the stalled backlog exceeds
    /// the bound for `stalledWriteTimeout`, while another client is served meanwhile.
    @Test func clientThatNeverReadsIsCutOff() throws {
        let large = [UInt8](repeating: 0x61, count: 32 << 20)
        let handler = HTTPHandlerClosure { request in
            HTTPResponse(status: 200, body: request.path == "/large" ? large : [])
        }
        let configuration = testConfiguration {
            $0.writeBufferLimit = 1 << 20
            $0.stalledWriteTimeout = .milliseconds(300)
        }
        try withServer(configuration, handler: handler) { server in
            let stuck = try TestClient(port: server.port)
            stuck.setReceiveBuffer(4096)
            try stuck.send(get("/large"))
            #expect(eventually { server.statistics.responses == 1 })
            let other = try TestClient(port: server.port)
            try other.send(get("/small"))
            #expect(try other.readResponse().status == 200)
            #expect(eventually { server.statistics.closed >= 1 })
            #expect(server.openConnectionCount == 1)
        }
    }

    /// Below the backlog bound a client that stops reading still gets `writeTimeout`, then
    /// the connection is closed.
    @Test func stalledWriteBelowTheBoundEndsAtWriteTimeout() throws {
        let large = [UInt8](repeating: 0x61, count: 16 << 20)
        let handler = HTTPHandlerClosure { _ in HTTPResponse(status: 200, body: large) }
        let configuration = testConfiguration {
            $0.writeBufferLimit = 64 << 20
            $0.stalledWriteTimeout = .milliseconds(100)
            $0.writeTimeout = .milliseconds(600)
        }
        try withServer(configuration, handler: handler) { server in
            let stuck = try TestClient(port: server.port)
            stuck.setReceiveBuffer(4096)
            try stuck.send(get("/large"))
            #expect(eventually { server.statistics.responses == 1 })
            let responded = Date()
            #expect(eventually { server.openConnectionCount == 0 })
            // The longer writeTimeout applied, not the stalled-backlog one.
            #expect(Date().timeIntervalSince(responded) > 0.3)
        }
    }

    /// A client that keeps reading a response far above the backlog bound is not cut off.
    @Test func steadyReaderOfLargeResponseIsServedCompletely() throws {
        let large = [UInt8](repeating: 0x62, count: 24 << 20)
        let handler = HTTPHandlerClosure { _ in HTTPResponse(status: 200, body: large) }
        let configuration = testConfiguration {
            $0.writeBufferLimit = 1 << 20
            $0.stalledWriteTimeout = .milliseconds(300)
        }
        try withServer(configuration, handler: handler) { server in
            let client = try TestClient(port: server.port)
            try client.send(get("/large"))
            let response = try client.readResponse()
            #expect(response.body.count == large.count)
            try client.send(get("/again"))
            #expect(try client.readResponse().body.count == large.count)
        }
    }

    @Test func slowHandlerDoesNotStallOtherConnections() throws {
        let handler = HTTPHandlerClosure { request in
            if request.path == "/slow" { usleep(1_500_000) }
            return HTTPResponse(status: 200)
        }
        try withServer(testConfiguration { $0.workerCount = 2 }, handler: handler) { server in
            let slow = try TestClient(port: server.port)
            try slow.send(get("/slow"))
            usleep(50_000)
            let fast = try TestClient(port: server.port)
            let started = Date()
            try fast.send(get("/fast"))
            #expect(try fast.readResponse().status == 200)
            #expect(Date().timeIntervalSince(started) < 1.0)
            #expect(try slow.readResponse().status == 200)
        }
    }
}
