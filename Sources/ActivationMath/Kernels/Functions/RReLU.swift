/// rrelu(x; lower, upper) in evaluation mode: leaky_relu with slope (lower + upper) / 2.
///
/// Xu, Wang, Chen & Li 2015 ("Empirical Evaluation of Rectified Activations"): during training
/// the slope of each element is drawn uniformly from [lower, upper] (defaults 1/8 and 1/3); at
/// inference PyTorch uses the mean slope, which is what a deterministic service can answer.
///
/// The slope is kept as an unevaluated sum (hi + lo) of (lower + upper) / 2, so that
/// slope · x is rounded once, as the reference computes it, instead of twice.
///
/// - Derivative: 1 for x > 0, the slope for x < 0. At x = 0: the slope under PyTorch's convention
///   (`rrelu_with_noise_backward` calls `leaky_relu_backward`, which tests `x > 0`), 1 under JAX's
///   (no JAX built-in; the leaky_relu convention).
/// - Special values: NaN gives NaN; rrelu(−0) = −0; −inf gives slope · (−inf) (0 if the slope is 0).
public struct RReLU<Scalar: ActivationReal>: ElementwiseKernel {
    let core: LeakyCore<Scalar>
    /// The rounding error of the slope: slope exactly = core.slope + slopeError.
    let slopeError: Scalar

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        let lower = Scalar(parameters.number("lower"))
        let upper = Scalar(parameters.number("upper"))
        let (sum, error) = PiecewiseArithmetic.twoSum(lower, upper)
        // Halving is exact for normal numbers; the slopes of interest are far from subnormal.
        core = LeakyCore(slope: sum / 2, convention: convention)
        slopeError = error / 2
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x >= 0 || !x.isFinite { return core.value(x) }
        // x · hi + x · lo with one rounding.
        return (x * slopeError).addingProduct(x, core.slope)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar { core.derivative(x) }
}
