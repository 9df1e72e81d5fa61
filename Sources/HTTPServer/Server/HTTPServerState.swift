/// The server's life, in order; it only moves forward (Hummingbird's `Server.State`).
///
/// - `starting`: configured, not yet bound.
/// - `listening`: accepting and serving.
/// - `draining`: still accepting and serving, but the service reports not-ready so load
///   balancers stop sending new traffic (the service owns readiness; `onDraining` tells it).
/// - `stopping`: the listener is closed, idle connections are closed, requests in flight
///   finish and their responses are written, then their connections close.
/// - `stopped`: no connection is left (or the grace period forced the rest closed).
public enum HTTPServerState: Int, Sendable, Comparable, CustomStringConvertible {
    case starting, listening, draining, stopping, stopped

    public static func < (lhs: HTTPServerState, rhs: HTTPServerState) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String {
        switch self {
        case .starting: return "starting"
        case .listening: return "listening"
        case .draining: return "draining"
        case .stopping: return "stopping"
        case .stopped: return "stopped"
        }
    }

    /// The one rule for transitions: forward only, and `listening` only from `starting`.
    func canMove(to next: HTTPServerState) -> Bool {
        switch next {
        case .starting: return false
        case .listening: return self == .starting
        case .draining, .stopping, .stopped: return next > self
        }
    }
}
