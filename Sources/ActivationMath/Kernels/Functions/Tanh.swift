import RealModule

/// tanh(x), the hyperbolic tangent.
///
/// A rescaled sigmoid (tanh x = 2σ(2x) - 1) whose outputs are centred on zero, which made it
/// the preferred hidden activation before ReLU; it still saturates on both sides (vanishing
/// gradients), with tanh'(0) = 1 against σ'(0) = 1/4.
///
/// - Value: the C library's tanh (glibc: at most 2 ulp).
/// - Derivative: 1 - t² cancels as t → 1 (it is exactly 0 for |x| > 19.1 while the truth is
///   4e^-2|x|). For |x| < 0.55 (t² < 1/4, no cancellation) we take 1 - t² with one FMA; beyond,
///   tanh'(x) = 4u/(1+u)² = 4σ'(2x) with u = e^-2|x| (2|x| is exact), and for
///   |x| > 350, where u is subnormal, 4e^-2|x| without losing the bits of u.
/// - Special values: tanh(NaN) = NaN; tanh(±inf) = ±1, tanh'(±inf) = 0; tanh(±0) = ±0.
public struct Tanh<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        Scalar.tanh(x)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        Self.derivative(x, tanh: Scalar.tanh(x))
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let t = Scalar.tanh(x)
        return (t, Self.derivative(x, tanh: t))
    }

    /// 1 - tanh²x = sech²x without cancellation, given t = tanh x.
    @inline(__always)
    static func derivative(_ x: Scalar, tanh t: Scalar) -> Scalar {
        let a = abs(x)
        if a < 0.55 { return (1 as Scalar).addingProduct(-t, t) }
        if a > 350 { return ErrorFree.expTimes(-2 * a, 4) }
        return 4 * StableSigmoid.derivative(2 * a)
    }
}
