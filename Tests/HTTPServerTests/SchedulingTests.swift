import Dispatch
import Testing
@testable import HTTPServer

/// Cost-aware scheduling over real sockets: the pool is saturated by large requests whose
/// handler waits on a gate the test opens, so who is served first is decided by the server's
/// order alone, never by timing.
@Suite struct SchedulingTests {
    /// `POST /large` (its body makes it large) records its start and waits for the gate;
    /// `GET /small` records its start and answers at once. `X-Name` names the request.
    final class GatedHandler: HTTPHandler {
        let log = Locked<[String]>([])
        private let gate = DispatchSemaphore(value: 0)

        func handle(_ request: HTTPRequest) -> HTTPResponse {
            let name = request.headers["X-Name"] ?? "?"
            log.withLock { $0.append(name) }
            if request.path == "/large" { _ = gate.wait(timeout: .now() + 20) }
            return HTTPResponse(status: 200, body: Array(name.utf8))
        }

        func open(_ count: Int) { for _ in 0..<count { gate.signal() } }
        var order: [String] { log.withLock { $0 } }
    }

    static let largeBody = String(repeating: "1,", count: 32 << 10)

    static func large(_ name: String) -> String {
        "POST /large HTTP/1.1\r\nHost: test\r\nX-Name: \(name)\r\nContent-Length: \(largeBody.utf8.count)\r\n\r\n\(largeBody)"
    }

    static func small(_ name: String) -> String {
        get("/small", "X-Name: \(name)\r\n")
    }

    /// One regular worker, no express workers: a small request that arrives after two queued
    /// large ones is served before them.
    @Test func smallRequestIsServedBeforeQueuedLargeRequests() throws {
        let handler = GatedHandler()
        let configuration = testConfiguration {
            $0.workerCount = 1
            $0.scheduling.expressWorkerCount = 0
        }
        try withServer(configuration, handler: handler) { server in
            let pool = server.context.workers
            let running = try TestClient(port: server.port, timeout: 20)
            try running.send(Self.large("large-running"))
            #expect(eventually { handler.order == ["large-running"] })
            let queued = try (1...2).map { index in
                let client = try TestClient(port: server.port, timeout: 20)
                try client.send(Self.large("large-queued-\(index)"))
                #expect(eventually { pool.waitingCount == index })
                return client
            }
            let small = try TestClient(port: server.port, timeout: 20)
            try small.send(Self.small("small"))
            #expect(eventually { pool.waitingCount == 3 })
            handler.open(3)
            #expect(try small.readResponse().bodyText == "small")
            #expect(try running.readResponse().status == 200)
            for (index, client) in queued.enumerated() {
                #expect(try client.readResponse().bodyText == "large-queued-\(index + 1)")
            }
            #expect(handler.order == ["large-running", "small", "large-queued-1", "large-queued-2"])
        }
    }

    /// Every regular worker busy with a large request and another large one queued: a small
    /// request is answered at once by an express worker, before the gate opens.
    @Test func smallRequestIsAnsweredWhileLargeRequestsHoldEveryWorker() throws {
        let handler = GatedHandler()
        let configuration = testConfiguration {
            $0.workerCount = 2
            $0.scheduling.expressWorkerCount = 1
        }
        try withServer(configuration, handler: handler) { server in
            let pool = server.context.workers
            let large = try (1...3).map { index in
                let client = try TestClient(port: server.port, timeout: 20)
                try client.send(Self.large("large-\(index)"))
                #expect(eventually { handler.order.count == min(index, 2) && pool.waitingCount == max(0, index - 2) })
                return client
            }
            let small = try TestClient(port: server.port, timeout: 20)
            try small.send(Self.small("small"))
            // The gate is still shut: only an express worker can have answered this.
            let response = try small.readResponse()
            #expect(response.status == 200 && response.bodyText == "small")
            #expect(handler.order.count == 3 && handler.order.last == "small")
            #expect(pool.waitingCount == 1)
            handler.open(3)
            for client in large { #expect(try client.readResponse().status == 200) }
            #expect(handler.order.last == "large-3")
        }
    }

    /// `.arrivalOrder` is first come, first served: the small request waits its turn.
    @Test func arrivalOrderServesInArrivalOrder() throws {
        let handler = GatedHandler()
        let configuration = testConfiguration {
            $0.workerCount = 1
            $0.scheduling = .arrivalOrder
        }
        try withServer(configuration, handler: handler) { server in
            let pool = server.context.workers
            let running = try TestClient(port: server.port, timeout: 20)
            try running.send(Self.large("large-running"))
            #expect(eventually { handler.order == ["large-running"] })
            let queued = try TestClient(port: server.port, timeout: 20)
            try queued.send(Self.large("large-queued"))
            #expect(eventually { pool.waitingCount == 1 })
            let small = try TestClient(port: server.port, timeout: 20)
            try small.send(Self.small("small"))
            #expect(eventually { pool.waitingCount == 2 })
            handler.open(2)
            for client in [running, queued, small] { #expect(try client.readResponse().status == 200) }
            #expect(handler.order == ["large-running", "large-queued", "small"])
        }
    }

    /// The cost hook sees the whole request: here a header makes a bodiless request large.
    @Test func costHookRefinesTheBodySize() throws {
        let handler = GatedHandler()
        let configuration = testConfiguration {
            $0.workerCount = 1
            $0.scheduling.expressWorkerCount = 0
            $0.scheduling.cost = { request in
                request.headers["X-Cost"].flatMap { Int($0) } ?? HTTPScheduling.bodySize(request)
            }
        }
        try withServer(configuration, handler: handler) { server in
            let pool = server.context.workers
            let running = try TestClient(port: server.port, timeout: 20)
            try running.send(Self.large("large-running"))
            #expect(eventually { handler.order == ["large-running"] })
            let declaredLarge = try TestClient(port: server.port, timeout: 20)
            try declaredLarge.send(get("/small", "X-Name: declared-large\r\nX-Cost: 10000000\r\n"))
            #expect(eventually { pool.waitingCount == 1 })
            let small = try TestClient(port: server.port, timeout: 20)
            try small.send(Self.small("small"))
            #expect(eventually { pool.waitingCount == 2 })
            handler.open(1)
            for client in [running, declaredLarge, small] { #expect(try client.readResponse().status == 200) }
            #expect(handler.order == ["large-running", "small", "declared-large"])
        }
    }
}
