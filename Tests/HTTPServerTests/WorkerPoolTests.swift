import Dispatch
import Testing
@testable import HTTPServer

/// The worker pool's order, checked deterministically: every worker is held by work that waits
/// on a gate, the work under test is queued behind it, then the gate opens and the order in
/// which queued work starts is recorded. No timing is measured; waits only guard against hangs.
@Suite struct WorkerPoolTests {
    /// A pool with `width` regular workers, its scheduling adjusted, and a log of starts.
    final class Harness: Sendable {
        let pool: WorkerPool
        let log = Locked<[String]>([])
        private let gate = DispatchSemaphore(value: 0)
        private let finished = DispatchGroup()

        init(width: Int = 1, _ adjust: (inout HTTPScheduling) -> Void) {
            var scheduling = HTTPScheduling()
            scheduling.expressWorkerCount = 0
            adjust(&scheduling)
            pool = WorkerPool(width: width, label: "test.pool", scheduling: scheduling)
        }

        /// Submits work that records `name` when it starts and then holds its worker until
        /// `open(_:)`; returns once the work has started.
        func hold(_ name: String, cost: Int = 0) -> Bool {
            let started = DispatchSemaphore(value: 0)
            finished.enter()
            pool.submit(cost: cost) { [self] in
                log.withLock { $0.append(name) }
                started.signal()
                _ = gate.wait(timeout: .now() + 20)
                finished.leave()
            }
            return started.wait(timeout: .now() + 10) == .success
        }

        /// Submits work that records `name` when it starts.
        func add(_ name: String, cost: Int, then: (@Sendable () -> Void)? = nil) {
            finished.enter()
            pool.submit(cost: cost) { [self] in
                log.withLock { $0.append(name) }
                then?()
                finished.leave()
            }
        }

        /// Releases `holders` held workers and waits for all submitted work to end.
        func open(_ holders: Int) -> Bool {
            for _ in 0..<holders { gate.signal() }
            return finished.wait(timeout: .now() + 20) == .success
        }

        var order: [String] { log.withLock { $0 } }
    }

    @Test func smallWorkStartsBeforeQueuedLargeWork() throws {
        let harness = Harness { $0.costPerPlace = 1000 }
        #expect(harness.hold("holder"))
        harness.add("large-1", cost: 1_000_000)
        harness.add("large-2", cost: 1_000_000)
        harness.add("small-1", cost: 10)
        harness.add("medium", cost: 5_000)
        harness.add("small-2", cost: 10)
        #expect(harness.pool.waitingCount == 5)
        #expect(harness.open(1))
        #expect(harness.order == ["holder", "small-1", "small-2", "medium", "large-1", "large-2"])
    }

    @Test func equalCostsKeepArrivalOrder() throws {
        let harness = Harness { $0.costPerPlace = 100 }
        #expect(harness.hold("holder"))
        let names = (0..<50).map { "work-\($0)" }
        for name in names { harness.add(name, cost: 7_000) }
        #expect(harness.open(1))
        #expect(harness.order == ["holder"] + names)
    }

    /// Aging: large work with a delay of d places is overtaken by exactly d - 1 of a stream of
    /// later small arrivals, then starts before the rest of the stream.
    @Test(arguments: [1, 2, 3, 17, 200])
    func largeWorkIsOvertakenByABoundedNumberOfLaterArrivals(delay: Int) throws {
        let harness = Harness { $0.costPerPlace = 10 }
        #expect(harness.hold("holder"))
        harness.add("large", cost: delay * 10)
        for index in 0..<(delay + 300) { harness.add("small-\(index)", cost: 0) }
        #expect(harness.open(1))
        let order = harness.order
        #expect(order.count == delay + 302)
        #expect(order.firstIndex(of: "large") == 1 + max(0, delay - 1))
        // The small stream kept its own arrival order around it.
        #expect(order.filter { $0 != "large" && $0 != "holder" } == (0..<(delay + 300)).map { "small-\($0)" })
    }

    @Test func maxOvertakingCapsTheDelayOfTheLargestWork() throws {
        let harness = Harness {
            $0.costPerPlace = 1
            $0.maxOvertaking = 5
        }
        #expect(harness.hold("holder"))
        harness.add("huge", cost: Int.max)
        for index in 0..<20 { harness.add("small-\(index)", cost: 0) }
        #expect(harness.open(1))
        #expect(harness.order.firstIndex(of: "huge") == 1 + 4)
    }

    @Test func arrivalOrderIgnoresCost() throws {
        let harness = Harness { $0 = .arrivalOrder }
        #expect(harness.hold("holder"))
        harness.add("large", cost: 50_000_000)
        harness.add("small", cost: 1)
        harness.add("medium", cost: 100_000)
        #expect(harness.open(1))
        #expect(harness.order == ["holder", "large", "small", "medium"])
    }

    /// Two regular workers held by large work: small work still starts at once on an express
    /// worker, while the large work queued behind them waits.
    @Test func expressWorkersRunSmallWorkWhileRegularWorkersAreBusy() throws {
        let harness = Harness(width: 2) {
            $0.expressWorkerCount = 1
            $0.smallCost = 100
        }
        #expect(harness.hold("large-running-1", cost: 10_000))
        #expect(harness.hold("large-running-2", cost: 10_000))
        harness.add("large-waiting", cost: 10_000)
        #expect(harness.pool.waitingCount == 1)
        let smallDone = DispatchSemaphore(value: 0)
        harness.add("small", cost: 100) { smallDone.signal() }
        // Returns only if the small work ran while every regular worker was still held.
        #expect(smallDone.wait(timeout: .now() + 10) == .success)
        #expect(harness.order == ["large-running-1", "large-running-2", "small"])
        #expect(harness.pool.waitingCount == 1)
        #expect(harness.open(2))
        #expect(harness.order.last == "large-waiting")
    }

    @Test func expressWorkersNeverTakeLargeWork() throws {
        let harness = Harness(width: 1) {
            $0.expressWorkerCount = 3
            $0.smallCost = 100
        }
        #expect(harness.hold("holder", cost: 101))
        harness.add("large-1", cost: 101)
        harness.add("large-2", cost: 5_000)
        #expect(harness.pool.busyCount == 1)
        #expect(harness.pool.waitingCount == 2)
        #expect(harness.open(1))
        #expect(harness.order == ["holder", "large-1", "large-2"])
    }

    /// Express workers busy too: small work waits like the rest, then runs first.
    @Test func smallWorkQueuesWhenExpressWorkersAreBusyToo() throws {
        let harness = Harness(width: 1) {
            $0.expressWorkerCount = 1
            $0.smallCost = 100
            $0.costPerPlace = 10
        }
        #expect(harness.hold("large-holder", cost: 1_000))
        #expect(harness.hold("small-holder", cost: 1))
        harness.add("large", cost: 1_000)
        harness.add("small", cost: 1)
        #expect(harness.pool.waitingCount == 2)
        #expect(harness.open(2))
        let order = harness.order
        #expect(order.firstIndex(of: "small")! < order.firstIndex(of: "large")!)
    }

    /// Many threads submitting work of mixed costs at once (the TSan run checks the locking):
    /// every item runs exactly once, and the pool ends idle with nothing waiting.
    @Test func concurrentSubmissionsRunEveryItemOnce() throws {
        var scheduling = HTTPScheduling()
        scheduling.expressWorkerCount = 2
        scheduling.smallCost = 1_000
        scheduling.costPerPlace = 100
        let pool = WorkerPool(width: 2, label: "test.pool", scheduling: scheduling)
        let runs = Locked<[Int]>(Array(repeating: 0, count: 4_000))
        let done = DispatchGroup()
        DispatchQueue.concurrentPerform(iterations: 4) { submitter in
            for item in stride(from: submitter, to: 4_000, by: 4) {
                done.enter()
                pool.submit(cost: (item * 7919) % 20_000) {
                    runs.withLock { $0[item] += 1 }
                    done.leave()
                }
            }
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(runs.withLock { $0.allSatisfy { $0 == 1 } })
        #expect(eventually { pool.busyCount == 0 })
        #expect(pool.waitingCount == 0)
    }

    @Test func defaultCostIsTheBodyLengthWeightedWhenEncoded() {
        var request = HTTPRequest(method: .post, target: "/", path: "/", body: Array(repeating: 0x30, count: 1000))
        #expect(HTTPScheduling.bodySize(request) == 1000)
        request.headers.add(name: "Content-Encoding", value: "gzip")
        #expect(HTTPScheduling.bodySize(request) == 1000 * HTTPScheduling.encodedBodyWeight)
        #expect(HTTPScheduling.bodySize(HTTPRequest(method: .get, target: "/", path: "/")) == 0)
    }
}
