import CHTTPSupport
import Dispatch
import Testing
@testable import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// The lane's task queue around its close, checked by counts rather than by timing: a task
/// posted after the lane's thread ended must be dropped without a wake-up being written, since
/// the eventfd's number is free by then and the next descriptor opened takes it (the bug this
/// guards against wrote the wake-up into such a reused descriptor).
@Suite struct EventLaneTests {
    /// Waits (bounded) until `condition` holds; the waits only keep a failure from hanging.
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<2_000 {
            if condition() { return true }
            usleep(1_000)
        }
        return condition()
    }

    @Test func tasksRunAndOneWakeUpServesSeveral() throws {
        let lane = try EventLane(index: 0)
        let ran = Locked(0)
        // Posted before the thread starts: queued behind a single wake-up.
        for _ in 0..<3 { lane.execute { ran.withLock { $0 += 1 } } }
        #expect(lane.taskQueueState.waiting == 3)
        #expect(lane.taskQueueState.wakeupsWritten == 1)
        lane.start()
        #expect(eventually { ran.withLock { $0 } == 3 })
        #expect(lane.taskQueueState.waiting == 0)
        // Drained: the next task writes a wake-up again, and runs.
        lane.execute { ran.withLock { $0 += 1 } }
        #expect(eventually { ran.withLock { $0 } == 4 })
        #expect(lane.taskQueueState.wakeupsWritten == 2)
        lane.stop()
        #expect(eventually { lane.taskQueueState.closed })
        #expect(lane.taskQueueState.droppedTasks == 0)
    }

    @Test func taskPostedAfterCloseIsDroppedAndWritesNothing() throws {
        let lane = try EventLane(index: 0)
        let wakeup = lane.wakeupDescriptor
        lane.start()
        lane.stop()
        #expect(eventually { lane.taskQueueState.closed })
        let before = lane.taskQueueState

        // The eventfd's number is free now: open descriptors until one takes it, as the next
        // accepted socket would (the kernel gives out the lowest free number). Tests running in
        // parallel may take the number first, so the proof is the counts below; the probes add
        // that none of the descriptors opened since was written to.
        var probes: [Int32] = []
        defer { probes.forEach { _ = Glibc.close($0) } }
        while probes.count < 64, !probes.contains(wakeup) {
            let probe = chttp_eventfd()
            guard probe >= 0 else { break }
            probes.append(probe)
        }

        let ran = Locked(false)
        lane.execute { ran.withLock { $0 = true } }
        lane.stop()

        let after = lane.taskQueueState
        #expect(after.droppedTasks == before.droppedTasks + 2)
        #expect(after.wakeupsWritten == before.wakeupsWritten)
        #expect(after.waiting == 0)
        #expect(!ran.withLock { $0 })
        // Nothing was written into the descriptor that now has the eventfd's old number.
        for probe in probes {
            var value: UInt64 = 0
            let count = read(probe, &value, MemoryLayout<UInt64>.size)
            #expect(count == -1 && errno == EAGAIN, "descriptor \(probe) was written to after the lane closed")
        }
    }
}
