import ActivationEngine

/// A body of `POST /v1/activate`: one evaluation, or a batch (a JSON array) whose answer must
/// also be an array, in the same order, even when it holds one item.
///
/// The evaluations are the engine's own: the reader decodes straight into ``Evaluation`` and
/// ``Tensor``, with no service-side copy of their fields.
public enum ActivateRequest: Sendable, Hashable {
    case single(Evaluation)
    case batch([Evaluation])

    /// The evaluations in order, whichever form the body had.
    public var evaluations: [Evaluation] {
        switch self {
        case .single(let evaluation): [evaluation]
        case .batch(let evaluations): evaluations
        }
    }

    public var isBatch: Bool {
        if case .batch = self { return true }
        return false
    }
}
