import RealModule

/// log_sigmoid(x) = log σ(x) = -softplus(-x).
///
/// The log-probability form of the sigmoid, used in losses (binary cross-entropy, word2vec's
/// negative sampling) where log(σ(x)) would underflow to log 0 = -inf for x ≲ -745.
///
/// - Formula: min(x, 0) - log1p(e^-|x|): no overflow, no cancellation (for x < 0 both terms are
///   negative), and log1p keeps the tail -e^-x for large x. Worst error ~1.5 ulp.
/// - Derivative: σ(-x) = 1/(1+e^x), computed directly (not 1 - σ(x)), so it is accurate down
///   to e^-x ≈ 5e-324.
/// - Special values: NaN → NaN; log_sigmoid(-inf) = -inf with derivative 1; log_sigmoid(+inf)
///   = 0 with derivative 0; log_sigmoid(±0) = -ln 2.
public struct LogSigmoid<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if x.isNaN { return x }
        let tail = Scalar.log(onePlus: Scalar.exp(-abs(x)))
        return (x < 0 ? x : 0) - tail
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        StableSigmoid.pair(x).1
    }

    /// One exp for both: e^-|x| is the log1p argument and the logistic parts' e.
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x.isNaN { return (x, x) }
        let parts = LogisticParts(x)
        let value = (x < 0 ? x : 0) - Scalar.log(onePlus: parts.e)
        return (value, parts.times(1, mirrored: true))
    }
}
