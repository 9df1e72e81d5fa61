/// What the service tells users about a function: `GET /v1/functions`.
///
/// Every property claimed here is checked on a grid by a test, at the default parameters.
public struct FunctionMetadata: Sendable {
    public var function: ActivationFunction
    public var summary: String
    /// f(x) in plain text and in LaTeX.
    public var formula: String
    public var formulaLatex: String
    /// f'(x) in plain text and in LaTeX (for vector functions, the vector-Jacobian product).
    public var derivative: String
    public var derivativeLatex: String
    public var parameters: [ParameterSpec]
    /// Relations between parameters that the engine checks (for example `lower <= upper`).
    public var constraints: [ParameterConstraint]
    /// The range of f at the default parameters, as an interval in text: "(0, 1)", "[0, inf)".
    public var range: String
    public var properties: FunctionProperties
    public var cost: CostClass
    public var kinks: [Kink]
    public var year: Int
    public var reference: String
    /// Notes in the spirit of the article: vanishing gradients, dying units, when to use it,
    /// where frameworks disagree on defaults.
    public var notes: [String]

    public init(
        function: ActivationFunction, summary: String, formula: String, formulaLatex: String,
        derivative: String, derivativeLatex: String, parameters: [ParameterSpec] = [],
        constraints: [ParameterConstraint] = [], range: String, properties: FunctionProperties,
        cost: CostClass, kinks: [Kink] = [], year: Int, reference: String, notes: [String] = []
    ) {
        self.function = function
        self.summary = summary
        self.formula = formula
        self.formulaLatex = formulaLatex
        self.derivative = derivative
        self.derivativeLatex = derivativeLatex
        self.parameters = parameters
        self.constraints = constraints
        self.range = range
        self.properties = properties
        self.cost = cost
        self.kinks = kinks
        self.year = year
        self.reference = reference
        self.notes = notes
    }

    public var name: String { function.name }
    public var aliases: [String] { function.aliases }
    public var kind: FunctionKind { function.kind }
    /// The learnable parameters, in the order of ``ElementwiseKernel/parameterPartials(_:)``.
    public var learnableParameters: [ParameterSpec] { parameters.filter(\.learnable) }
}

/// Qualitative properties at the default parameters.
public struct FunctionProperties: Sendable, Hashable {
    /// Non-decreasing over the whole real line.
    public var monotonic: Bool
    /// f(0) = 0 and f takes both signs (outputs centred on zero).
    public var zeroCentered: Bool
    public var boundedBelow: Bool
    public var boundedAbove: Bool
    /// Infinitely differentiable everywhere.
    public var smooth: Bool
    /// f' exists and is continuous everywhere (true for smooth functions).
    public var continuousDerivative: Bool
    /// f' tends to 0 as x tends to -inf or +inf (gradients vanish on at least one side).
    public var saturating: Bool
    /// f(x) = x · g(x) for a gate g in [0, 1] (swish, gelu, mish, hard_swish).
    public var selfGated: Bool

    public init(
        monotonic: Bool, zeroCentered: Bool, boundedBelow: Bool, boundedAbove: Bool,
        smooth: Bool, continuousDerivative: Bool, saturating: Bool, selfGated: Bool
    ) {
        self.monotonic = monotonic
        self.zeroCentered = zeroCentered
        self.boundedBelow = boundedBelow
        self.boundedAbove = boundedAbove
        self.smooth = smooth
        self.continuousDerivative = continuousDerivative
        self.saturating = saturating
        self.selfGated = selfGated
    }
}

/// Rough cost per element, for choosing between functions.
public enum CostClass: String, Sendable, CaseIterable {
    /// Comparisons and multiplications only (relu, hardtanh).
    case trivial
    /// A division or square root (softsign, squareplus).
    case cheap
    /// One transcendental function (sigmoid, elu, tanh).
    case moderate
    /// Several transcendental functions or erfc (gelu, mish).
    case expensive
}

/// A point where f is not differentiable, and the derivative each convention takes there.
public struct Kink: Sendable, Hashable {
    /// Where, symbolically: "x = 0", "x = min_val", "x = -lambd".
    public var location: String
    /// The same point at the default parameters.
    public var locationAtDefaults: Double
    /// The derivative PyTorch's backward uses there, symbolically ("0", "alpha") and at the defaults.
    public var pytorch: String
    public var pytorchAtDefaults: Double
    /// The derivative `jax.grad` gives there.
    public var jax: String
    public var jaxAtDefaults: Double

    public init(
        location: String, locationAtDefaults: Double,
        pytorch: String, pytorchAtDefaults: Double, jax: String, jaxAtDefaults: Double
    ) {
        self.location = location
        self.locationAtDefaults = locationAtDefaults
        self.pytorch = pytorch
        self.pytorchAtDefaults = pytorchAtDefaults
        self.jax = jax
        self.jaxAtDefaults = jaxAtDefaults
    }
}

/// One parameter: its kind, default, bounds and meaning.
public struct ParameterSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case number
        /// A number, or one number per channel (channel = axis 1 when ndim >= 2).
        case numberOrPerChannel
        case choice([String])
    }

    public enum Requirement: Sendable, Hashable {
        /// Must be given (threshold's `threshold` and `value`).
        case required
        /// Takes this value when absent.
        case defaulted(ParameterValue)
        /// May be absent, and then the function behaves differently (softplus's `threshold`).
        case optional
    }

    public struct Bound: Sendable, Hashable {
        public var value: Double
        public var inclusive: Bool
        public init(_ value: Double, inclusive: Bool) {
            self.value = value
            self.inclusive = inclusive
        }
    }

    public var name: String
    public var kind: Kind
    public var requirement: Requirement
    public var lowerBound: Bound?
    public var upperBound: Bound?
    public var learnable: Bool
    public var description: String

    public init(
        name: String, kind: Kind = .number, requirement: Requirement,
        lowerBound: Bound? = nil, upperBound: Bound? = nil, learnable: Bool = false,
        description: String
    ) {
        self.name = name
        self.kind = kind
        self.requirement = requirement
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.learnable = learnable
        self.description = description
    }
}

/// A relation between two numeric parameters.
public enum ParameterConstraint: Sendable, Hashable {
    case lessThan(String, String)
    case lessThanOrEqual(String, String)
}
