import RealModule

/// The GLU family's activations and their derivatives as ``ScaledDouble`` values, relative
/// error below 2^-55 (logistic ones below 2^-95), so that each product with the linear half and
/// the upstream gradient is rounded once and lands within one ulp; and scaled, so that none of
/// them underflows where the product with a factor up to 2^2048 would not.
///
/// - Logistic (glu, swiglu, the tanh-form geglu): e = e^-|t| by ``ExpDoubleDouble`` (down to
///   t = -2300; beyond, e < 2^-3318 and every product is 0), D = 1 + e, σ(t) = 1/D or e/D,
///   σ'(t) = e/D². The derivatives' numerators N = 1 + e + q·e (t ≥ 0) and 1 + q + e (t < 0),
///   which cancel near the roots of swish' and gelu', are formed in double-double from exact
///   parts, so the root needs no series here.
/// - Gaussian (geglu): ``distribution(_:)``.
enum GatedNumerics {
    static let lowest = -2300.0

    /// The pieces of σ(t) for t = th + tl: e^-|t| = (eh + el)·2^k, D and 1/D (normal, D ≤ 2).
    struct Logistic {
        var eh = 0.0, el = 0.0, k = 0
        var d = DoubleDouble(1)
        var inverse = DoubleDouble(1)
        var nonNegative: Bool

        @inline(__always)
        init(_ th: Double, _ tl: Double) {
            nonNegative = th >= 0
            let a = -abs(th), b = th >= 0 ? -tl : tl
            guard a >= GatedNumerics.lowest else { return }
            (eh, el, k) = ExpDoubleDouble.exp(a, b)
            if k >= -1074 {
                d.add(Certified.scale(eh, k))
                d.add(Certified.scale(el, k))
                inverse = d.reciprocal
            }
        }

        /// e as an unscaled double-double (0 below the subnormal range).
        var unscaled: DoubleDouble {
            k >= -1074 ? DoubleDouble(Certified.scale(eh, k), Certified.scale(el, k)) : DoubleDouble(0)
        }

        /// σ(t).
        var sigma: ScaledDouble {
            if nonNegative { return ScaledDouble(hi: inverse.hi, lo: inverse.lo, scale: 0) }
            if eh == 0 { return .zero }
            let p = ErrorFree.product((eh, el), (inverse.hi, inverse.lo))
            return ScaledDouble(hi: p.hi, lo: p.lo, scale: k)
        }

        /// n·σ'(t) = n·e/D² for n given unscaled.
        func derivative(times n: DoubleDouble) -> ScaledDouble {
            if eh == 0 || n.hi == 0 { return .zero }
            let i2 = inverse.squared
            let p = ErrorFree.product(ErrorFree.product((eh, el), (i2.hi, i2.lo)), (n.hi, n.lo))
            return ScaledDouble(hi: p.hi, lo: p.lo, scale: k)
        }

        /// σ(t)·(1 + q·σ(-t)) for q = qh + ql (swish' with q = t, gelu_tanh' with q = x·2u'):
        /// N/D² with N = 1 + e + q·e for t ≥ 0, and e·N/D² with N = 1 + q + e for t < 0.
        func gatedDerivative(_ qh: Double, _ ql: Double) -> ScaledDouble {
            let e = unscaled
            if nonNegative {
                var n = DoubleDouble(1)
                n.add(e)
                let qe = ErrorFree.product((qh, ql), (e.hi, e.lo))
                n.add(qe.hi)
                n.add(qe.lo)
                let i2 = inverse.squared
                let p = ErrorFree.product((n.hi, n.lo), (i2.hi, i2.lo))
                return ScaledDouble(hi: p.hi, lo: p.lo, scale: 0)
            }
            let (a, al) = ErrorFree.twoSum(1, qh)
            var n = DoubleDouble(a)
            n.add(al + ql)
            n.add(e)
            return derivative(times: n)
        }
    }
}
