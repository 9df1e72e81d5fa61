/// The process-wide memory budget: bytes that requests may hold at once (bodies as they
/// arrive, the working set the handler will need, answers being written).
///
/// Goals, in order: the total reserved never passes `capacity` through admission (only an
/// answer that came out larger than its estimate is counted past it, because it already
/// exists); a request that fits is never held behind one that does not (no head-of-line
/// blocking: small requests are not starved by large ones waiting); waiters that fit are
/// granted in arrival order when memory is released; a wait is bounded by its caller's
/// deadline, which then cancels it.
///
/// Large waiters can in turn be passed by a stream of smaller requests; their wait is bounded
/// (the connection answers 503 with Retry-After), so a client retries rather than hangs.
public final class MemoryBudget: Sendable {
    /// Bytes that may be reserved at once.
    public let capacity: Int

    private struct Waiter {
        let id: Int
        let bytes: Int
        let grant: @Sendable () -> Void
    }

    private struct State {
        var inUse = 0
        var waiters: [Waiter] = []
        var nextID = 0
        var refusedNeverFits = 0
        var refusedTimedOut = 0
        var peak = 0
    }

    /// `Locked` (a pthread mutex) rather than `Mutex`: ThreadSanitizer sees it.
    private let state = Locked(State())

    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Whether `bytes` could ever be reserved (alone, with nothing else held).
    public func canEverFit(_ bytes: Int) -> Bool { bytes <= capacity }

    /// Reserves `bytes` if they fit now, whoever is waiting.
    public func tryReserve(_ bytes: Int) -> Bool {
        state.withLock { state in
            guard bytes <= capacity - state.inUse else { return false }
            state.inUse += bytes
            state.peak = max(state.peak, state.inUse)
            return true
        }
    }

    /// Reserves `bytes` now (nil) or queues the request and returns its ticket; `grant` is
    /// called, once and from whichever thread releases memory, when the bytes are reserved
    /// for it. A queued request must be cancelled with `cancelWait` if it stops waiting.
    func reserveOrWait(_ bytes: Int, grant: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { state in
            if bytes <= capacity - state.inUse {
                state.inUse += bytes
                state.peak = max(state.peak, state.inUse)
                return nil
            }
            let id = state.nextID
            state.nextID += 1
            state.waiters.append(Waiter(id: id, bytes: bytes, grant: grant))
            return id
        }
    }

    /// Stops waiting: true when the ticket was still queued (nothing reserved), false when it
    /// had already been granted (its `grant` has run or is about to; the bytes are reserved).
    func cancelWait(_ id: Int) -> Bool {
        state.withLock { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
            state.waiters.remove(at: index)
            return true
        }
    }

    /// Counts bytes that already exist (an answer larger than its estimate); never waits.
    func forceReserve(_ bytes: Int) {
        guard bytes > 0 else { return }
        state.withLock { state in
            state.inUse += bytes
            state.peak = max(state.peak, state.inUse)
        }
    }

    /// Returns `bytes` and grants, in arrival order, every waiter that now fits.
    func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        let granted = state.withLock { state -> [@Sendable () -> Void] in
            state.inUse = max(0, state.inUse - bytes)
            var granted: [@Sendable () -> Void] = []
            var index = 0
            while index < state.waiters.count {
                let waiter = state.waiters[index]
                if waiter.bytes <= capacity - state.inUse {
                    state.inUse += waiter.bytes
                    state.peak = max(state.peak, state.inUse)
                    granted.append(waiter.grant)
                    state.waiters.remove(at: index)
                } else {
                    index += 1
                }
            }
            return granted
        }
        for grant in granted { grant() }
    }

    func recordRefused(neverFits: Bool) {
        state.withLock { state in
            if neverFits { state.refusedNeverFits += 1 } else { state.refusedTimedOut += 1 }
        }
    }

    /// A consistent snapshot for metrics and tests.
    public var snapshot: MemoryBudgetSnapshot {
        state.withLock { state in
            MemoryBudgetSnapshot(
                capacity: capacity, inUse: state.inUse, peak: state.peak, waiting: state.waiters.count,
                refusedNeverFits: state.refusedNeverFits, refusedTimedOut: state.refusedTimedOut)
        }
    }
}

/// The budget's numbers at one moment.
public struct MemoryBudgetSnapshot: Sendable, Equatable {
    /// The budget in bytes.
    public var capacity: Int
    /// Bytes reserved now.
    public var inUse: Int
    /// Most bytes reserved at once since start.
    public var peak: Int
    /// Requests whose reads are paused until memory is released.
    public var waiting: Int
    /// Requests answered 413 because they could never fit in the budget.
    public var refusedNeverFits: Int
    /// Requests answered 503 because memory did not free up within the wait.
    public var refusedTimedOut: Int

    public init(
        capacity: Int = 0, inUse: Int = 0, peak: Int = 0, waiting: Int = 0, refusedNeverFits: Int = 0,
        refusedTimedOut: Int = 0
    ) {
        self.capacity = capacity
        self.inUse = inUse
        self.peak = peak
        self.waiting = waiting
        self.refusedNeverFits = refusedNeverFits
        self.refusedTimedOut = refusedTimedOut
    }
}
