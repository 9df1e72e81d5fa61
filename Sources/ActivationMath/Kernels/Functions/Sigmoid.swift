import RealModule

/// sigmoid(x) = 1/(1+e^-x), the logistic function.
///
/// The classic squashing function: outputs in (0, 1), read as a probability, but not centred
/// on zero and saturating on both sides, so deep stacks of it suffer vanishing gradients
/// (σ' ≤ 1/4 everywhere).
///
/// - Formula: e^-|x| never overflows: σ(x) = 1/(1+e^-x) for x ≥ 0 and e^x/(1+e^x) for x < 0.
///   See ``StableSigmoid``.
/// - Derivative: σ'(x) = σ(x)·σ(-x) = e^-|x|/(1+e^-|x|)². The textbook y(1-y) loses
///   everything once y rounds to 1 (x ≳ 16.7 in float32, 36.7 in float64), while the true
///   derivative is e^-x, representable down to x ≈ 745.
/// - Special values: σ(NaN) = NaN; σ(-inf) = 0, σ(+inf) = 1, σ'(±inf) = 0; σ(±0) = 1/2.
public struct Sigmoid<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        StableSigmoid.pair(x).0
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        StableSigmoid.derivative(x)
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let parts = LogisticParts(x)
        return (parts.times(1), parts.derivativeTimes((1, 0)))  // one exp for both
    }
}
