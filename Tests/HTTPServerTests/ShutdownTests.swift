import Dispatch
import Foundation
import Synchronization
import Testing
@testable import HTTPServer

/// `shutdown(grace:)`: in-flight requests finish, idle connections close, the rest are cut.
@Suite struct ShutdownTests {
    @Test func inFlightRequestCompletesDuringShutdown() throws {
        let handler = HTTPHandlerClosure { _ in
            usleep(400_000)
            return HTTPResponse(status: 200, body: [UInt8](repeating: 0x62, count: 100_000))
        }
        let drained = Flag()
        let configuration = testConfiguration { configuration in
            configuration.onDraining = { drained.value.store(true, ordering: .relaxed) }
        }
        let server = try HTTPServer(configuration: configuration, handler: handler)
        try server.start()
        let busy = try TestClient(port: server.port)
        let idle = try TestClient(port: server.port)
        try busy.send(get("/work"))
        #expect(eventually { server.openConnectionCount == 2 })
        usleep(100_000)
        let stopped = DispatchSemaphore(value: 0)
        server.shutdown(grace: .seconds(5)) { stopped.signal() }
        let wasDrained = drained.value.load(ordering: .relaxed)
        #expect(wasDrained)
        #expect(idle.isClosedByServer())
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.body.count == 100_000)
        #expect(response.closes)
        #expect(stopped.wait(timeout: .now() + 5) == .success)
        #expect(server.state == .stopped)
        #expect((try? TestClient(port: server.port)) == nil)
    }

    @Test func graceExpiryClosesWhatIsLeft() throws {
        let release = DispatchSemaphore(value: 0)
        let handler = HTTPHandlerClosure { _ in
            _ = release.wait(timeout: .now() + 5)
            return HTTPResponse(status: 200)
        }
        let server = try HTTPServer(configuration: testConfiguration(), handler: handler)
        try server.start()
        let client = try TestClient(port: server.port)
        try client.send(get("/hang"))
        #expect(eventually { server.openConnectionCount == 1 })
        usleep(50_000)
        let started = Date()
        stopBlocking(server, grace: .milliseconds(200))
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(server.state == .stopped)
        #expect(client.isClosedByServer())
        release.signal()
    }

    @Test func stateMovesForwardOnly() async throws {
        let server = try HTTPServer(configuration: testConfiguration(), handler: EchoHandler())
        #expect(server.state == .starting)
        try server.start()
        #expect(server.state == .listening)
        #expect(throws: SocketError.self) { try server.start() }
        server.beginDraining()
        #expect(server.state == .draining)
        // Draining still serves.
        let client = try TestClient(port: server.port)
        try client.send(get("/"))
        #expect(try client.readResponse().status == 200)
        await server.shutdown(grace: .milliseconds(200))
        #expect(server.state == .stopped)
        await server.waitUntilStopped()
        await server.shutdown(grace: .milliseconds(10))
        #expect(server.state == .stopped)
    }
}

/// A flag a `@Sendable` hook can set.
final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
