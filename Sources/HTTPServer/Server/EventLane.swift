import CHTTPSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// An I/O thread with its own epoll set: it waits for readiness of its connections' sockets
/// and runs their reads, parsing and writes inline, plus tasks posted from other threads
/// (a handler's response, shutdown) and a deadline sweep every `sweepInterval`.
///
/// Why not Dispatch sources: measured with wrk on this machine, every readiness event of a
/// Dispatch source passes through libdispatch's single manager thread, which re-arms the
/// descriptor with `epoll_ctl` and calls `ioctl(FIONREAD)` per event and then wakes another
/// thread to run the handler; that manager thread was the bottleneck (see
/// docs/benchmarks-http.md). Here a readiness event costs one `epoll_wait` slot on the
/// thread that handles it, and interest changes only when a connection's needs change.
///
/// `@unchecked Sendable`: `connections`, `stopping` and the connections' own state are
/// touched only on the lane's thread (`run()` and what it calls); other threads reach the
/// lane only through `execute`, whose queue is behind a pthread mutex, and `readBuffer` is
/// used only by code running on the lane's thread.
final class EventLane: @unchecked Sendable {
    let readBuffer: UnsafeMutableRawBufferPointer
    private let epoll: Int32
    private let wakeup: Int32
    /// Tasks posted from other threads, whether the eventfd has been written since the lane
    /// last drained it, and whether the eventfd is closed. The eventfd is written and closed
    /// only while this lock is held: a descriptor number is reused by the next `accept` or
    /// `eventfd`, so a wake-up written after the close would land in someone else's socket.
    private let pending = Locked(PendingTasks())
    /// The tasks being run, swapped with `pending.tasks` on each wake-up so both arrays keep
    /// their storage: posting a task allocates nothing but its closure (lane thread only).
    private var running: [@Sendable () -> Void] = []
    private var connections: [Int32: HTTPConnection] = [:]
    /// Cost of requests this lane may still handle inline in the current round of its loop
    /// (`HTTPScheduling.inlineCostPerRound`); lane thread only.
    var inlineAllowance = 0
    private let scheduling: HTTPScheduling
    private var stopping = false
    private var started = false

    /// How often deadlines are checked: timeouts fire at most this late.
    static let sweepNanoseconds: UInt64 = 25_000_000
    private static let wakeupTag = UInt64.max
    /// `EPOLLET` (1 << 31, which a C enum of the support module cannot hold portably).
    private static let edgeTriggered: UInt32 = 1 << 31

    init(index: Int, scheduling: HTTPScheduling = HTTPScheduling()) throws(SocketError) {
        self.scheduling = scheduling
        epoll = chttp_epoll_create()
        guard epoll >= 0 else { throw .makeFailed("epoll_create1") }
        wakeup = chttp_eventfd()
        guard wakeup >= 0 else {
            let error = SocketError.makeFailed("eventfd")
            Glibc.close(epoll)
            throw error
        }
        readBuffer = .allocate(byteCount: 64 << 10, alignment: 16)
        // Edge-triggered: every write to an eventfd wakes its epoll waiters again, so the lane
        // never has to read the counter back (one `read` less per task hand-off). The counter
        // only grows, by one per wake-up: 2^64 - 2 of them before a write would block.
        _ = chttp_epoll_ctl(epoll, Int32(CHTTP_EPOLL_CTL_ADD), wakeup, UInt32(CHTTP_EPOLLIN) | Self.edgeTriggered, Self.wakeupTag)
    }

    deinit {
        // The thread holds the lane until it exits, so this runs only after `run()` ended
        // (which closed the descriptors) or when the thread never started.
        if !started {
            Glibc.close(epoll)
            Glibc.close(wakeup)
        }
        readBuffer.deallocate()
    }

    /// Starts the lane's thread (once).
    func start() {
        guard !started else { return }
        started = true
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { argument in
            let lane = Unmanaged<EventLane>.fromOpaque(argument!).takeRetainedValue()
            lane.run()
            return nil
        }, context)
        pthread_detach(thread)
    }

    /// What other threads hand the lane, behind `pending`'s lock.
    struct PendingTasks {
        var tasks: [@Sendable () -> Void] = []
        /// The eventfd was written since the lane last drained it.
        var signalled = false
        /// The lane's thread has ended and the eventfd is closed: tasks are dropped.
        var closed = false
        /// Counts for tests and diagnostics: wake-ups written to the eventfd, tasks dropped
        /// because they came after the close.
        var wakeupsWritten = 0
        var droppedTasks = 0
    }

    /// Runs `task` on the lane's thread, soon. Safe from any thread. A task posted after the
    /// lane's thread has ended is dropped (its connections are closed by then), and nothing is
    /// written to the eventfd, whose number may belong to another descriptor by then.
    func execute(_ task: @escaping @Sendable () -> Void) {
        pending.withLock { pending in
            guard !pending.closed else {
                pending.droppedTasks += 1
                return
            }
            pending.tasks.append(task)
            if !pending.signalled {
                pending.signalled = true
                pending.wakeupsWritten += 1
                chttp_eventfd_signal(wakeup)
            }
        }
    }

    /// The lane's task queue as it stands (a copy, for tests and diagnostics): its counts,
    /// whether it is closed, how many tasks wait.
    var taskQueueState: (waiting: Int, closed: Bool, wakeupsWritten: Int, droppedTasks: Int) {
        pending.withLock { ($0.tasks.count, $0.closed, $0.wakeupsWritten, $0.droppedTasks) }
    }

    /// The eventfd's descriptor number (for tests: it is closed once the thread ends).
    var wakeupDescriptor: Int32 { wakeup }

    /// Ends the thread after the tasks already posted; descriptors are closed on the way out.
    func stop() {
        execute { [self] in stopping = true }
    }

    // MARK: lane thread only

    func register(_ connection: HTTPConnection, reading: Bool, writing: Bool) -> Bool {
        let fd = connection.descriptor.rawValue
        guard chttp_epoll_ctl(epoll, Int32(CHTTP_EPOLL_CTL_ADD), fd, Self.mask(reading, writing), UInt64(fd)) == 0 else {
            return false
        }
        connections[fd] = connection
        return true
    }

    func update(_ connection: HTTPConnection, reading: Bool, writing: Bool) {
        let fd = connection.descriptor.rawValue
        _ = chttp_epoll_ctl(epoll, Int32(CHTTP_EPOLL_CTL_MOD), fd, Self.mask(reading, writing), UInt64(fd))
    }

    /// Removes the socket from the epoll set; call before closing the descriptor.
    func unregister(_ connection: HTTPConnection) {
        let fd = connection.descriptor.rawValue
        guard connections[fd] === connection else { return }
        connections[fd] = nil
        _ = chttp_epoll_ctl(epoll, Int32(CHTTP_EPOLL_CTL_DEL), fd, 0, 0)
    }

    private static func mask(_ reading: Bool, _ writing: Bool) -> UInt32 {
        (reading ? UInt32(CHTTP_EPOLLIN | CHTTP_EPOLLRDHUP) : 0) | (writing ? UInt32(CHTTP_EPOLLOUT) : 0)
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func run() {
        let capacity: Int32 = 128
        var tags = [UInt64](repeating: 0, count: Int(capacity))
        var events = [UInt32](repeating: 0, count: Int(capacity))
        var nextSweep = Self.now() + Self.sweepNanoseconds
        while !stopping {
            let now = Self.now()
            // With no connection there is no deadline: sleep until a task arrives.
            let waitMilliseconds = connections.isEmpty ? -1
                : now >= nextSweep ? 0 : Int32((nextSweep - now) / 1_000_000) + 1
            let count = chttp_epoll_wait(epoll, &tags, &events, capacity, waitMilliseconds)
            inlineAllowance = scheduling.inlineAllowance(readyEvents: Int(max(0, count)))
            if count > 0 {
                for index in 0..<Int(count) {
                    dispatchEvent(tag: tags[index], events: events[index])
                }
            }
            let after = Self.now()
            if after >= nextSweep {
                for connection in connections.values {
                    connection.checkDeadline(now: after)
                }
                nextSweep = after + Self.sweepNanoseconds
            }
        }
        for connection in connections.values {
            connection.close()
        }
        Glibc.close(epoll)
        pending.withLock { pending in
            pending.closed = true
            pending.droppedTasks += pending.tasks.count
            pending.tasks = []
            Glibc.close(wakeup)
        }
        running = []
    }

    private func dispatchEvent(tag: UInt64, events: UInt32) {
        if tag == Self.wakeupTag {
            pending.withLock { pending in
                swap(&pending.tasks, &running)
                pending.signalled = false
            }
            for task in running { task() }
            running.removeAll(keepingCapacity: running.capacity <= 64)
            return
        }
        guard let connection = connections[Int32(truncatingIfNeeded: tag)] else { return }
        let failed = events & UInt32(CHTTP_EPOLLERR | CHTTP_EPOLLHUP) != 0
        if events & UInt32(CHTTP_EPOLLIN | CHTTP_EPOLLRDHUP) != 0 || (failed && connection.readEnabled) {
            connection.handleReadable()
        }
        if events & UInt32(CHTTP_EPOLLOUT) != 0 || (failed && connection.writeEnabled) {
            connection.handleWritable()
        }
        if failed && !connection.readEnabled && !connection.writeEnabled {
            // Reset by the peer while we were not watching either direction (a handler is
            // running): nothing can be delivered any more.
            connection.close()
        }
    }
}
