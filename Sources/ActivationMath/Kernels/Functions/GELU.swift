import RealModule

/// gelu(x) = x·Φ(x) (Hendrycks & Gimpel 2016), or its tanh form x·σ(2u),
/// u = √(2/π)(x + 0.044715x³), with `approximate: "tanh"`.
///
/// The input weighted by the probability that a standard normal falls below it: smooth,
/// non-monotonic (minimum ≈ -0.17 at x ≈ -0.75), the default of BERT and GPT. PyTorch
/// evaluates it exactly by default and JAX with the tanh form; we follow PyTorch.
///
/// - Exact form, -1 < x < 40: ½x·erfc(-x/√2) with erfc's argument corrected (``Gaussian``);
///   -20 ≤ x ≤ -1: ½x·erfcx(z)·e^(-z²) (``Erfcx``), where the C library's erfc alone would
///   leave 3 ulp.
///   x < -20: Φ(x) = φ(x)/|x|·S(x) with the asymptotic series S, so gelu(x) = -φ(x)·S(x) and
///   gelu'(x) = -φ(x)·(|x| - S(x)/|x|), in double length and scaled (``GatedGaussian``, shared
///   with geglu) and rounded once: in double they were 3 ulp off.
/// - Tanh form: 2u and the derivative's x·2u' are carried in double length (0.044715 and
///   √(2/π) as exact reals), then x·σ(2u) and σ(2u)(1 + x·2u'·σ(-2u)) are rounded once as in
///   ``LogisticParts``.
/// - Derivative: Φ(x) + xφ(x) crosses zero at x ≈ -0.7518 (tanh form: -0.7525); within 0.45 of
///   it a Taylor series about the root replaces the cancelling sum (``RootSeries``).
/// - Special values: NaN → NaN; gelu(+inf) = +inf, gelu'(+inf) = 1; gelu(-inf) = -0 (the limit
///   is approached from below), gelu'(-inf) = -0; gelu(±0) = ±0, gelu'(0) = 1/2.
public struct GELU<Scalar: ActivationReal>: ElementwiseKernel {
    let tanhForm: Bool

    public init(parameters: ResolvedParameters, convention: KinkConvention) {
        if case .choice(let form)? = parameters["approximate"] {
            tanhForm = form == "tanh"
        } else {
            tanhForm = false
        }
    }

    @inline(__always)
    public func value(_ x: Scalar) -> Scalar {
        tanhForm ? Self.tanhValue(x) : Self.exactValue(x)
    }

    @inline(__always)
    public func derivative(_ x: Scalar) -> Scalar {
        tanhForm ? Self.tanhDerivative(x) : Self.exactDerivative(x)
    }

    /// Shares erfcx, Φ or the logistic parts between value and derivative where both take the
    /// same path (the results are bit for bit those of value(_:) and derivative(_:)).
    @inline(__always)
    public func valueAndDerivative(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        if tanhForm {
            guard x >= -0.3, x < 20 else {
                return (Self.tanhValue(x), Self.tanhDerivative(x))
            }
            let (v, q) = Self.tanhArguments(x)
            guard v.hi >= -700 else { return (Self.tanhValue(x), Self.tanhDerivative(x)) }
            let p = LogisticParts(v.hi, v.lo)
            return (p.times(x), Self.tanhDerivative(p, q))
        }
        guard x >= -20, x < 40 else {
            return (Self.exactValue(x), Self.exactDerivative(x))
        }
        if RootSeries.gelu.contains(x) {
            // The value as exactValue computes it; the derivative from the series alone.
            let value = x <= -1 ? Self.negativeSide(x).value : x * Gaussian.distribution(x)
            return (value, Self.rootDerivative(x))
        }
        if x <= -1 { return Self.negativeSide(x) }
        guard x < 37 else { return (Self.exactValue(x), Self.exactDerivative(x)) }
        // One exp, e^(-x²/2), for Φ's correction and for φ (x²/2 < 700 here, so densityTimes
        // would compute the same product).
        let gauss = Scalar.exp(-(x * x) / 2)
        let phi = Gaussian.distribution(x, gauss: gauss)
        return (x * phi, phi + Gaussian.densityTimes(x, x, gauss: gauss))
    }

    // MARK: Exact form

    @inline(__always)
    static func exactValue(_ x: Scalar) -> Scalar {
        if x.isNaN || x >= 40 { return x }
        if x <= -40 { return -0.0 }
        if x < -20 { return Scalar((ScaledDouble(Double(x)) * GatedGaussian.tail(-Double(x))).rounded(.float64)) }
        if x <= -1 { return negativeSide(x).value }
        return x * Gaussian.distribution(x)
    }

    @inline(__always)
    static func exactDerivative(_ x: Scalar) -> Scalar {
        if x.isNaN { return x }
        if x >= 40 { return 1 }
        if x <= -40 { return -0.0 }
        if RootSeries.gelu.contains(x) { return rootDerivative(x) }
        if x < -20 { return Scalar(GatedGaussian.geluDerivative(Double(x)).rounded(.float64)) }
        if x <= -1 { return negativeSide(x).derivative }
        return Gaussian.distribution(x) + Gaussian.densityTimes(x, x)
    }

    /// gelu' from its series about the root, the last Horner steps and the leading coefficients
    /// in double length (``GatedGaussian/rootSeries(_:)``): in double, the series' rounding left
    /// 2 ulp at the ends of its interval.
    @inline(__always)
    static func rootDerivative(_ x: Scalar) -> Scalar {
        Scalar(GatedGaussian.rootSeries(Double(x)).rounded(.float64))
    }

    /// -20 ≤ x ≤ -1: with z = -x/√2 and E = e^(-z²), Φ(x) = ½·erfcx(z)·E, so
    /// gelu(x) = ½x·erfcx(z)·E and gelu'(x) = E·(½·erfcx(z) + x/√(2π)), all in double length
    /// and rounded once. z's rounding is carried (erfcx' = 2z·erfcx - 2/√π) and so is x²'s.
    @inline(__always)
    static func negativeSide(_ x: Scalar) -> (value: Scalar, derivative: Scalar) {
        let (p, e0) = ErrorFree.product(x, Scalar(Constants.invSqrt2.hi))
        let e = e0.addingProduct(x, Scalar(Constants.invSqrt2.lo))
        let (zh, zl) = (-p, -e)
        var (r, rl) = Erfcx.evaluate(zh)
        rl = rl.addingProduct(zl, (-Scalar(Constants.twoOverSqrtPi.hi)).addingProduct(2 * zh, r))
        let (h, l) = ErrorFree.product(x, x)
        let big = Scalar.exp(-h / 2)
        let gauss = (hi: big, lo: big * (-l / 2))
        let value = ErrorFree.product(ErrorFree.product((x, 0), (r, rl)), gauss).hi / 2
        let c = (hi: Scalar(Constants.invSqrt2Pi.hi), lo: Scalar(Constants.invSqrt2Pi.lo))
        let xc = ErrorFree.product((x, 0), c)
        let (s, sl) = ErrorFree.sum(r / 2, xc.hi)
        let derivative = ErrorFree.product((s, sl + (rl / 2 + xc.lo)), gauss).hi
        return (value, derivative)
    }

    // MARK: Tanh form

    /// 2u = 2√(2/π)·x·(1 + 0.044715x²) and x·2u' = 2√(2/π)·x·(1 + 3·0.044715x²), double length.
    @inline(__always)
    static func tanhArguments(_ x: Scalar) -> (v: (hi: Scalar, lo: Scalar), q: (hi: Scalar, lo: Scalar)) {
        let k = (hi: Scalar(Constants.geluCubic.hi), lo: Scalar(Constants.geluCubic.lo))
        let c = (hi: Scalar(Constants.twoSqrt2OverPi.hi), lo: Scalar(Constants.twoSqrt2OverPi.lo))
        let xx = ErrorFree.product(x, x)
        let kxx = ErrorFree.product(k, xx)
        let w1 = ErrorFree.sum(1, kxx.hi)
        let w3 = ErrorFree.sum(1, 3 * kxx.hi)  // 3·kxx.hi is exact unless it overflows
        let cx = ErrorFree.product(c, (x, 0))
        let v = ErrorFree.product(cx, (w1.hi, w1.lo + kxx.lo))
        let q = ErrorFree.product(cx, (w3.hi, w3.lo + 3 * kxx.lo))
        return (v, q)
    }

    @inline(__always)
    static func tanhValue(_ x: Scalar) -> Scalar {
        if x.isNaN || x >= 1e100 { return x }
        if x <= -25 { return -0.0 }
        let (v, _) = tanhArguments(x)
        if v.hi < -700 { return ErrorFree.expTimes(v.hi, x.addingProduct(x, v.lo)) }
        return LogisticParts(v.hi, v.lo).times(x)
    }

    @inline(__always)
    static func tanhDerivative(_ x: Scalar) -> Scalar {
        if x.isNaN { return x }
        if x >= 20 { return 1 }  // 2u > 745: σ(2u) = 1 and x·2u'·e^-2u rounds away
        if x <= -25 { return -0.0 }
        // Around the root (where the double sum cancels; the series in double left 3 ulp at the
        // ends of its interval) and below, where e^(2u) leaves the double range: the GLU
        // family's double-length evaluation, rounded once.
        if x < -0.3 { return Scalar(GatedKernels.evaluate(.geluTanh, Double(x), derivative: true).1.rounded(.float64)) }
        let (v, q) = tanhArguments(x)
        if v.hi < -700 {
            let m = 1 + q.hi
            return ErrorFree.expTimes(v.hi, m.addingProduct(m, v.lo))
        }
        return tanhDerivative(LogisticParts(v.hi, v.lo), q)
    }

    /// As swish': f' = N/(1 + e)², N = 1 + e + q·e for 2u ≥ 0 and e·(1 + q + e) below.
    @inline(__always)
    static func tanhDerivative(_ p: LogisticParts<Scalar>, _ q: (hi: Scalar, lo: Scalar)) -> Scalar {
        if !p.nonNegative {
            let (a, al) = ErrorFree.sum(1, q.hi)
            let (n, nl) = ErrorFree.sum(a, p.e)
            return p.derivativeTimes((n, nl + (al + q.lo + p.elo)))
        }
        let (qe, qel) = ErrorFree.product(q, (p.e, p.elo))
        let (n, nl) = ErrorFree.sum(p.d, qe)
        let (s, sl) = p.squaredDenominator
        return LogisticParts.quotient(n, nl + (p.dlo + qel), s, sl)
    }
}
