import RealModule

/// softplus(x) = log(1 + e^(βx))/β, a smooth ReLU.
///
/// Positive everywhere and never flat, so units do not die, at the price of an exp and a log
/// per element; its derivative is the sigmoid σ(βx), which vanishes for x → -inf.
///
/// - Formula: max(x, 0) + log1p(e^(-β|x|))/β, exact by default: e^(-β|x|) ≤ 1 never overflows and
///   log1p keeps the small tail. β|x| is a rounded product whose error e^(-β|x|) would amplify
///   |βx|-fold, so its rounding error (from an FMA) corrects u = e^(-β|x|) to first order.
/// - `threshold` (optional, as PyTorch's `threshold=20`): when given, x·β > threshold returns x
///   with derivative exactly 1, PyTorch's linear cut-over; this makes f' jump at the cut-over.
/// - Derivative: σ(βx), with the same correction of β·x.
/// - Special values: NaN → NaN; softplus(+inf) = +inf with derivative 1; softplus(-inf) = 0
///   with derivative 0; softplus(±0) = ln2/β.
public struct Softplus<Scalar: ActivationReal>: ElementwiseKernel {
    // Stored as Double (Sendable, unlike a generic Scalar); the conversion is free for Double.
    let betaValue: Double
    let thresholdValue: Double?
    var beta: Scalar { Scalar(betaValue) }

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        betaValue = parameters.optionalNumber("beta") ?? 1
        thresholdValue = parameters.optionalNumber("threshold")
    }

    @inline(__always)
    func isLinear(_ x: Scalar) -> Bool {
        guard let thresholdValue else { return false }
        return x * beta > Scalar(thresholdValue)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        if isLinear(x) { return x }
        let (t, lo) = ErrorFree.product(beta, abs(x))
        let tail: Scalar
        if t > 700 {
            // log1p(u) = u to double precision here; keep the bits of a subnormal u/β.
            tail = ErrorFree.expTimes(-t, (1 - lo) / beta)
        } else {
            // log1p(e^-(t + lo)) ≈ log1p(u) - lo·u/(1+u), folded into the residual of the
            // division by β so that the result is rounded once more than log1p's own error.
            let u = Scalar.exp(-t)
            let l = Scalar.log(onePlus: u)
            let q = l / beta
            let r = l.addingProduct(-q, beta) - lo * (u / (1 + u))
            tail = q + r / beta
        }
        return (x > 0 ? x : 0) + tail
    }

    /// One exp for both: e^-β|x| is the log1p argument and the logistic parts' e.
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if x.isNaN { return (x, x) }
        if isLinear(x) { return (x, 1) }
        let (ts, los) = ErrorFree.product(beta, x)
        guard abs(ts) <= 700 else { return (value(x), derivative(x)) }
        let lo = ts < 0 ? -los : los  // β·|x| = |ts| + lo exactly, as value(_:) forms it
        let parts = LogisticParts(ts, los)
        let u = parts.e
        let l = Scalar.log(onePlus: u)
        let q = l / beta
        let r = l.addingProduct(-q, beta) - lo * (u / (1 + u))
        return ((x > 0 ? x : 0) + (q + r / beta), parts.times(1))
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        if x.isNaN { return x }
        if isLinear(x) { return 1 }
        let (t, lo) = ErrorFree.product(beta, x)
        return StableSigmoid.pair(t, lo).0
    }
}
