import ActivationEngine

/// One inference request of the Open Inference Protocol, decoded: the engine's own
/// ``Evaluation``, and what the protocol adds around it (the request id, and which outputs to
/// answer in which form). Nothing here mirrors an engine type.
struct InferenceRequest: Sendable {
    /// The client's `id`, echoed in the answer.
    var id: String?
    var evaluation: Evaluation
    /// The outputs to answer, in the order the client listed them (or the model's order when
    /// it listed none), each as JSON `data` or as binary bytes after the JSON header.
    var outputs: [RequestedOutput]

    struct RequestedOutput: Sendable, Hashable {
        var output: InferenceOutput
        var binary: Bool
    }
}

/// The outputs every model has, named the same way in every model: `values`, `gradients`,
/// and `param_gradients.<name>` for each learnable parameter (`param_gradients.alpha`).
enum InferenceOutput: Sendable, Hashable {
    case values
    case gradients
    case parameterGradient(String)

    static let parameterGradientPrefix = "param_gradients."

    /// The output called `name` in a model whose learnable parameters are `learnable`.
    init?(name: String, learnable: [String]) {
        switch name {
        case "values": self = .values
        case "gradients": self = .gradients
        case _ where name.hasPrefix(Self.parameterGradientPrefix):
            let parameter = String(name.dropFirst(Self.parameterGradientPrefix.count))
            guard learnable.contains(parameter) else { return nil }
            self = .parameterGradient(parameter)
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .values: "values"
        case .gradients: "gradients"
        case .parameterGradient(let parameter): Self.parameterGradientPrefix + parameter
        }
    }

    /// Every output of the function's model, in the order answered when none is asked for.
    static func all(for metadata: FunctionMetadata) -> [InferenceOutput] {
        [.values, .gradients] + metadata.learnableParameters.map { .parameterGradient($0.name) }
    }
}

extension DType {
    /// The protocol's name for the element type (its "Tensor Data Types" table).
    var inferenceDatatype: String {
        switch self {
        case .float32: "FP32"
        case .float64: "FP64"
        }
    }

    /// The dtype of a protocol datatype name; nil for the ones the engine does not evaluate.
    init?(inferenceDatatype: String) {
        switch inferenceDatatype {
        case "FP32": self = .float32
        case "FP64": self = .float64
        default: return nil
        }
    }

    /// Bytes per element in the binary tensor extension (little-endian, no padding).
    var byteWidth: Int {
        switch self {
        case .float32: 4
        case .float64: 8
        }
    }
}

extension FunctionMetadata {
    /// The parameters that may also arrive as an input tensor (one value per channel: prelu's
    /// `alpha`), because a protocol parameter can only be a string, a number or a boolean.
    var tensorParameters: [String] {
        parameters.filter { $0.kind == .numberOrPerChannel }.map(\.name)
    }

    /// Every input the model takes, `x` first.
    var inferenceInputs: [String] { ["x", "grad_output"] + tensorParameters }
}
