/// What the service tells users about a function: `GET /v1/functions`.
///
/// Every property claimed here is checked on a grid by a test, at the default parameters and at
/// other parameter sets (PropertyTests, VectorPropertiesTests).
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
    /// The range of f at the default parameters, as an interval in text: "(0, 1)", "[0, inf)";
    /// for a vector function, of every output component over all inputs. The properties
    /// `bounded_below`, `bounded_above` and `takes_both_signs` are read from it (``outputRange``).
    public var range: String
    /// The shape properties at the default parameters, of what ``propertiesOf`` says: f itself for
    /// an elementwise function, one output as a function of one input for a vector function (for
    /// the GLU family, of the gated half).
    public var properties: FunctionProperties
    /// What ``properties`` describe, in words.
    public var propertiesOf: String
    /// The GLU family only: the same properties of the output as a function of the value half,
    /// the gated input fixed at 1, and what they describe.
    public var valueHalfProperties: FunctionProperties?
    public var valueHalfPropertiesOf: String?
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
        cost: CostClass, kinks: [Kink] = [], year: Int, reference: String, notes: [String] = [],
        propertiesOf: String = FunctionMetadata.elementwisePropertiesOf,
        valueHalfProperties: FunctionProperties? = nil, valueHalfPropertiesOf: String? = nil
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
        self.propertiesOf = propertiesOf
        self.valueHalfProperties = valueHalfProperties
        self.valueHalfPropertiesOf = valueHalfPropertiesOf
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

    /// What the properties of an elementwise function describe.
    public static let elementwisePropertiesOf =
        "f(x) as a function of one real input x, at the default parameters."

    /// ``range`` as interval ends; nil only if the text is malformed (a test parses every entry).
    public var outputRange: OutputRange? { OutputRange(parsing: range) }
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
