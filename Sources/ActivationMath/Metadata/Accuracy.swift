/// How close a function's answers are to the exact ones, as `GET /v1/functions` states it:
/// the worst error measured, in units in the last place of the exact result, over the committed
/// reference vectors and the adversarial search's worst cases (docs/accuracy.md), per dtype, for
/// values and for gradients (the VJP with respect to the input).
///
/// - The bound is for normal results. Subnormal results are measured in the smallest
///   subnormal's spacing and held to the same bound (docs/accuracy.md says what they measured).
/// - `exact`: every value and gradient is the exact result correctly rounded, for every input,
///   by construction (the kernel's doc comment gives the argument), not just on the inputs
///   measured; then both bounds are 0.
/// - Learnable-parameter gradients (prelu, swish, star_relu, snake) are not in these figures;
///   docs/accuracy.md lists them.
///
/// AccuracyTests and VectorReferenceTests hold every function to these numbers on every
/// committed input (measured ≤ stated), so the statement cannot go stale.
public struct FunctionAccuracy: Sendable, Hashable {
    /// The worst errors in one dtype.
    public struct Bound: Sendable, Hashable {
        public var valuesULP: Int
        public var gradientsULP: Int

        public init(values: Int, gradients: Int) {
            valuesULP = values
            gradientsULP = gradients
        }
    }

    public var float32: Bound
    public var float64: Bound
    public var exact: Bool

    public init(float32: Bound, float64: Bound, exact: Bool = false) {
        self.float32 = float32
        self.float64 = float64
        self.exact = exact
    }

    /// Correctly rounded by construction.
    static let exact = FunctionAccuracy(
        float32: Bound(values: 0, gradients: 0), float64: Bound(values: 0, gradients: 0), exact: true)

    /// Measured: float32 values and gradients, float64 values and gradients.
    static func measured(_ v32: Int, _ g32: Int, _ v64: Int, _ g64: Int) -> FunctionAccuracy {
        FunctionAccuracy(float32: Bound(values: v32, gradients: g32), float64: Bound(values: v64, gradients: g64))
    }

    /// The statement for each function. Exact by construction: outputs that are the input, a
    /// constant, a bound or one correctly rounded operation (x·α, x − λ, x², (x + 1)/2); the
    /// error-free hard_sigmoid; sparsemax and reglu, whose results are exact sums divided or
    /// multiplied once. The others are the worst measured (2026-12-06, docs/accuracy.md).
    static let table: [ActivationFunction: FunctionAccuracy] = [
        .identity: .exact, .relu: .exact, .leakyReLU: .exact, .prelu: .exact, .rrelu: .measured(0, 0, 1, 0),
        .relu6: .exact, .leakyReLU6: .exact, .hardtanh: .exact, .hardSigmoid: .exact,
        .hardSwish: .measured(0, 0, 1, 0), .hardshrink: .exact, .softshrink: .exact, .threshold: .exact,
        .sparsePlus: .measured(0, 0, 0, 0), .sparseSigmoid: .exact, .reluSquared: .exact,
        .starReLU: .measured(0, 0, 1, 0), .softsign: .measured(0, 0, 0, 1), .squareplus: .measured(0, 0, 1, 1),
        .elu: .measured(0, 0, 1, 1), .selu: .measured(0, 0, 1, 1), .celu: .measured(0, 0, 1, 1),
        .gelu: .measured(0, 0, 2, 2), .sigmoid: .measured(0, 0, 1, 1), .logSigmoid: .measured(0, 0, 1, 1),
        .tanh: .measured(0, 0, 2, 1), .softplus: .measured(0, 0, 1, 1), .swish: .measured(0, 0, 2, 2),
        .mish: .measured(0, 0, 1, 3), .tanhshrink: .measured(0, 0, 1, 2), .exponential: .measured(0, 0, 1, 1),
        .snake: .measured(0, 0, 1, 1),
        .softmax: .measured(0, 0, 0, 0), .logSoftmax: .measured(1, 0, 1, 1), .softmin: .measured(0, 0, 0, 0),
        .sparsemax: .exact, .glu: .measured(0, 0, 0, 0), .reglu: .exact, .geglu: .measured(0, 0, 1, 1),
        .swiglu: .measured(0, 0, 0, 0),
    ]
}

extension FunctionMetadata {
    /// The accuracy statement (``FunctionAccuracy``).
    public var accuracy: FunctionAccuracy {
        FunctionAccuracy.table[function] ?? .measured(1, 1, 2, 4)
    }
}
