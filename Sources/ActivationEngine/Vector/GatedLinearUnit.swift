import ActivationMath

/// The GLU family on one slice: split it into halves a (first) and b (second); the gated half h
/// goes through the activation, the other half l multiplies it: out = l ⊙ act(h).
///
/// - glu: act = sigmoid (Dauphin et al. 2017), swiglu: swish with β = 1, geglu: gelu (with gelu's
///   `approximate`), reglu: relu (Shazeer 2020, "GLU Variants Improve Transformer").
/// - `gate` = "second" (default): h = b, as PyTorch's `glu`; "first": h = a, as LLaMA-style MLPs
///   write act(x W) ⊙ (x V).
/// - VJP: ∂/∂l = g ⊙ act(h), ∂/∂h = g ⊙ l ⊙ act'(h).
///
/// The activations are the math module's scalar kernels, so act and act' are exactly those of the
/// elementwise functions (same accuracy, same kink conventions, same special values); the
/// products add one rounding each. inf · 0 gives NaN as in every framework (glu(+inf, −inf)).
struct GatedLinearUnit<Activation: ElementwiseKernel>: Sendable where Activation.Scalar == Double {
    let activation: Activation
    /// Whether the first half is the gated one.
    let gateFirst: Bool

    func apply(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?
    ) {
        let half = y.count
        let gatedOffset = gateFirst ? 0 : half
        let linearOffset = gateFirst ? half : 0
        guard let dx else {
            for k in 0..<half {
                y[k] = x[linearOffset + k] * activation.value(x[gatedOffset + k])
            }
            return
        }
        for k in 0..<half {
            let h = x[gatedOffset + k]
            let l = x[linearOffset + k]
            let (a, da) = activation.valueAndDerivative(h)
            let upstream = g?[k] ?? 1
            y[k] = l * a
            dx[linearOffset + k] = upstream * a
            dx[gatedOffset + k] = upstream * (l * da)
        }
    }
}

/// The kernel of a vector function with its parameters bound, chosen once per evaluation.
enum VectorKernel: Sendable {
    case softmax, logSoftmax, softmin, sparsemax
    case glu(GatedLinearUnit<Sigmoid<Double>>)
    case reglu(GatedLinearUnit<ReLU<Double>>)
    case geglu(GatedLinearUnit<GELU<Double>>)
    case swiglu(GatedLinearUnit<Swish<Double>>)

    init(_ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention) {
        let gateFirst = parameters.values["gate"] == .choice("first")
        switch function {
        case .softmax: self = .softmax
        case .logSoftmax: self = .logSoftmax
        case .softmin: self = .softmin
        case .sparsemax: self = .sparsemax
        case .glu:
            self = .glu(GatedLinearUnit(
                activation: Sigmoid(parameters: ResolvedParameters(), convention: convention), gateFirst: gateFirst))
        case .reglu:
            self = .reglu(GatedLinearUnit(
                activation: ReLU(parameters: ResolvedParameters(), convention: convention), gateFirst: gateFirst))
        case .geglu:
            var gelu = ResolvedParameters()
            gelu["approximate"] = parameters["approximate"] ?? .choice("none")
            self = .geglu(GatedLinearUnit(
                activation: GELU(parameters: gelu, convention: convention), gateFirst: gateFirst))
        case .swiglu:
            self = .swiglu(GatedLinearUnit(
                activation: Swish(parameters: ResolvedParameters(["beta": .number(1)]), convention: convention),
                gateFirst: gateFirst))
        default:
            preconditionFailure("\(function.name) is not a vector function")
        }
    }

    /// Computes one slice: `x` (length L, may be overwritten), `g` and `y` of the output length,
    /// `dx` of length L when gradients are wanted, `work` of length L.
    func apply(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>
    ) {
        switch self {
        case .softmax: SoftmaxKernel.softmax(x, g: g, y: y, dx: dx, negate: false)
        case .softmin: SoftmaxKernel.softmax(x, g: g, y: y, dx: dx, negate: true)
        case .logSoftmax: SoftmaxKernel.logSoftmax(x, g: g, y: y, dx: dx, work: work)
        case .sparsemax: SparsemaxKernel.sparsemax(x, g: g, y: y, dx: dx, work: work)
        case .glu(let unit): unit.apply(x, g: g, y: y, dx: dx)
        case .reglu(let unit): unit.apply(x, g: g, y: y, dx: dx)
        case .geglu(let unit): unit.apply(x, g: g, y: y, dx: dx)
        case .swiglu(let unit): unit.apply(x, g: g, y: y, dx: dx)
        }
    }
}
