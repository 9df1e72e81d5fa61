import Foundation
import Synchronization
import Testing

@testable import ActivationService

/// Many clients at once, and hostile bodies that must not slow the others down.
@Suite struct ConcurrencyEndToEndTests {
    /// 64 keep-alive clients for a bounded time: every answer is a 200 and byte-identical.
    @Test func sixtyFourClientsGetIdenticalAnswers() async throws {
        let live = try LiveService()
        let body = Array(#"{"function":"gelu","inputs":[[-3,-1.5,-0.5,0],[0.5,1.5,3,4]],"dtype":"float32"}"#.utf8)
        let reference = try live.send("POST", "/v1/activate", headers: [("Content-Type", "application/json")], body: body)
        #expect(reference.status == 200)
        // Real threads, not tasks: the clients block in recv, and 64 blocked tasks would starve
        // the cooperative pool (two threads here) instead of loading the server.
        let deadline = ContinuousClock.now + .seconds(3)
        let outcomes = Mutex<[(requests: Int, mismatches: Int, failures: Int)]>([])
        let done = DispatchGroup()
        for _ in 0..<64 {
            done.enter()
            Thread {
                var requests = 0
                var mismatches = 0
                var failures = 0
                if let client = try? live.client() {
                    while ContinuousClock.now < deadline && requests < 500 {
                        guard let response = try? client.send(
                            "POST", "/v1/activate", headers: [("Content-Type", "application/json")], body: body)
                        else { failures += 1; break }
                        if response.status != 200 || response.body != reference.body { mismatches += 1 }
                        requests += 1
                    }
                } else {
                    failures += 1
                }
                outcomes.withLock { $0.append((requests, mismatches, failures)) }
                done.leave()
            }.start()
        }
        done.wait()
        let results = outcomes.withLock { $0 }
        #expect(results.reduce(0) { $0 + $1.failures } == 0)
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0.requests > 0 })
        #expect(results.reduce(0) { $0 + $1.mismatches } == 0)
        await live.stop()
    }

    /// 100,000 nested brackets: answered with an error, no crash, and another client is
    /// served while it is being read.
    @Test func deepNestingIsRefusedWhileOthersAreServed() async throws {
        let live = try LiveService()
        let depth = 100_000
        let hostile = Array(("{\"function\":\"relu\",\"inputs\":" + String(repeating: "[", count: depth)
            + "1" + String(repeating: "]", count: depth) + "}").utf8)
        let bare = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        async let deep = Task.detached {
            try live.send("POST", "/v1/activate", headers: [("Content-Type", "application/json")], body: hostile)
        }.value
        async let bareDeep = Task.detached {
            try live.send("POST", "/v1/activate", headers: [("Content-Type", "application/json")], body: bare)
        }.value
        let healthy = try live.send("GET", "/healthz")
        #expect(healthy.status == 200)
        let answers = try await [deep, bareDeep]
        for answer in answers {
            #expect(answer.status == 400 || answer.status == 422, "\(answer.status)")
            #expect(errorOf(answer.body).code?.isEmpty == false)
        }
        // Still alive afterwards.
        #expect(try live.send("GET", "/healthz").status == 200)
        await live.stop()
    }
}
