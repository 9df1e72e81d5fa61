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
/// glu, swiglu and geglu form each product from double-length factors and round it once
/// (``GatedKernels``: act(h) and act'(h) to 2^-55 and scaled, so that 10^300·σ(-750) does not pass
/// through a subnormal σ), within one ulp; pairs with a NaN, an infinity or a zero take the
/// elementwise kernels' act and act' and the plain products, so special values are those of the
/// elementwise functions: inf · 0 gives NaN as in every framework (glu(+inf, −inf)). reglu's
/// products are exact up to their one rounding already and use relu's kernel (its kink
/// convention included).
struct GatedLinearUnit: Sendable {
    /// The elementwise activation applied to the gated half (sigmoid, relu, gelu or swish).
    let activation: ActivationFunction
    let parameters: ResolvedParameters
    let convention: KinkConvention
    /// Whether the first half is the gated one.
    let gateFirst: Bool
    /// Which compilation of the activation's kernel runs.
    let kernels: KernelBuild
    /// Whether results are delivered in float32 (rounded once, directly).
    var outputIsFloat32 = false

    /// The pair kernel's activation; nil for reglu, which runs relu's elementwise kernel.
    var pairActivation: GatedKernels.Activation? {
        switch activation {
        case .sigmoid: .sigmoid
        case .swish: .swish
        case .gelu: parameters["approximate"] == .choice("tanh") ? .geluTanh : .gelu
        default: nil
        }
    }

    /// Computes `slices` slices at once, laid out slice after slice: `x` and `dx` of
    /// slices × 2·half, `g` and `y` of slices × half; `h`, `a`, `da` are scratch of slices × half.
    /// The activation runs as one elementwise loop over all gated halves (the math module's
    /// specialised loop), then the products are formed.
    func apply(
        slices: Int, half: Int, x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        h: UnsafeMutableBufferPointer<Double>, a: UnsafeMutableBufferPointer<Double>,
        da: UnsafeMutableBufferPointer<Double>
    ) {
        let length = 2 * half
        let gatedOffset = gateFirst ? 0 : half
        let linearOffset = gateFirst ? half : 0
        let count = slices * half
        if let pair = pairActivation {
            let float32 = outputIsFloat32
            for s in 0..<slices {
                let base = x.baseAddress! + s * length
                kernels.gated(
                    pair, h: base + gatedOffset, l: base + linearOffset, g: g.map { $0.baseAddress! + s * half },
                    y: y.baseAddress! + s * half, dl: dx.map { $0.baseAddress! + s * length + linearOffset },
                    dh: dx.map { $0.baseAddress! + s * length + gatedOffset }, count: half, float32: float32)
            }
            return
        }
        for s in 0..<slices {
            for k in 0..<half { h[s * half + k] = x[s * length + gatedOffset + k] }
        }
        let buffers = ElementwiseBuffers(
            input: UnsafeBufferPointer(rebasing: h[0..<count]),
            values: UnsafeMutableBufferPointer(rebasing: a[0..<count]),
            gradients: dx == nil ? nil : UnsafeMutableBufferPointer(rebasing: da[0..<count]))
        _ = Double.runElementwise(kernels, activation, parameters: parameters, convention: convention, buffers)
        for s in 0..<slices {
            for k in 0..<half {
                let j = s * half + k
                let l = x[s * length + linearOffset + k]
                y[j] = l * a[j]
                if let dx {
                    let upstream = g?[j] ?? 1
                    dx[s * length + linearOffset + k] = upstream * a[j]
                    dx[s * length + gatedOffset + k] = upstream * (l * da[j])
                }
            }
        }
    }
}

/// The kernel of a vector function with its parameters bound, chosen once per evaluation.
enum VectorKernel: Sendable {
    case softmax, logSoftmax, softmin, sparsemax
    case gated(GatedLinearUnit)

    init(
        _ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention,
        kernels: KernelBuild
    ) {
        let gateFirst = parameters.values["gate"] == .choice("first")
        func gated(_ activation: ActivationFunction, _ bound: ResolvedParameters = ResolvedParameters()) -> VectorKernel {
            .gated(GatedLinearUnit(
                activation: activation, parameters: bound, convention: convention, gateFirst: gateFirst,
                kernels: kernels))
        }
        switch function {
        case .softmax: self = .softmax
        case .logSoftmax: self = .logSoftmax
        case .softmin: self = .softmin
        case .sparsemax: self = .sparsemax
        case .glu: self = gated(.sigmoid)
        case .reglu: self = gated(.relu)
        case .geglu:
            self = gated(.gelu, ResolvedParameters(["approximate": parameters["approximate"] ?? .choice("none")]))
        case .swiglu: self = gated(.swish, ResolvedParameters(["beta": .number(1)]))
        default:
            preconditionFailure("\(function.name) is not a vector function")
        }
    }

    /// Computes one slice of the softmax family: `x` (length L, may be overwritten), `g` and `y` of the output length,
    /// `dx` of length L when gradients are wanted, `work` of length 3·L; results are rounded for
    /// float32 when `float32`. The softmax kernels run in the given compilation of the math module.
    func apply(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, kernels: KernelBuild, float32: Bool
    ) {
        switch self {
        case .softmax: kernels.softmax(x, g: g, y: y, dx: dx, work: work, negate: false, float32: float32)
        case .softmin: kernels.softmax(x, g: g, y: y, dx: dx, work: work, negate: true, float32: float32)
        case .logSoftmax: kernels.logSoftmax(x, g: g, y: y, dx: dx, work: work, float32: float32)
        case .sparsemax: SparsemaxKernel.sparsemax(x, g: g, y: y, dx: dx, work: work, float32: float32)
        case .gated: preconditionFailure("the GLU family runs a piece at a time")
        }
    }
}
