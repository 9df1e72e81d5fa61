/// glu, swiglu and geglu on pairs (h gated, l linear, g upstream): y = l·act(h),
/// ∂/∂l = g·act(h), ∂/∂h = g·l·act'(h), each rounded once from double-length factors.
///
/// The plain products l·a and g·(l·a') round two or three times, and go through an intermediate
/// that underflows where the result does not: σ(h) is subnormal below h = -708 while 10^300·σ(h)
/// is an ordinary number (issue 11: tens of ulp, hundreds on subnormal results). Here act(h) and
/// act'(h) are ``ScaledDouble`` values (``GatedNumerics``, ``GatedGaussian``), l and g enter
/// as exact mantissa–exponent pairs, and each product is one double-length multiplication and
/// one rounding (``Certified/round(_:_:_:_:)``), overflow and gradual underflow included: within
/// one ulp of the exact result.
///
/// Pairs with a NaN, an infinity or a zero among h, l and g take the elementwise kernels' values
/// and the plain products, so that special values, signed zeros and inf·0 = NaN stay exactly
/// what they were (and what the frameworks give).
package enum GatedKernels {
    package enum Activation: Sendable {
        case sigmoid, swish, gelu, geluTanh
    }

    /// Fills y (and dl, dh when given) for `count` pairs; g nil means all ones. `singleFast`:
    /// try ``GatedSingle`` first for float32 (tests turn it off to compare the two paths).
    package static func apply(
        _ activation: Activation, h: UnsafePointer<Double>, l: UnsafePointer<Double>, g: UnsafePointer<Double>?,
        y: UnsafeMutablePointer<Double>, dl: UnsafeMutablePointer<Double>?, dh: UnsafeMutablePointer<Double>?,
        count: Int, float32: Bool, singleFast: Bool = true
    ) {
        let float32Single = float32 && singleFast
        // One loop per activation, so that each fast path is inlined into its own loop.
        switch activation {
        case .sigmoid:
            if dl == nil && (!float32 || float32Single) {
                logisticValuesAlone(swish: false, h, l, g, y, count: count, float32: float32)
                return
            }
            run(activation, h, l, g, y, dl, dh, count, float32, float32Single, exponentials: true) { _, h, d, e in
                GatedFast.sigmoid(h, derivative: d, e: e)
            }
                single: { _, h, d in GatedSingle.sigmoid(h, derivative: d) }
        case .swish:
            if dl == nil && (!float32 || float32Single) {
                logisticValuesAlone(swish: true, h, l, g, y, count: count, float32: float32)
                return
            }
            run(activation, h, l, g, y, dl, dh, count, float32, float32Single, exponentials: true) { _, h, d, e in
                GatedFast.swish(h, derivative: d, e: e)
            }
                single: { _, h, d in GatedSingle.swish(h, derivative: d) }
        case .geluTanh:
            run(activation, h, l, g, y, dl, dh, count, float32, float32Single, exponentials: false) { _, h, d, _ in
                GatedFast.geluTanh(h, derivative: d)
            }
                single: { _, _, _ in nil }
        case .gelu:
            gaussianLanes(h, l, g, y, dl, dh, count, float32, float32Single)
        }
    }

    /// geglu: act and act' for a block of pairs first, on SIMD lanes, then the block's pair loop
    /// reads them. float64 (and float32 without its fast path): ``GatedGaussianLanes``, the same
    /// bits as ``GatedFast/gelu(_:derivative:)``; float32: ``GatedGaussianLanes/evaluateSingle(_:count:derivative:values:regions:indices:)``
    /// in plain double with ``GatedSingle``'s bounds, the scalar double-length path for the
    /// results those bounds leave undecided.
    static func gaussianLanes(
        _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, _ dl: UnsafeMutablePointer<Double>?, _ dh: UnsafeMutablePointer<Double>?,
        _ count: Int, _ float32: Bool, _ float32Single: Bool
    ) {
        if float32Single {
            gaussianLanesSingle(h, l, g, y, dl, dh, count)
            return
        }
        let block = GatedGaussianLanes.block
        let derivative = dl != nil
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * block) { values in
            withUnsafeTemporaryAllocation(of: Int16.self, capacity: 5 * block) { indices in
                withUnsafeTemporaryAllocation(of: Int8.self, capacity: block) { regions in
                    let v = values.baseAddress!, r = regions.baseAddress!
                    var start = 0
                    while start < count {
                        let n = Swift.min(block, count - start)
                        GatedGaussianLanes.evaluate(
                            h + start, count: n, derivative: derivative, values: v, regions: r,
                            indices: indices.baseAddress!)
                        if !float32 && !derivative {
                            // float64 values alone: the block's products l·act(h) on lanes too.
                            GatedGaussianLanes.products(
                                h + start, l + start, g.map { $0 + start }, y + start, count: n, values: v,
                                regions: r
                            ) { k in
                                run(.gelu, h + start + k, l + start + k, g.map { $0 + start + k }, y + start + k,
                                    nil, nil, 1, false, false, exponentials: false)
                                { _, _, _, _ in
                                    r[k] >= 0 ? (DoubleDouble(v[k], v[block + k]), DoubleDouble(0)) : nil
                                }
                                    single: { _, _, _ in nil }
                            }
                            start += n
                            continue
                        }
                        run(.gelu, h + start, l + start, g.map { $0 + start }, y + start, dl.map { $0 + start },
                            dh.map { $0 + start }, n, float32, false, exponentials: false)
                        { j, x, d, _ in
                            guard r[j] >= 0 else { return nil }
                            let a = DoubleDouble(v[j], v[block + j])
                            guard d else { return (a, DoubleDouble(0)) }
                            if RootSeries.gelu.contains(x) {
                                let f = RootSeries.gelu.doubleLength(x, c1: RootSeries.geluC1, c2: RootSeries.geluC2)
                                return (a, DoubleDouble(f.hi, f.lo))
                            }
                            return (a, DoubleDouble(v[2 * block + j], v[3 * block + j]))
                        }
                            single: { _, _, _ in nil }
                        start += n
                    }
                }
            }
        }
    }

    /// geglu float32: ``gaussianLanes(_:_:_:_:_:_:_:_:_:)``'s plain-double form.
    static func gaussianLanesSingle(
        _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, _ dl: UnsafeMutablePointer<Double>?, _ dh: UnsafeMutablePointer<Double>?,
        _ count: Int
    ) {
        let block = GatedGaussianLanes.block
        let derivative = dl != nil
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * block) { values in
            withUnsafeTemporaryAllocation(of: Int16.self, capacity: 5 * block) { indices in
                withUnsafeTemporaryAllocation(of: Int8.self, capacity: block) { regions in
                    let v = values.baseAddress!, r = regions.baseAddress!
                    var start = 0
                    while start < count {
                        let n = Swift.min(block, count - start)
                        GatedGaussianLanes.evaluateSingle(
                            h + start, count: n, derivative: derivative, values: v, regions: r,
                            indices: indices.baseAddress!)
                        run(.gelu, h + start, l + start, g.map { $0 + start }, y + start, dl.map { $0 + start },
                            dh.map { $0 + start }, n, true, true, exponentials: false)
                        { _, x, d, _ in GatedFast.gelu(x, derivative: d) }
                            single: { j, x, d in
                                guard r[j] >= 0 else { return nil }
                                guard d else { return (v[j], 0, 0x1p-48, 0) }
                                if RootSeries.gelu.contains(x) {
                                    let f = RootSeries.gelu.doubleLength(x, c1: RootSeries.geluC1, c2: RootSeries.geluC2)
                                    return (v[j], f.hi, 0x1p-48, 0x1p-50)
                                }
                                return (v[j], v[block + j], 0x1p-48, v[2 * block + j])
                            }
                        start += n
                    }
                }
            }
        }
    }

    /// Values alone of sigmoid- or swish-gated pairs on SIMD lanes: float64 through
    /// ``GatedLogisticLanes`` (the exponentials and the products in double length), float32
    /// through ``GatedLogisticSingle`` (GatedSingle's plain double); the pairs the lanes do not
    /// deliver go one by one to the scalar loop (rare: the test of `swish` there costs nothing).
    private static func logisticValuesAlone(
        swish: Bool, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, count: Int, float32: Bool
    ) {
        let activation: Activation = swish ? .swish : .sigmoid
        let scalar = { (j: Int) in
            run(activation, h + j, l + j, g.map { $0 + j }, y + j, nil, nil, 1, float32, float32,
                exponentials: false) { _, h, d, _ in
                swish ? GatedFast.swish(h, derivative: d) : GatedFast.sigmoid(h, derivative: d)
            }
                single: { _, h, d in
                    !float32 ? nil : swish ? GatedSingle.swish(h, derivative: d) : GatedSingle.sigmoid(h, derivative: d)
                }
        }
        if float32 {
            GatedLogisticSingle.values(swish: swish, h, l, g, y, count: count, scalar: scalar)
        } else {
            GatedLogisticLanes.values(swish: swish, h, l, g, y, count: count, scalar: scalar)
        }
    }

    /// The pair loop: `fast` gives act and act' of pair j as unscaled double-doubles for moderate h (nil
    /// otherwise); its products are accepted when they are far from overflow and underflow
    /// (then each is hi + lo, rounded once), else the scaled path recomputes the pair. For
    /// float32 results `single` (``GatedSingle``) comes first: plain double with error bounds,
    /// each product delivered when its bound decides the rounding.
    @inline(__always)
    static func run(
        _ activation: Activation, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, _ dl: UnsafeMutablePointer<Double>?, _ dh: UnsafeMutablePointer<Double>?,
        _ count: Int, _ float32: Bool, _ float32Single: Bool, exponentials: Bool,
        _ fast: (Int, Double, Bool, DoubleDouble?) -> (DoubleDouble, DoubleDouble)?,
        single: (Int, Double, Bool) -> GatedSingle.Result?
    ) {
        let target: Certified.Target = float32 ? .float32 : .float64
        let wantsGradients = dl != nil
        // float64 with gradients (glu, swiglu): e^-|h| for every pair first, on SIMD lanes, kept
        // in y (hi) and dl (lo) until the pair reads them back, just before writing its results.
        let early = exponentials && !float32Single && wantsGradients && dh != nil
        if early { GatedFast.exponentials(h, hi: y, lo: dl!, count: count) }
        for j in 0..<count {
            let hj = h[j], lj = l[j], gj = g?[j] ?? 1
            let ej = early ? DoubleDouble(y[j], dl![j]) : nil
            guard hj.isFinite, hj != 0, lj.isFinite, lj != 0, gj.isFinite, gj != 0 else {
                let (a, da) = plain(activation, hj)
                y[j] = lj * a
                dl?[j] = gj * a
                dh?[j] = gj * (lj * da)
                continue
            }
            if float32Single, let s = single(j, hj, wantsGradients) {
                let v = lj * s.a
                if let yv = SoftmaxFast.decided(v, 0, bound: abs(v) * (s.aError + 0x1p-52), target) {
                    if !wantsGradients {
                        y[j] = yv
                        continue
                    }
                    let d1 = gj * s.a
                    let d2 = (gj * lj) * s.da
                    if let v1 = SoftmaxFast.decided(d1, 0, bound: abs(d1) * (s.aError + 0x1p-52), target),
                        let v2 = SoftmaxFast.decided(d2, 0, bound: abs(d2) * (s.daError + 0x1p-51), target)
                    {
                        y[j] = yv
                        dl![j] = v1
                        dh![j] = v2
                        continue
                    }
                }
            }
            if let (a, da) = fast(j, hj, wantsGradients, ej) {
                let v = ErrorFree.product((lj, 0), (a.hi, a.lo))
                if !wantsGradients {
                    if GatedFast.moderate(v.hi) {
                        y[j] = GatedFast.round(v, target)
                        continue
                    }
                } else {
                    let gl = ErrorFree.twoProduct(gj, lj)
                    let d1 = ErrorFree.product((gj, 0), (a.hi, a.lo))
                    let d2 = ErrorFree.product((gl.product, gl.error), (da.hi, da.lo))
                    if GatedFast.moderate(v.hi) && GatedFast.moderate(d1.hi) && GatedFast.moderate(d2.hi)
                        && GatedFast.moderate(gl.product)
                    {
                        y[j] = GatedFast.round(v, target)
                        dl![j] = GatedFast.round(d1, target)
                        dh![j] = GatedFast.round(d2, target)
                        continue
                    }
                }
            }
            let (a, da) = evaluate(activation, hj, derivative: wantsGradients)
            let ls = ScaledDouble(lj)
            y[j] = (ls * a).rounded(target)
            if wantsGradients {
                let gs = ScaledDouble(gj)
                dl?[j] = (gs * a).rounded(target)
                dh?[j] = (gs * ls * da).rounded(target)
            }
        }
    }

    /// act(h) and act'(h) (the derivative only when asked for) for finite, non-zero h.
    @inline(__always)
    static func evaluate(_ activation: Activation, _ h: Double, derivative: Bool) -> (ScaledDouble, ScaledDouble) {
        switch activation {
        case .sigmoid:
            let p = GatedNumerics.Logistic(h, 0)
            return (p.sigma, derivative ? p.derivative(times: DoubleDouble(1)) : .zero)
        case .swish:
            let p = GatedNumerics.Logistic(h, 0)
            return (ScaledDouble(h) * p.sigma, derivative ? p.gatedDerivative(h, 0) : .zero)
        case .geluTanh:
            // Beyond |x| = 2^100 the cube overflows; σ(2u) is 0 or 1 to far below any ulp there.
            if abs(h) > 0x1p100 {
                return h > 0 ? (ScaledDouble(h), ScaledDouble(1)) : (.zero, .zero)
            }
            let (v, q) = tanhArguments(h)
            let p = GatedNumerics.Logistic(v.hi, v.lo)
            guard derivative else { return (ScaledDouble(h) * p.sigma, .zero) }
            if RootSeries.geluTanh.contains(h) {
                // Next to the root N = 1 + q + e cancels beyond e's 2^-98; the series does not.
                let f = RootSeries.geluTanh.doubleLength(h, c1: RootSeries.geluTanhC1, c2: RootSeries.geluTanhC2)
                return (ScaledDouble(h) * p.sigma, f.hi == 0 ? .zero : ScaledDouble(hi: f.hi, lo: f.lo, scale: 0))
            }
            return (ScaledDouble(h) * p.sigma, p.gatedDerivative(q.hi, q.lo))
        case .gelu:
            let value = ScaledDouble(h) * GatedGaussian.distribution(h)
            return (value, derivative ? GatedGaussian.geluDerivative(h) : .zero)
        }
    }

    /// 2u = 2√(2/π)·x·(1 + 0.044715x²) and x·2u' = 2√(2/π)·x·(1 + 3·0.044715x²), double length
    /// throughout (3·0.044715x² too: gelu_tanh' cancels near x = -0.7525, and an error of 2^-57 in
    /// that term alone costs tens of ulp there).
    @inline(__always)
    static func tanhArguments(_ x: Double) -> (v: (hi: Double, lo: Double), q: (hi: Double, lo: Double)) {
        let k = (hi: Constants.geluCubic.hi, lo: Constants.geluCubic.lo)
        let c = (hi: Constants.twoSqrt2OverPi.hi, lo: Constants.twoSqrt2OverPi.lo)
        let xx = ErrorFree.product(x, x)
        let kxx = ErrorFree.product(k, xx)
        let (k3, k3e) = ErrorFree.twoProduct(3, kxx.hi)
        let w1 = ErrorFree.sum(1, kxx.hi)
        let w3 = ErrorFree.sum(1, k3)
        let cx = ErrorFree.product(c, (x, 0))
        let v = ErrorFree.product(cx, (w1.hi, w1.lo + kxx.lo))
        let q = ErrorFree.product(cx, (w3.hi, w3.lo + (k3e + 3 * kxx.lo)))
        return (v, q)
    }

    /// The elementwise kernels' act and act', for special inputs.
    static func plain(_ activation: Activation, _ h: Double) -> (Double, Double) {
        let convention = KinkConvention.pytorch
        switch activation {
        case .sigmoid:
            return Sigmoid<Double>(parameters: ResolvedParameters(), convention: convention).valueAndDerivative(h)
        case .swish:
            return Swish<Double>(parameters: ResolvedParameters(["beta": .number(1)]), convention: convention)
                .valueAndDerivative(h)
        case .gelu, .geluTanh:
            let form = activation == .gelu ? "none" : "tanh"
            return GELU<Double>(parameters: ResolvedParameters(["approximate": .choice(form)]), convention: convention)
                .valueAndDerivative(h)
        }
    }
}
