import RealModule

/// tanhshrink(x) = x - tanh(x).
///
/// Nearly zero around the origin (x³/3) and x ∓ 1 far out: a soft "shrink" used in sparse
/// coding (LISTA-style unrolled networks). Its derivative tanh²x vanishes at 0.
///
/// - Formula: the difference cancels badly for |x| ≲ 1 (x = 0.8 loses 3 bits, x = 1e-3 loses
///   20). For |x| < 1.25 we use x³·3P(x²)/3Q(x²), P/Q the [5/5] Padé approximant of (x - tanh x)/x³,
///   computed with mpmath (relative error below 1.1e-22 on the interval, all coefficients
///   positive, so Horner does not cancel); x³, 3P = 1 + …, 3Q = 3 + … and the numerator are
///   carried in double length, so the leading 1/3 adds no rounding.
///   For |x| ≥ 1.25, x - tanh x = (|x| - 1) + 2e/(1 + e), e = e^-2|x|, a sum of positive
///   terms in which |x| - 1 is exact up to |x| = 2.
/// - Derivative: tanh²x, with tanh x = x - f(x) near 0 (f ≤ x/3 there, so no cancellation)
///   and 1 - 2e/(1+e) beyond.
/// - Special values: NaN → NaN; tanhshrink(±inf) = ±inf with derivative 1; tanhshrink(±0) = ±0.
public struct TanhShrink<Scalar: ActivationReal>: ElementwiseKernel {
    public init(parameters: ResolvedParameters, convention: KinkConvention) {}


    /// c0 + t·(Horner of c), with the last step in double length.
    @inline(__always)
    static func polynomial(_ c0: Scalar, _ c: [Double], _ t: Scalar) -> (hi: Scalar, lo: Scalar) {
        var acc: Scalar = 0
        for k in c.indices.reversed() { acc = Scalar(c[k]).addingProduct(acc, t) }
        let (p, pl) = ErrorFree.product(t, acc)
        let (s, sl) = ErrorFree.sum(c0, p)
        return (s, sl + pl)
    }

    /// (f(x), tanh x).
    @inline(__always)
    static func evaluate(_ x: Scalar) -> (Scalar, Scalar) {
        if x.isNaN || x.isInfinite { return (x, x.isNaN ? x : (x > 0 ? 1 : -1)) }
        if x == 0 { return (x, x) }  // ±0 keeps its sign
        let a = abs(x)
        if a < 1.25 {
            let xx = ErrorFree.product(x, x)
            let cube = ErrorFree.product(xx, (x, 0))
            let p = polynomial(1, PolynomialCoefficients.tanhShrinkNumerator, xx.hi)
            let q = polynomial(3, PolynomialCoefficients.tanhShrinkDenominator, xx.hi)
            let (n, nl) = ErrorFree.product(cube, p)
            let f = LogisticParts.quotient(n, nl, q.hi, q.lo)
            return (f, x - f)
        }
        let parts = LogisticParts(2 * a)
        let tail = 2 * parts.times(1, mirrored: true)  // 2e/(1+e) = 1 - tanh|x|
        let (b, bl) = ErrorFree.sum(a, -1)
        let f = b + (tail + bl)
        let t = 1 - tail
        return x < 0 ? (-f, -t) : (f, t)
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar { Self.evaluate(x).0 }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        let t = Self.evaluate(x).1
        return t * t
    }

    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (f, t) = Self.evaluate(x)
        return (f, t * t)
    }
}
