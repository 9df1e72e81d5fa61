import Dispatch

/// Runs handlers on a concurrent queue, at most `width` at a time.
///
/// Handlers never run on an I/O thread, so a slow handler delays only its own connection's
/// response; the width keeps CPU-bound handlers from oversubscribing the cores (Dispatch
/// would add threads when a handler blocks). Work beyond the width waits in FIFO order
/// without holding a thread.
final class WorkerPool: Sendable {
    private let queue: DispatchQueue
    private let width: Int
    private let state = Locked<(running: Int, waiting: [@Sendable () -> Void], head: Int)>((0, [], 0))

    init(width: Int, label: String) {
        self.width = max(1, width)
        self.queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    /// Runs `work` now if a slot is free, else when one frees up.
    func submit(_ work: @escaping @Sendable () -> Void) {
        let startNow = state.withLock { state -> Bool in
            if state.running < width {
                state.running += 1
                return true
            }
            state.waiting.append(work)
            return false
        }
        if startNow { run(work) }
    }

    private func run(_ work: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            work()
            finished()
        }
    }

    /// Hands the freed slot to the oldest waiting work item, if any.
    private func finished() {
        let next = state.withLock { state -> (@Sendable () -> Void)? in
            guard state.head < state.waiting.count else {
                state.running -= 1
                return nil
            }
            let work = state.waiting[state.head]
            state.head += 1
            if state.head > 64 && state.head * 2 > state.waiting.count {
                state.waiting.removeFirst(state.head)
                state.head = 0
            }
            return work
        }
        if let next { run(next) }
    }
}
