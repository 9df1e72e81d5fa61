import Dispatch

/// Runs handlers on `width` regular workers plus `expressWidth` workers for small work, taking
/// waiting work by expected cost with aging (the policy and its limits: `HTTPScheduling`).
///
/// Handlers never run on an I/O thread, so a slow handler delays only its own connection's
/// response; the width keeps CPU-bound handlers from oversubscribing the cores. Work beyond
/// what the workers take waits in a priority queue without holding a thread.
///
/// Each worker is a serial Dispatch queue of its own. Serial queues run on libdispatch's
/// overcommit thread pool, which gives every busy queue a thread; a concurrent queue would
/// share the default pool, whose threads number the processors, and an express worker would
/// then wait for a thread behind the large work it exists to bypass.
///
/// Invariants (under the lock): an idle regular worker means nothing waits; an idle express
/// worker means no small work waits. So new work either starts at once on an idle worker or
/// waits, and a worker that finishes takes the next waiting work it may run, or goes idle.
final class WorkerPool: Sendable {
    typealias Work = @Sendable () -> Void

    private let scheduling: HTTPScheduling
    private let queues: [DispatchQueue]
    /// Workers `0..<width` are regular, `width...` express.
    private let width: Int
    private let state: Locked<State>

    private struct State {
        var idleRegular: [Int]
        var idleExpress: [Int]
        var arrivals = 0
        /// Waiting work that express workers may also take, and the rest.
        var small = WorkHeap()
        var large = WorkHeap()
    }

    init(width: Int, label: String, scheduling: HTTPScheduling = HTTPScheduling()) {
        self.scheduling = scheduling
        self.width = max(1, width)
        let express = max(0, scheduling.expressWorkerCount)
        queues = (0..<(self.width + express)).map { index in
            DispatchQueue(label: "\(label).\(index < max(1, width) ? "regular" : "express").\(index)", qos: .userInitiated)
        }
        state = Locked(State(idleRegular: Array((0..<self.width).reversed()), idleExpress: Array((self.width..<queues.count).reversed())))
    }

    /// Runs `work` now if a worker may take it, else when its turn comes. `cost` is the
    /// expected cost (`HTTPScheduling.cost`); the default 0 is the cheapest.
    func submit(cost: Int = 0, _ work: @escaping Work) {
        let worker = state.withLock { state -> Int? in
            let isSmall = scheduling.isSmall(cost)
            if let index = state.idleRegular.popLast() ?? (isSmall ? state.idleExpress.popLast() : nil) {
                state.arrivals &+= 1
                return index
            }
            let item = WorkItem(key: state.arrivals &+ scheduling.delay(forCost: cost), arrival: state.arrivals, work: work)
            state.arrivals &+= 1
            if isSmall { state.small.push(item) } else { state.large.push(item) }
            return nil
        }
        if let worker { start(work, on: worker) }
    }

    /// Work waiting for a worker (for tests and diagnostics).
    var waitingCount: Int { state.withLock { $0.small.count + $0.large.count } }
    /// Workers running work now.
    var busyCount: Int { state.withLock { queues.count - $0.idleRegular.count - $0.idleExpress.count } }

    private func start(_ work: @escaping Work, on worker: Int) {
        queues[worker].async { [self] in
            var next: Work? = work
            while let current = next {
                current()
                next = nextWork(for: worker)
            }
        }
    }

    /// The waiting work `worker` takes next, or nil after marking it idle.
    private func nextWork(for worker: Int) -> Work? {
        state.withLock { state -> Work? in
            if worker < width {
                // The first of both queues in key order.
                switch (state.small.first, state.large.first) {
                case (let small?, let large?):
                    return large.precedes(small) ? state.large.pop()?.work : state.small.pop()?.work
                case (.some, nil):
                    return state.small.pop()?.work
                case (nil, .some):
                    return state.large.pop()?.work
                case (nil, nil):
                    state.idleRegular.append(worker)
                    return nil
                }
            }
            if let item = state.small.pop() { return item.work }
            state.idleExpress.append(worker)
            return nil
        }
    }
}

/// Work waiting for a worker: its place (`key`, then arrival) and the closure.
struct WorkItem {
    var key: Int
    var arrival: Int
    var work: WorkerPool.Work

    func precedes(_ other: WorkItem) -> Bool {
        key != other.key ? key < other.key : arrival < other.arrival
    }
}

/// A binary min-heap of waiting work in `precedes` order.
struct WorkHeap {
    private var items: [WorkItem] = []

    var count: Int { items.count }
    var first: WorkItem? { items.first }

    mutating func push(_ item: WorkItem) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> WorkItem? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count && items[left].precedes(items[best]) { best = left }
            if right < items.count && items[right].precedes(items[best]) { best = right }
            if best == parent { break }
            items.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
