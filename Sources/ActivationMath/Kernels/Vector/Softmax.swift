import RealModule

/// softmax, log_softmax and softmin of one slice, with their VJPs, within one ulp of the exact
/// results (correctly rounded but for near-halfway cases).
///
/// softmax(x)ᵢ = eᵢ/D with eᵢ = e^(xᵢ−m), m = max x, D = Σⱼeⱼ, as PyTorch computes it, but:
/// - xᵢ − m is taken exactly (TwoSum, a + b); for float64 results each eᵢ is e^(a+b) in
///   double-double (``ExpDoubleDouble``, 2^-98), for float32 the C library's e^a corrected to
///   first order by b (2^-51, far below a float32 ulp); both are kept as (hi + lo)·2^scale so
///   that a subnormal eᵢ keeps its bits. D is summed as Ogita, Rump and Oishi's Sum2, 1/D is
///   taken once in double-double, and each value is rounded once (``Certified/round``).
/// - the VJP dxᵢ = yᵢ·(gᵢ − Σⱼyⱼgⱼ) = eᵢ·(gᵢ·D − Σⱼgⱼeⱼ)/D² cancels when gᵢ is close to Σⱼyⱼgⱼ,
///   as far as the inputs allow, and no fixed precision survives that. So it is computed in
///   double-double with a rigorous error bound (``SoftmaxGradient``), and every entry whose
///   bound is not below 1/16 ulp of its result is recomputed with ``WideFloat``
///   (``SoftmaxCertified``) at a precision that doubles until the bound is met. Random
///   gradients need that about once in 2^40 entries; gradients chosen to cancel, every time.
/// - log_softmax: yᵢ = (xᵢ − m) − log D, log D = log1p(D − 1) with D − 1 kept apart (it may be
///   subnormal) and, for float64, one Newton step through ``ExpDoubleDouble`` to double-double;
///   the sum cannot cancel and is rounded once. Its VJP gᵢ − pᵢ·Σⱼgⱼ is certified as softmax's.
///
/// Special values follow PyTorch (pytorch#6864, #25110): a NaN or a +inf entry makes the whole
/// slice NaN (+inf − +inf), a slice of only −inf is NaN, and a −inf entry among finite ones gives
/// 0 (log_softmax −inf) and a gradient of 0. A non-finite upstream gradient propagates by the
/// plain formula.
package enum SoftmaxKernel {
    /// The exponentials of one slice, eᵢ = (hi + lo)·2^scale with hi in [1, 2) in work[i], lo in
    /// work[n + i] and the scale in scales[i] (as a Double); 0 for −inf entries and where eᵢ is
    /// taken as 0 (below 2^-2164 for float64, below the double range for float32).
    struct Exponentials {
        /// D = Σeᵢ.
        var sum: DoubleDouble
        /// 1/D, to 2^-104.
        var inverse: DoubleDouble
        /// D − 1 (every term but the first maximum's, which is exactly 1) as (hi + lo)·2^scale.
        var rest: (hi: Double, lo: Double, scale: Int)
        var max: Double
        /// The bound on each eᵢ's relative error.
        var error: Double
        var precise: Bool
    }

    /// nil when the slice is NaN by PyTorch's rules. `precise`: double-double exponentials.
    static func exponentials(
        _ x: UnsafeMutableBufferPointer<Double>, work: UnsafeMutableBufferPointer<Double>,
        scales: UnsafeMutableBufferPointer<Double>, precise: Bool
    ) -> Exponentials? {
        var m = -Double.infinity
        var argmax = 0
        for (i, v) in x.enumerated() {
            if v.isNaN || v == .infinity { return nil }
            if v > m { m = v; argmax = i }
        }
        guard m > -.infinity else { return nil }
        let n = x.count
        var top = Int.min  // the largest scale among the other terms
        var rest = DoubleDouble(0)
        for i in x.indices {
            let (a, b) = ErrorFree.twoSum(x[i], -m)
            var hi = 0.0, lo = 0.0, k = 0
            if precise {
                if a >= ExpDoubleDouble.lowestArgument {
                    (hi, lo, k) = ExpDoubleDouble.exp(a, b.isFinite ? b : 0)
                }
            } else {
                let v = Double.exp(a)
                if v != 0 {
                    k = Int(v.exponent)
                    // v·2^-k in [1, 2), exactly (two steps: 2^-k may exceed the double range)
                    hi = (v * Certified.power(Swift.min(-k, 1023))) * Certified.power(Swift.max(-k - 1023, 0))
                    lo = b.isFinite ? hi * b : 0  // e^(a+b) ≈ e^a·(1 + b), b² below 2^-106
                }
            }
            work[i] = hi
            work[n + i] = lo
            scales[i] = Double(k)
            if i != argmax && hi != 0 {
                top = Swift.max(top, k)
                if k >= -1000 {
                    let p = Certified.power(k)
                    rest.accumulate(hi * p)
                    rest.lo += lo * p
                }
            }
        }
        // D − 1 in the units of its largest term when that is below 2^-900 (log_softmax needs it
        // even when it is subnormal, and the terms below 2^-1000 left out above are then not
        // negligible beside it); otherwise those terms are below 2^-100 of it.
        let restScale = top < -900 && top > Int.min ? top : 0
        if restScale != 0 {
            rest = DoubleDouble(0)
            for i in x.indices where i != argmax && work[i] != 0 {
                let shift = Int(scales[i]) - top
                rest.accumulate(Certified.scale(work[i], shift))
                rest.lo += Certified.scale(work[n + i], shift)
            }
        }
        let r = rest.renormalised
        var sum = DoubleDouble(1)
        sum.add(Certified.scale(r.hi, restScale))
        sum.add(Certified.scale(r.lo, restScale))
        return Exponentials(
            sum: sum, inverse: sum.reciprocal, rest: (r.hi, r.lo, restScale), max: m,
            error: precise ? ExpDoubleDouble.relativeError : 0x1p-51, precise: precise)
    }

    /// y = softmax(x) (or softmin when `negate`), and dx = Jᵀg when `dx` is given; `fast`: try
    /// ``SoftmaxFast`` first (tests turn it off to compare the two paths).
    static func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, negate: Bool, target: Certified.Target, fast: Bool = true
    ) {
        if negate { for i in x.indices { x[i] = -x[i] } }
        // Values only (or the all-ones VJP, which is 0): the fast path, when it decides them.
        if fast, dx == nil || g == nil, SoftmaxFast.softmax(x, y: y, work: work, target: target) {
            if let dx { for i in dx.indices { dx[i] = 0 } }
            return
        }
        let n = x.count
        let scales = UnsafeMutableBufferPointer(rebasing: work[(2 * n)..<(3 * n)])
        guard let ex = exponentials(x, work: work, scales: scales, precise: target == .float64) else {
            for i in y.indices { y[i] = .nan }
            if let dx { for i in dx.indices { dx[i] = .nan } }
            return
        }
        if let dx {
            if let g {
                SoftmaxGradient.softmax(x, g: g, e: work, scales: scales, ex, dx: dx, target: target)
                if negate { for i in dx.indices { dx[i] = -dx[i] } }
            } else {
                // grad_output all ones: the exact VJP is y ⊙ (1 − Σy) = 0.
                for i in dx.indices { dx[i] = 0 }
            }
        }
        for i in y.indices {
            let q = ErrorFree.product((work[i], work[n + i]), (ex.inverse.hi, ex.inverse.lo))
            y[i] = Certified.round(q.hi, q.lo, Int(scales[i]), target)
        }
    }

    /// y = log_softmax(x), and dx = g − softmax(x)·Σg when `dx` is given; `fast` as for softmax.
    static func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, target: Certified.Target, fast: Bool = true
    ) {
        if fast, SoftmaxFast.logSoftmax(x, g: g, y: y, dx: dx, work: work, target: target) { return }
        let n = x.count
        let scales = UnsafeMutableBufferPointer(rebasing: work[(2 * n)..<(3 * n)])
        guard let ex = exponentials(x, work: work, scales: scales, precise: target == .float64) else {
            for i in y.indices { y[i] = .nan }
            if let dx { for i in dx.indices { dx[i] = .nan } }
            return
        }
        let log = SoftmaxLogarithm.logarithm(ex)
        for i in x.indices {
            let (a, b) = ErrorFree.twoSum(x[i], -ex.max)
            y[i] = SoftmaxLogarithm.difference(a, b, log, target)
        }
        guard let dx else { return }
        SoftmaxGradient.logSoftmax(x, g: g, e: work, scales: scales, ex, dx: dx, target: target)
    }
}

extension DoubleDouble {
    /// 1/self to about 2^-104 relative (self ≥ 1 here).
    package var reciprocal: DoubleDouble {
        let q = 1 / hi
        let (p, e) = ErrorFree.twoProduct(q, hi)
        let r = ((1 - p) - e) - q * lo  // 1 − q·hi exactly, then the low part
        let q2 = r * q
        let h = q + q2
        return DoubleDouble(h, q2 - (h - q))
    }
}
