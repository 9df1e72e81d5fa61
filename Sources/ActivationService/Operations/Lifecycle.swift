import Synchronization

/// Where the service stands in its life, as readiness probes and responses see it.
///
/// The server owns listening and stopping; the service only needs to know whether it should
/// still be given new work. `draining` starts at the first SIGTERM/SIGINT: `GET /readyz` answers
/// 503 at once so load balancers stop routing here, while requests already routed are still
/// served (with `Connection: close`, so keep-alive clients reconnect to another instance).
public enum LifecyclePhase: String, Sendable {
    case ready
    case draining
}

/// The phase, shared by every worker thread; transitions happen here and nowhere else.
public final class Lifecycle: Sendable {
    private let phase = Atomic<Bool>(false)

    public init() {}

    public var current: LifecyclePhase { phase.load(ordering: .acquiring) ? .draining : .ready }

    /// Moves to `draining`; returns false when already draining (a second signal).
    @discardableResult
    public func startDraining() -> Bool {
        !phase.exchange(true, ordering: .acquiringAndReleasing)
    }
}
