import ActivationMath

/// A parameter as a request gives it, before the engine checks it against the metadata.
public enum ParameterInput: Sendable, Hashable {
    case number(Double)
    /// A list of numbers (a per-channel prelu `alpha`).
    case numbers([Double])
    /// A string (gelu's `approximate`, the GLU family's `gate`).
    case string(String)
}

/// Which outputs an evaluation computes.
public enum OutputSelection: String, Sendable, Hashable, CaseIterable {
    case values, gradients, both

    public var wantsValues: Bool { self != .gradients }
    public var wantsGradients: Bool { self != .values }
}

/// One evaluation as the service hands it over: names and raw parameters, not yet validated.
///
/// The function is a name (canonical or alias) rather than an ``ActivationFunction`` so that the
/// engine, which owns validation, reports an unknown one with the same error shape as the rest.
public struct Evaluation: Sendable, Hashable {
    /// Canonical name or alias.
    public var function: String
    /// Raw parameters by name; missing ones take their defaults.
    public var parameters: [String: ParameterInput]
    /// The dtype; `input` and `gradOutput` must be stored in it.
    public var dtype: DType
    /// The axis of a vector function (negative counts from the end); ignored by elementwise ones
    /// (prelu's channel axis is always 1).
    public var axis: Int
    /// Which framework's derivative to take at kinks.
    public var conventions: KinkConvention
    public var input: Tensor
    /// The upstream gradient, shaped like the values output; `nil` means all ones.
    public var gradOutput: Tensor?
    public var outputs: OutputSelection

    public init(
        function: String, parameters: [String: ParameterInput] = [:], dtype: DType? = nil,
        axis: Int = -1, conventions: KinkConvention = .pytorch, input: Tensor,
        gradOutput: Tensor? = nil, outputs: OutputSelection = .both
    ) {
        self.function = function
        self.parameters = parameters
        self.dtype = dtype ?? input.dtype
        self.axis = axis
        self.conventions = conventions
        self.input = input
        self.gradOutput = gradOutput
        self.outputs = outputs
    }
}

/// The gradient with respect to one learnable parameter, in the evaluation's dtype (a float32
/// evaluation's sums are rounded to float32 once, at the end).
public enum ParameterGradient: Sendable, Hashable {
    case number(Double)
    /// One value per channel, for a per-channel prelu `alpha`.
    case numbers([Double])
}

/// What one evaluation produced.
public struct EvaluationResult: Sendable, Hashable {
    public var function: ActivationFunction
    /// The parameters as used: defaults filled in, float32 ones rounded to float32. Optional
    /// parameters that were not given (softplus's `threshold`) are absent.
    public var parameters: ResolvedParameters
    public var dtype: DType
    /// The shape of the values (the input's, except the GLU family halves the split axis).
    public var shape: [Int]
    /// f(x), when values were asked for.
    public var values: Tensor?
    /// The vector-Jacobian product Jᵀ·grad_output, shaped like the input, when gradients were
    /// asked for.
    public var gradients: Tensor?
    /// Sum over elements of grad_output · ∂f/∂p for each learnable parameter (only when gradients
    /// were asked for). Ordered like ``FunctionMetadata/learnableParameters``.
    public var parameterGradients: [(name: String, value: ParameterGradient)]

    public init(
        function: ActivationFunction, parameters: ResolvedParameters, dtype: DType, shape: [Int],
        values: Tensor?, gradients: Tensor?, parameterGradients: [(name: String, value: ParameterGradient)]
    ) {
        self.function = function
        self.parameters = parameters
        self.dtype = dtype
        self.shape = shape
        self.values = values
        self.gradients = gradients
        self.parameterGradients = parameterGradients
    }

    /// The gradient of the learnable parameter `name`, if computed.
    public func parameterGradient(_ name: String) -> ParameterGradient? {
        parameterGradients.first { $0.name == name }?.value
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.function == rhs.function && lhs.parameters == rhs.parameters && lhs.dtype == rhs.dtype
            && lhs.shape == rhs.shape && lhs.values == rhs.values && lhs.gradients == rhs.gradients
            && lhs.parameterGradients.map(\.name) == rhs.parameterGradients.map(\.name)
            && lhs.parameterGradients.map(\.value) == rhs.parameterGradients.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(function)
        hasher.combine(shape)
        hasher.combine(values)
        hasher.combine(gradients)
    }
}
