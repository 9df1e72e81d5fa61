import Foundation
import Testing
@testable import HTTPServer

/// Many connections at once: idle ones do not starve new clients, and the cap answers 503.
@Suite struct ConnectionCapTests {
    @Test func thousandIdleConnectionsDoNotBlockANewClient() throws {
        try withServer { server in
            var idle: [TestClient] = []
            for _ in 0..<1000 {
                idle.append(try TestClient(port: server.port))
            }
            #expect(eventually { server.openConnectionCount == 1000 })
            let client = try TestClient(port: server.port)
            let started = Date()
            try client.send(get("/alive"))
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(Date().timeIntervalSince(started) < 2)
            idle.removeAll()
            #expect(eventually { server.openConnectionCount <= 1 })
        }
    }

    @Test func connectionsBeyondTheCapGet503AndOthersKeepWorking() throws {
        try withServer(testConfiguration { $0.maxConnections = 3 }) { server in
            #expect(server.maxConnections == 3)
            let admitted = try (0..<3).map { _ in try TestClient(port: server.port) }
            #expect(eventually { server.openConnectionCount == 3 })
            let rejected = try TestClient(port: server.port)
            try rejected.send(get("/"))
            let response = try rejected.readResponse()
            #expect(response.status == 503)
            #expect(response.closes)
            #expect(rejected.isClosedByServer())
            #expect(server.statistics.rejectedAtCapacity == 1)
            for client in admitted {
                try client.send(get("/still"))
                #expect(try client.readResponse().status == 200)
            }
        }
    }
}

@Suite struct AddressTests {
    @Test func listensOnIPv6LoopbackWhenAvailable() throws {
        var configuration = testConfiguration()
        configuration.host = "::1"
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, handler: EchoHandler())
            try server.start()
        } catch {
            // No IPv6 on this host: nothing to test.
            return
        }
        defer { stopBlocking(server, grace: .milliseconds(200)) }
        #expect(server.localAddress == "[::1]:\(server.port)")
        let client = try TestClient(port: server.port, host: "::1")
        try client.send(get("/six"))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("X-Remote")?.hasPrefix("[::1]:") == true)
    }

    /// "0.0.0.0" listens on every IPv4 interface, "::" on every IPv6 one (and IPv4-mapped).
    @Test(arguments: ["0.0.0.0", "::"])
    func wildcardAddressesAcceptLoopbackClients(_ host: String) throws {
        var configuration = testConfiguration()
        configuration.host = host
        let server: HTTPServer
        do {
            server = try HTTPServer(configuration: configuration, handler: EchoHandler())
            try server.start()
        } catch {
            #expect(host == "::", "IPv4 wildcard must always bind: \(error)")
            return
        }
        defer { stopBlocking(server, grace: .milliseconds(200)) }
        let client = try TestClient(port: server.port, host: host == "::" ? "::1" : "127.0.0.1")
        try client.send(get("/any"))
        #expect(try client.readResponse().status == 200)
    }

    @Test func ephemeralPortIsReported() throws {
        try withServer { server in
            #expect(server.port > 0)
            #expect(server.localAddress == "127.0.0.1:\(server.port)")
            #expect(server.state == .listening)
        }
    }

    @Test func invalidAddressAndBusyPortFailWithErrors() throws {
        var configuration = testConfiguration()
        configuration.host = "not an address"
        #expect(throws: SocketError.self) {
            try HTTPServer(configuration: configuration, handler: EchoHandler()).start()
        }
        try withServer { server in
            var busy = testConfiguration()
            busy.port = server.port
            #expect(throws: SocketError.self) {
                try HTTPServer(configuration: busy, handler: EchoHandler()).start()
            }
        }
    }
}
