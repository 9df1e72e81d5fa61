import Dispatch
import Foundation
import Testing
@testable import HTTPServer

/// The memory budget over real sockets: admission before the body is read, a bounded wait with
/// reads paused, 413 for what can never fit, 503 with Retry-After when the wait runs out,
/// chunked bodies counted as they grow, and nothing left reserved afterwards.
@Suite struct MemoryBudgetTests {
    /// Answers with the body's length and a digest of its bytes, so a test can tell that every
    /// byte arrived, in order, without the answer itself weighing as much as the body.
    struct DigestHandler: HTTPHandler {
        func handle(_ request: HTTPRequest) -> HTTPResponse {
            HTTPResponse(status: 200, body: Array(MemoryBudgetTests.digest(request.body).utf8))
        }
    }

    /// Order-sensitive, and cheap enough for the sanitizer's debug build.
    static func digest(_ body: [UInt8]) -> String {
        let sum = body.withUnsafeBufferPointer { bytes in
            var sum: UInt64 = 0
            var index = 0
            while index < bytes.count {
                sum = sum &* 31 &+ UInt64(bytes[index])
                index += 1
            }
            return sum
        }
        return "\(body.count) \(sum)"
    }

    /// A budget of 1 MiB, a short wait, and the status's code and Retry-After visible in headers.
    static func configuration(wait: Duration = .milliseconds(400)) -> HTTPServerConfiguration {
        testConfiguration { configuration in
            configuration.memoryBudget = 1 << 20
            configuration.memoryWaitTimeout = wait
            configuration.errorResponder = { status, code, message, _ in
                HTTPResponse(status: status, headers: HTTPHeaders([("X-Error-Code", code)]), body: Array(message.utf8))
            }
        }
    }

    /// Reads a response on a client with a short timeout, retrying the wait up to 30 s.
    static func readRetrying(_ client: TestClient) throws -> TestResponse {
        for _ in 0..<59 {
            do { return try client.readResponse() } catch TestClientError.timedOut { continue }
        }
        return try client.readResponse()
    }

    static func post(_ path: String, length: Int, extra: String = "") -> String {
        "POST \(path) HTTP/1.1\r\nHost: test\r\nContent-Length: \(length)\r\n\(extra)\r\n"
    }

    static func body(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    }

    @Test func requestThatCanNeverFitIs413BeforeItsBody() throws {
        try withServer(Self.configuration(), handler: DigestHandler()) { server in
            let client = try TestClient(port: server.port, timeout: 30)
            try client.send(Self.post("/big", length: 2 << 20))
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("X-Error-Code") == "payload_too_large")
            #expect(response.closes)
            #expect(server.memory.refusedNeverFits == 1)
            #expect(eventually { server.memory.inUse == 0 })
        }
    }

    @Test func waitingRequestGets503WithRetryAfterAndHealthStillAnswers() throws {
        try withServer(Self.configuration(wait: .milliseconds(600)), handler: DigestHandler()) { server in
            // The holder reserves 800 KB and sends only half of it: its memory stays taken.
            let holder = try TestClient(port: server.port, timeout: 30)
            try holder.send(Self.post("/hold", length: 800_000))
            try holder.send(Self.body(400_000, seed: 1))
            #expect(eventually { server.memory.inUse == 800_000 })
            let waiter = try TestClient(port: server.port, timeout: 30)
            try waiter.send(Self.post("/wait", length: 400_000))
            #expect(eventually { server.memory.waiting == 1 })
            // Requests without a body are not held back while another waits.
            let started = Date()
            let health = try TestClient(port: server.port, timeout: 30)
            try health.send(get("/healthz"))
            #expect(try health.readResponse().status == 200)
            #expect(Date().timeIntervalSince(started) < 1)
            let response = try waiter.readResponse()
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "2")
            #expect(response.header("X-Error-Code") == "insufficient_memory")
            #expect(response.closes)
            #expect(server.memory.refusedTimedOut == 1)
            #expect(server.memory.waiting == 0)
            // The holder is unaffected and completes.
            let rest = Self.body(800_000, seed: 1)
            try holder.send(Array(rest[400_000...]))
            let held = try holder.readResponse()
            #expect(held.status == 200)
            #expect(held.bodyText == Self.digest(rest))
            holder.close()
            #expect(eventually { server.memory.inUse == 0 })
        }
    }

    @Test func waiterIsAdmittedWhenMemoryIsReleasedAndLosesNothing() throws {
        try withServer(Self.configuration(wait: .seconds(5)), handler: DigestHandler()) { server in
            let holder = try TestClient(port: server.port, timeout: 30)
            let held = Self.body(700_000, seed: 2)
            try holder.send(Self.post("/hold", length: held.count))
            try holder.send(Array(held[..<100_000]))
            #expect(eventually { server.memory.inUse == 700_000 })
            // The waiter sends head and body at once: the body stays in the socket buffers
            // (reads paused) until memory is granted.
            let waiter = try TestClient(port: server.port, timeout: 30)
            let waited = Self.body(600_000, seed: 3)
            let sender = DispatchQueue(label: "sender")
            sender.async { try? waiter.send(Array(Self.post("/wait", length: waited.count).utf8) + waited) }
            #expect(eventually { server.memory.waiting == 1 })
            try holder.send(Array(held[100_000...]))
            #expect(try holder.readResponse().bodyText == Self.digest(held))
            let response = try waiter.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == Self.digest(waited))
            holder.close()
            waiter.close()
            #expect(eventually { server.memory.inUse == 0 && server.memory.waiting == 0 })
            #expect(server.memory.peak <= 1 << 20)
        }
    }

    @Test func smallRequestIsNotHeldBehindALargeWaiter() throws {
        try withServer(Self.configuration(wait: .seconds(3)), handler: DigestHandler()) { server in
            let holder = try TestClient(port: server.port, timeout: 30)
            try holder.send(Self.post("/hold", length: 700_000))
            try holder.send(Self.body(1000, seed: 4))
            #expect(eventually { server.memory.inUse == 700_000 })
            let large = try TestClient(port: server.port, timeout: 30)
            try large.send(Self.post("/large", length: 600_000))
            #expect(eventually { server.memory.waiting == 1 })
            let small = try TestClient(port: server.port, timeout: 30)
            let smallBody = Self.body(100_000, seed: 5)
            try small.send(Array(Self.post("/small", length: smallBody.count).utf8) + smallBody)
            let response = try small.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == Self.digest(smallBody))
            #expect(server.memory.waiting == 1)
            holder.close()
            large.close()
            #expect(eventually { server.memory.inUse == 0 && server.memory.waiting == 0 })
        }
    }

    @Test func chunkedBodyIsCountedAsItGrows() throws {
        try withServer(Self.configuration(), handler: DigestHandler()) { server in
            let client = try TestClient(port: server.port, timeout: 30)
            try client.send("POST /chunked HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = [UInt8](repeating: 0x61, count: 200_000)
            let line = Array(String(chunk.count, radix: 16).utf8) + [13, 10]
            try client.send(line + chunk + [13, 10])
            #expect(eventually { server.memory.inUse >= 200_000 })
            let afterOne = server.memory.inUse
            for _ in 0..<3 { try client.send(line + chunk + [13, 10]) }
            #expect(eventually { server.memory.inUse >= 800_000 })
            #expect(server.memory.inUse > afterOne)
            // A chunk that takes the body past the budget can never fit: 413 before its data.
            try client.send(Array(String(400_000, radix: 16).utf8) + [13, 10])
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(eventually { server.memory.inUse == 0 })
        }
    }

    @Test func expectContinueIsAnsweredOnlyOnceAdmitted() throws {
        try withServer(Self.configuration(wait: .seconds(5)), handler: DigestHandler()) { server in
            let holder = try TestClient(port: server.port, timeout: 30)
            let held = Self.body(700_000, seed: 6)
            try holder.send(Self.post("/hold", length: held.count))
            #expect(eventually { server.memory.inUse == 700_000 })
            let waiter = try TestClient(port: server.port, timeout: 0.5)
            try waiter.send(Self.post("/wait", length: 600_000, extra: "Expect: 100-continue\r\n"))
            #expect(eventually { server.memory.waiting == 1 })
            #expect((try? waiter.readResponse()) == nil)
            try holder.send(held)
            #expect(try holder.readResponse().status == 200)
            #expect(eventually(timeout: 2) { server.memory.waiting == 0 })
            let interim = try Self.readRetrying(waiter)
            #expect(interim.status == 100)
            let waited = Self.body(600_000, seed: 7)
            try waiter.send(waited)
            let response = try Self.readRetrying(waiter)
            #expect(response.bodyText == Self.digest(waited))
        }
    }

    @Test func answersAreCountedUntilSent() throws {
        // Larger than the socket buffers can absorb, so part of it waits in ours.
        let handler = HTTPHandlerClosure { _ in HTTPResponse(status: 200, body: [UInt8](repeating: 0x62, count: 24 << 20)) }
        try withServer(Self.configuration(), handler: handler) { server in
            let client = try TestClient(port: server.port, timeout: 30)
            try client.send(get("/large-answer"))
            // The client reads nothing yet: the whole answer is counted until it is sent, even
            // past the budget (it exists already: only admission is bounded).
            #expect(eventually { server.memory.inUse >= 24 << 20 })
            let response = try client.readResponse()
            #expect(response.body.count == 24 << 20)
            #expect(eventually { server.memory.inUse == 0 })
        }
    }

    @Test func chunkedReservationStepsArePowersOfTwoCappedAtTheLimit() {
        #expect(HTTPConnection.chunkedReservationLength(1, limit: 1 << 26) == 64 << 10)
        #expect(HTTPConnection.chunkedReservationLength(65_537, limit: 1 << 26) == 128 << 10)
        #expect(HTTPConnection.chunkedReservationLength(3 << 20, limit: 1 << 26) == 4 << 20)
        #expect(HTTPConnection.chunkedReservationLength(50 << 20, limit: 60 << 20) == 60 << 20)
    }

    @Test func cgroupLimitFilesParse() {
        #expect(MemoryLimit.parseLimit("536870912\n") == 536_870_912)
        #expect(MemoryLimit.parseLimit("max\n") == nil)
        #expect(MemoryLimit.parseLimit("") == nil)
        #expect(MemoryLimit.parseLimit("+5") == nil)
        let (bytes, source) = MemoryLimit.detect()
        #expect(bytes > 0 && bytes <= MemoryLimit.physicalMemory)
        let expected = source == .physicalMemory ? bytes / 2 : bytes / 4 * 3
        #expect(MemoryLimit.defaultBudget() == expected)
    }
}

/// `takeBody()`: the handler that reads a body once lets go of it for every copy.
@Suite struct RequestBodyTakingTests {
    @Test func takingTheBodyEmptiesEveryCopyThatSharesIt() {
        let request = HTTPRequest(method: "POST", target: "/", path: "/", body: [1, 2, 3])
        let copy = request
        var changed = request
        changed.body = [9]
        #expect(request.takeBody() == [1, 2, 3])
        #expect(request.body.isEmpty)
        #expect(copy.body.isEmpty)
        #expect(changed.body == [9])
        #expect(request.takeBody().isEmpty)
    }
}
