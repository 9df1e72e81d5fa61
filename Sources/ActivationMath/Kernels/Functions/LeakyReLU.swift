/// The arithmetic shared by leaky_relu, prelu and rrelu: x for x ≥ 0, slope · x below.
///
/// Written once so that the three functions cannot drift apart; each kernel only decides where
/// its slope comes from.
struct LeakyCore<Scalar: ActivationReal>: Sendable {
    /// The slope for x < 0.
    let slope: Scalar
    /// The derivative taken at x = 0: the slope under PyTorch's convention (its backward tests
    /// `x > 0`), 1 under JAX's (`jnp.where(x >= 0, x, slope * x)` takes the x branch at 0).
    let kinkDerivative: Scalar

    init(slope: Scalar, convention: KinkConvention) {
        self.slope = slope
        self.kinkDerivative = convention == .jax ? 1 : slope
    }

    @inline(__always)
    func value(_ x: Scalar) -> Scalar {
        // x >= 0 keeps −0 as −0, like PyTorch's −0 · slope.
        x >= 0 ? x : PiecewiseArithmetic.leakyProduct(slope, x)
    }

    @inline(__always)
    func derivative(_ x: Scalar) -> Scalar {
        if x > 0 { return 1 }
        if x < 0 { return slope }
        return x.isNaNCompare ? x : kinkDerivative
    }
}

/// leaky_relu(x; alpha) = x for x ≥ 0, alpha · x for x < 0 (PyTorch's `negative_slope`,
/// default 0.01).
///
/// Maas, Hannun & Ng 2013: a small slope below zero keeps a gradient flowing through units that
/// would die under relu. Keras defaults the slope to 0.2 (`keras.activations.leaky_relu`);
/// PyTorch and JAX use 0.01, and so do we.
///
/// - Derivative: 1 for x > 0, alpha for x < 0. At x = 0: alpha under PyTorch's convention
///   (`leaky_relu_backward` tests `x > 0`), 1 under JAX's.
/// - Special values: NaN gives NaN; leaky_relu(−0) = −0; at −inf the value is alpha · (−inf)
///   (with alpha = 0 the limit 0, not NaN) and the derivative alpha; at +inf, +inf and 1.
public struct LeakyReLU<Scalar: ActivationReal>: ElementwiseKernel {
    let core: LeakyCore<Scalar>

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        core = LeakyCore(slope: Scalar(parameters.number("alpha")), convention: convention)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar { core.value(x) }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar { core.derivative(x) }
}
