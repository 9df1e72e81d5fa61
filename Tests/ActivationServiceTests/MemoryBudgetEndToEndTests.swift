import Dispatch
import Foundation
import HTTPServer
import Synchronization
import Testing
@testable import ActivationService

/// The memory budget with the real service over real sockets: the working-set bound admits or
/// refuses `/v1/activate` before its body is read, refusals are the JSON error shape with
/// stable codes, probes answer throughout, `/metrics` shows the budget, and a flood of
/// concurrent requests is answered 200 or 503 without one being lost.
@Suite struct MemoryBudgetEndToEndTests {
    static let budget = 20 << 20

    static func live(wait: Duration) throws -> LiveService {
        try LiveService { configuration in
            configuration.memoryBudget = budget
            configuration.memoryWaitTimeout = wait
        }
    }

    static func head(length: Int) -> [UInt8] {
        Array(("POST /v1/activate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(length)\r\n\r\n").utf8)
    }

    /// A gelu request of `count` numbers and its body.
    static func body(count: Int, seed: Int) -> [UInt8] {
        let numbers = (0..<count).map { String(Double(($0 * 7919 + seed) % 8000) / 1000 - 4) }
        return Array(#"{"function": "gelu", "inputs": ["#.utf8) + Array(numbers.joined(separator: ",").utf8) + Array("]}".utf8)
    }

    static func errorCode(_ response: TestResponse) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return nil }
        return error["code"] as? String
    }

    @Test func workingSetBoundFollowsTheBodyAndTheElementLimit() {
        let bound = WorkingSet(maxElements: 1000, maxBodyLength: 1 << 20)
        let activate = HTTPRequestHead(method: .post, target: "/v1/activate", path: "/v1/activate")
        #expect(bound.bytes(for: activate, bodyLength: 100) == 50 * WorkingSet.bytesPerNumber)
        #expect(bound.bytes(for: activate, bodyLength: 1 << 20) == 1000 * WorkingSet.bytesPerNumber)
        let gzip = HTTPRequestHead(
            method: .post, target: "/v1/activate", path: "/v1/activate",
            headers: HTTPHeaders([("Content-Encoding", "gzip")]))
        // A coded body counts what it may decode to (at most 1032 times as large), and that copy.
        #expect(bound.bytes(for: gzip, bodyLength: 10) == 10_320 + 1000 * WorkingSet.bytesPerNumber)
        let infer = HTTPRequestHead(
            method: .post, target: "/v2/models/gelu/infer", path: "/v2/models/gelu/infer",
            headers: HTTPHeaders([("Inference-Header-Content-Length", "100")]))
        #expect(bound.bytes(for: infer, bodyLength: 500) == (50 + 100) * WorkingSet.bytesPerNumber)
        let get = HTTPRequestHead(method: .get, target: "/healthz", path: "/healthz")
        #expect(bound.bytes(for: get, bodyLength: 0) == 0)
    }

    @Test func requestThatCanNeverFitIs413InTheErrorShape() async throws {
        let live = try Self.live(wait: .seconds(1))
        let client = try live.client()
        // Only the head: the answer comes before the body is sent.
        try client.write(Self.head(length: 1_000_000))
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(Self.errorCode(response) == "payload_too_large")
        #expect(response.header("Content-Type") == "application/json")
        // Under /v2 the same refusal is in the inference protocol's shape.
        let inference = try live.client()
        try inference.write(Array(
            "POST /v2/models/gelu/infer HTTP/1.1\r\nHost: test\r\nContent-Length: 1000000\r\n\r\n".utf8))
        let refused = try inference.readResponse()
        #expect(refused.status == 413)
        #expect(refused.header("X-Error-Code") == "payload_too_large")
        let object = try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any]
        #expect(object?["error"] is String, "\(refused.text)")
        await live.stop()
    }

    @Test func waitRunsOutWith503RetryAfterAndProbesAnswerMeanwhile() async throws {
        let live = try Self.live(wait: .milliseconds(800))
        // Two requests hold about 7.6 MB each (200 KB body + 74 bytes x 100,000 numbers) and
        // send only part of their bodies; a third of the same size cannot fit beside them.
        let holders = try (0..<2).map { _ in try live.client() }
        for holder in holders {
            try holder.write(Self.head(length: 200_000) + Array(#"{"function": "gelu", "inputs": [1"#.utf8))
        }
        #expect(eventually { live.server.memory.inUse >= 15_000_000 })
        let waiter = try live.client()
        try waiter.write(Self.head(length: 200_000))
        #expect(eventually { live.server.memory.waiting == 1 })
        let metrics = try live.send("GET", "/metrics").text
        #expect(metrics.contains("http_memory_budget_bytes \(Self.budget)"))
        #expect(metrics.contains("http_memory_waiting_requests 1"))
        for probe in ["/healthz", "/readyz", "/v2/health/live"] {
            let started = Date()
            #expect(try live.send("GET", probe).status == 200)
            #expect(Date().timeIntervalSince(started) < 1)
        }
        let response = try waiter.readResponse()
        #expect(response.status == 503)
        #expect(Self.errorCode(response) == "insufficient_memory")
        #expect(response.header("Retry-After") == "2")
        let after = try live.send("GET", "/metrics").text
        #expect(after.contains(#"http_memory_refused_total{reason="timed_out"} 1"#))
        #expect(after.contains(#"http_errors_total{code="insufficient_memory"} 1"#))
        for holder in holders { holder.close() }
        #expect(eventually { live.server.memory.inUse == 0 })
        await live.stop()
    }

    @Test func floodOfConcurrentRequestsIsAnsweredWithoutLoss() async throws {
        let live = try Self.live(wait: .seconds(20))
        let port = live.port
        let outcomes = Mutex<[Int: (status: Int, values: Int?, code: String?)]>([:])
        let stopProbing = Atomic<Bool>(false)
        let slowestProbe = Mutex<Double>(0)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            while !stopProbing.load(ordering: .relaxed) {
                let started = Date()
                let status = (try? LiveServiceProbe.health(port: port)) ?? 0
                let seconds = status == 200 ? Date().timeIntervalSince(started) : 99
                slowestProbe.withLock { $0 = max($0, seconds) }
                usleep(100_000)
            }
        }
        let requests = DispatchGroup()
        for index in 0..<12 {
            DispatchQueue.global().async(group: requests) {
                let count = 20_000 + index * 1000
                let body = Self.body(count: count, seed: index)
                let outcome: (Int, Int?, String?)
                do {
                    let client = try TestClient(port: port)
                    if index % 4 == 0 {
                        // A slow upload: the body in pieces with pauses.
                        try client.write(Self.head(length: body.count))
                        for start in stride(from: 0, to: body.count, by: 65_536) {
                            try client.write(Array(body[start..<min(start + 65_536, body.count)]))
                            usleep(20_000)
                        }
                    } else {
                        try client.write(Self.head(length: body.count) + body)
                    }
                    let response = try client.readResponse()
                    let values = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["values"]
                    outcome = (response.status, (values as? [Any])?.count, Self.errorCode(response))
                } catch {
                    outcome = (0, nil, "\(error)")
                }
                outcomes.withLock { $0[index] = outcome }
            }
        }
        requests.wait()
        stopProbing.store(true, ordering: .relaxed)
        group.wait()
        let results = outcomes.withLock { $0 }
        #expect(results.count == 12)
        for (index, result) in results {
            if result.status == 200 {
                #expect(result.values == 20_000 + index * 1000)
            } else {
                #expect(result.status == 503 && result.code == "insufficient_memory", "request \(index): \(result)")
            }
        }
        #expect(results.values.contains { $0.status == 200 })
        #expect(slowestProbe.withLock { $0 } < 1)
        #expect(live.server.memory.peak <= Self.budget)
        #expect(eventually { live.server.memory.inUse == 0 })
        await live.stop()
    }
}

/// One `/healthz` on a fresh connection.
enum LiveServiceProbe {
    static func health(port: Int) throws -> Int {
        let client = try TestClient(port: port, timeoutSeconds: 5)
        defer { client.close() }
        return try client.send("GET", "/healthz").status
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
private func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
