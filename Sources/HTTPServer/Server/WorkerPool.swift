import CHTTPSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Runs handlers on `width` regular workers plus `expressWidth` workers for small work, taking
/// waiting work by expected cost with aging (the policy and its limits: `HTTPScheduling`).
///
/// Handlers run here unless the scheduling lets a tiny request run on its I/O thread
/// (`HTTPScheduling.inlineCost`), so a slow handler delays only its own connection's
/// response; the width keeps CPU-bound handlers from oversubscribing the cores. Work beyond
/// what the workers take waits in a priority queue without holding a thread.
///
/// Regular workers are threads of the pool's own, at a lower kernel priority than the rest of
/// the process (`HTTPScheduling.regularWorkerNice`): they run the large requests, and when
/// the cores are short the I/O threads and express workers, whose work is short, go first.
/// A thread of our own can keep a raised nice value for good; a Dispatch thread could not
/// (it serves other queues afterwards, and lowering nice again needs `CAP_SYS_NICE`).
///
/// Express workers are serial Dispatch queues, which run on libdispatch's overcommit thread
/// pool: every busy queue gets a thread, so an express worker never waits for a thread behind
/// the large work it exists to bypass.
///
/// Invariants (under the lock): an idle regular worker means nothing waits; an idle express
/// worker means no small work waits. So new work either starts at once on an idle worker or
/// waits, and a worker that finishes takes the next waiting work it may run, or goes idle.
/// After `stop()`, idle regular threads end, busy ones end once nothing waits, and work
/// submitted later runs on a Dispatch queue so nothing is lost.
final class WorkerPool: Sendable {
    typealias Work = @Sendable () -> Void

    private let scheduling: HTTPScheduling
    private let regular: [RegularWorker]
    private let expressQueues: [DispatchQueue]
    /// Workers `0..<width` are regular, `width...` express.
    private let width: Int
    private let state: Locked<State>
    private let label: String

    private struct State {
        var idleRegular: [Int]
        var idleExpress: [Int]
        var arrivals = 0
        var stopped = false
        /// Regular workers that went idle after `stop()`: their threads end.
        var retired: Set<Int> = []
        /// Waiting work that express workers may also take, and the rest.
        var small = WorkHeap()
        var large = WorkHeap()
    }

    /// A regular worker's thread is woken through `wake` with its next work in `slot` (or
    /// with `stop` set, to end).
    private final class RegularWorker: Sendable {
        let wake = DispatchSemaphore(value: 0)
        let slot = Locked<(work: Work?, stop: Bool)>((nil, false))
    }

    init(width: Int, label: String, scheduling: HTTPScheduling = HTTPScheduling()) {
        self.scheduling = scheduling
        self.width = max(1, width)
        self.label = label
        let express = max(0, scheduling.expressWorkerCount)
        regular = (0..<self.width).map { _ in RegularWorker() }
        expressQueues = (0..<express).map { index in
            DispatchQueue(label: "\(label).express.\(index)", qos: .userInitiated)
        }
        let total = self.width + express
        state = Locked(State(idleRegular: Array((0..<self.width).reversed()), idleExpress: Array((self.width..<total).reversed())))
        for index in 0..<self.width { startThread(index) }
    }

    /// Runs `work` now if a worker may take it, else when its turn comes. `cost` is the
    /// expected cost (`HTTPScheduling.cost`); the default 0 is the cheapest.
    func submit(cost: Int = 0, _ work: @escaping Work) {
        let worker = state.withLock { state -> Int? in
            if state.stopped { return -1 }
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
        guard let worker else { return }
        if worker < 0 {
            DispatchQueue.global().async(execute: work)
        } else {
            start(work, on: worker)
        }
    }

    /// Ends the regular threads: idle ones now, busy ones when nothing waits for them.
    func stop() {
        let idle = state.withLock { state -> [Int] in
            state.stopped = true
            defer { state.idleRegular = [] }
            return state.idleRegular
        }
        for index in idle {
            regular[index].slot.withLock { $0.stop = true }
            regular[index].wake.signal()
        }
    }

    /// Work waiting for a worker (for tests and diagnostics).
    var waitingCount: Int { state.withLock { $0.small.count + $0.large.count } }
    /// Workers running work now.
    var busyCount: Int {
        state.withLock { width + expressQueues.count - $0.idleRegular.count - $0.idleExpress.count }
    }

    private func start(_ work: @escaping Work, on worker: Int) {
        if worker < width {
            regular[worker].slot.withLock { $0.work = work }
            regular[worker].wake.signal()
            return
        }
        expressQueues[worker - width].async { [self] in
            var next: Work? = work
            while let current = next {
                current()
                next = nextWork(for: worker)
            }
        }
    }

    private func startThread(_ index: Int) {
        let box = Unmanaged.passRetained(ThreadStart { [self] in runRegular(index) }).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let start = Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue()
            start.body()
            return nil
        }, box)
        if created == 0 {
            pthread_detach(thread)
        } else {
            // No thread: this worker's work runs on a Dispatch queue instead.
            Unmanaged<ThreadStart>.fromOpaque(box).release()
            let fallback = DispatchQueue(label: "\(label).regular.\(index)", qos: .userInitiated)
            fallback.async { [self] in runRegular(index) }
        }
    }

    /// A regular worker's thread: lower its priority once, then run what it is given.
    private func runRegular(_ index: Int) {
        // Linux allows 15 bytes: "http-regular-0".
        _ = chttp_set_current_thread_name(String("http-regular-\(index)".prefix(15)))
        if scheduling.regularWorkerNice > 0 {
            _ = chttp_renice_current_thread(Int32(clamping: min(scheduling.regularWorkerNice, 19)))
        }
        let worker = regular[index]
        while true {
            worker.wake.wait()
            let (work, stop) = worker.slot.withLock { slot in
                defer { slot.work = nil }
                return slot
            }
            guard let work else {
                if stop { return }
                continue
            }
            var next: Work? = work
            while let current = next {
                current()
                guard let following = nextWork(for: index) else {
                    // Marked idle: wait to be handed work. Left out of the idle list (the pool
                    // stopped and nothing waits): no one can hand it work, so the thread ends.
                    if retired(index) { return }
                    break
                }
                next = following
            }
        }
    }

    private func retired(_ worker: Int) -> Bool {
        state.withLock { $0.retired.contains(worker) }
    }

    /// The waiting work `worker` takes next, or nil after marking it idle (or, once the pool
    /// is stopped, leaving it out of the idle list: its thread ends).
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
                    if state.stopped {
                        state.retired.insert(worker)
                    } else {
                        state.idleRegular.append(worker)
                    }
                    return nil
                }
            }
            if let item = state.small.pop() { return item.work }
            state.idleExpress.append(worker)
            return nil
        }
    }
}

/// A thread's body, passed through `pthread_create`'s pointer argument.
private final class ThreadStart {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
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
