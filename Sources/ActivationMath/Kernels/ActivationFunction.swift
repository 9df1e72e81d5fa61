/// The catalogue: every activation function the service evaluates, by canonical snake_case name.
///
/// Aliases resolve to these names through ``ActivationFunction/init(named:)``. Whether a function
/// is applied element by element or along an axis is its ``kind``.
public enum ActivationFunction: String, CaseIterable, Sendable, Hashable {
    // MARK: Elementwise, piecewise and algebraic
    case identity, relu, leakyReLU = "leaky_relu", prelu, rrelu, relu6
    case leakyReLU6 = "leaky_relu6", hardtanh, hardSigmoid = "hard_sigmoid"
    case hardSwish = "hard_swish", hardshrink, softshrink, threshold
    case sparsePlus = "sparse_plus", sparseSigmoid = "sparse_sigmoid"
    case reluSquared = "relu_squared", starReLU = "star_relu", softsign, squareplus

    // MARK: Elementwise, transcendental
    case elu, selu, celu, gelu, sigmoid, logSigmoid = "log_sigmoid", tanh, softplus
    case swish, mish, tanhshrink, exponential, snake

    // MARK: Vector functions, along an axis
    case softmax, logSoftmax = "log_softmax", softmin, sparsemax
    case glu, reglu, geglu, swiglu

    /// The canonical name, as it appears in requests and responses.
    public var name: String { rawValue }

    /// Resolves a canonical name or an alias; `nil` when neither is known.
    public init?(named name: String) {
        if let function = ActivationFunction(rawValue: name) {
            self = function
        } else if let function = ActivationFunction.aliasTable[name] {
            self = function
        } else {
            return nil
        }
    }

    /// Other names accepted for this function.
    public var aliases: [String] {
        switch self {
        case .identity: ["linear"]
        case .leakyReLU6: ["bounded_leaky_relu"]
        case .sigmoid: ["logistic"]
        case .hardSigmoid: ["hardsigmoid"]
        case .logSigmoid: ["logsigmoid"]
        case .hardtanh: ["hard_tanh"]
        case .softsign: ["soft_sign"]
        case .swish: ["silu"]
        case .hardSwish: ["hardswish", "hard_silu"]
        case .hardshrink: ["hard_shrink"]
        case .softshrink: ["soft_shrink"]
        case .tanhshrink: ["tanh_shrink"]
        case .exponential: ["exp"]
        case .reluSquared: ["squared_relu"]
        default: []
        }
    }

    /// Whether the function maps each element on its own or a whole slice along an axis.
    public var kind: FunctionKind {
        switch self {
        case .softmax, .logSoftmax, .softmin, .sparsemax, .glu, .reglu, .geglu, .swiglu: .vector
        default: .elementwise
        }
    }

    private static let aliasTable: [String: ActivationFunction] = {
        var table: [String: ActivationFunction] = [:]
        for function in ActivationFunction.allCases {
            for alias in function.aliases { table[alias] = function }
        }
        return table
    }()
}

/// How a function consumes its input.
public enum FunctionKind: String, Sendable, CaseIterable {
    /// y[i] = f(x[i]).
    case elementwise
    /// Each slice along the evaluation's axis maps to a slice (softmax, the GLU family).
    case vector
}

/// Which framework's derivative to use at points where the function is not differentiable.
///
/// PyTorch's backward formulas are the default; JAX's differ at several kinks
/// (leaky_relu'(0) = 1, hardtanh' = 1 at its bounds, sparse_sigmoid' = 0.25 at ±1, ...).
public enum KinkConvention: String, Sendable, CaseIterable {
    case pytorch, jax
}
