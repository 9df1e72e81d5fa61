/// The softmax family's VJPs in double-double with error bounds; the entries a bound does not
/// certify go to ``SoftmaxCertified``.
///
/// g is first scaled by a power of two (exactly, but for subnormal entries) so that its largest
/// entry is in [1, 2): then no product or sum below overflows, and the absolute error of what
/// falls below the subnormal range (eⱼ under 2^-1074, g'ⱼ rounded, subnormal products) is at most
/// `floor` = (n + 4)·2^-1070 in those units, whatever g's magnitude. Sums are Ogita–Rump–Oishi
/// Sum2 (error γ²ₙ·Σ|terms| ≤ (n + 4)²·2^-104·Σ|terms| before the last rounding, which they skip)
/// of exact TwoProducts. With ε the exponentials' relative error (2^-98 or 2^-51):
/// - softmax: Bᵢ = g'ᵢ·D − Σg'ⱼeⱼ is within (ε + (n + 4)²·2^-103)·(|g'ᵢ|·D + Σ|g'ⱼ|eⱼ) + floor,
///   and dxᵢ = eᵢ·Bᵢ/D² adds eᵢ's and the products' relative errors;
/// - log_softmax: dxᵢ = g'ᵢ − eᵢ·G/D (G = Σg'ⱼ) is within |eᵢG/D|·(ε + 2^-100)
///   + (eᵢ/D)·(n + 4)²·2^-103·Σ|g'ⱼ| + floor.
enum SoftmaxGradient {
    /// How g is scaled: by 2^-exponent, so that max |g| is in [1, 2); or not at all.
    enum GradientScale {
        case exponent(Int)
        /// Every entry is ±0: the VJP is 0.
        case zero
        /// A NaN or an infinity: the plain formula.
        case nonFinite
    }

    static func gradientScale(_ g: UnsafeMutableBufferPointer<Double>) -> GradientScale {
        var largest = 0.0
        for v in g {
            guard v.isFinite else { return .nonFinite }
            largest = Swift.max(largest, abs(v))
        }
        return largest == 0 ? .zero : .exponent(Int(largest.exponent))
    }

    static func floor(_ n: Int) -> Double { Double(n + 4) * 0x1p-1070 }

    static func sumError(_ n: Int) -> Double { Double(n + 4) * Double(n + 4) * 0x1p-103 }

    /// Multiplies by 2^-s in two exact steps where 2^-s itself is outside the double range; an
    /// entry that the first step makes subnormal is rounded there (within `floor`).
    struct Scaler {
        let first: Double, second: Double

        init(_ s: Int) {
            let clamped = Swift.min(Swift.max(-s, -1022), 1022)
            first = Certified.power(clamped)
            second = Certified.power(-s - clamped)
        }

        @inline(__always)
        func callAsFunction(_ v: Double) -> Double { v * first * second }
    }

    /// dx of softmax for the exponentials of ``SoftmaxKernel/exponentials(_:work:scales:precise:)``.
    static func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>,
        e: UnsafeMutableBufferPointer<Double>, scales: UnsafeMutableBufferPointer<Double>,
        _ ex: SoftmaxKernel.Exponentials, dx: UnsafeMutableBufferPointer<Double>, target: Certified.Target
    ) {
        let n = x.count
        let gs: Int
        switch gradientScale(g) {
        case .nonFinite: return plainSoftmax(g: g, e: e, scales: scales, ex, dx: dx)
        case .zero:
            for i in dx.indices { dx[i] = 0 }  // dx = y ⊙ (0 − 0)
            return
        case .exponent(let s): gs = s
        }
        let down = Scaler(gs)
        var numerator = DoubleDouble(0)  // Σ g'ⱼ·eⱼ
        var absolute = 0.0  // Σ |g'ⱼ|·eⱼ, for the bounds
        for j in 0..<n where e[j] != 0 {
            let k = Int(scales[j])
            let normal = k >= -1022
            let p = Certified.power(normal ? k : -1022)
            let eh = normal ? e[j] * p : Certified.scale(e[j], k)
            let el = normal ? e[n + j] * p : 0  // below 2^-1075 otherwise: within floor
            let gj = down(g[j])
            let (t, te) = ErrorFree.twoProduct(gj, eh)
            numerator.accumulate(t)
            numerator.lo += te + gj * el
            absolute += abs(t)
        }
        let d = ex.sum
        let inverse2 = ex.inverse.squared
        let c1 = ex.error + sumError(n)
        let floor = floor(n)
        let relative = ex.error + 0x1p-100
        var pending: [Int] = []
        for i in 0..<n {
            guard e[i] != 0 else {
                // e < 2^-2164 (or a −inf entry): |dx| < 2^-2160 in g' units, 0 once scaled back.
                dx[i] = 0
                continue
            }
            let gi = down(g[i])
            let (p, pe) = ErrorFree.twoProduct(gi, d.hi)
            var b = DoubleDouble(p)
            b.accumulate(-numerator.hi)
            b.lo += pe + gi * d.lo - numerator.lo
            let bb = b.renormalised
            let errorB = c1 * (abs(gi) * d.hi + absolute) + floor
            let eb = ErrorFree.product((e[i], e[n + i]), (bb.hi, bb.lo))
            let q = ErrorFree.product(eb, (inverse2.hi, inverse2.lo))
            let bound = e[i] * inverse2.hi * errorB * (1 + 0x1p-40) + abs(q.hi) * relative + 0x1p-1073
            let s = Int(scales[i]) + gs
            if Certified.holds(abs(q.hi), error: bound, scale: s, target) {
                dx[i] = Certified.round(q.hi, q.lo, s, target)
            } else {
                pending.append(i)
            }
        }
        if !pending.isEmpty {
            SoftmaxCertified.softmax(x, g: g, pending: pending, dx: dx, target: target)
        }
    }

    /// dx of log_softmax: g − softmax(x)·Σg (g nil: all ones).
    static func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        e: UnsafeMutableBufferPointer<Double>, scales: UnsafeMutableBufferPointer<Double>,
        _ ex: SoftmaxKernel.Exponentials, dx: UnsafeMutableBufferPointer<Double>, target: Certified.Target
    ) {
        let n = x.count
        var gs = 0
        if let g {
            switch gradientScale(g) {
            case .nonFinite: return plainLogSoftmax(g: g, e: e, scales: scales, ex, dx: dx)
            case .zero:
                for i in dx.indices { dx[i] = 0 }
                return
            case .exponent(let s): gs = s
            }
        }
        let down = Scaler(gs)
        var total = DoubleDouble(0)
        var absolute = 0.0
        for j in 0..<n {
            let gj = down(g?[j] ?? 1)
            total.accumulate(gj)
            absolute += abs(gj)
        }
        total = total.renormalised
        let inverse = ex.inverse
        let floor = floor(n)
        let relative = ex.error + 0x1p-100
        let sumBound = sumError(n) * absolute * (1 + 0x1p-40)
        var pending: [Int] = []
        let ratio = ErrorFree.product((total.hi, total.lo), (inverse.hi, inverse.lo))  // G/D
        for i in 0..<n {
            let gi = down(g?[i] ?? 1)
            // T = eᵢ·G/D, then scaled by eᵢ's power of two.
            let t = ErrorFree.product((e[i], e[n + i]), ratio)
            let k = Int(scales[i])
            let th = Certified.scale(t.hi, k)
            let (rh, re) = ErrorFree.twoSum(gi, -th)
            let rt = -Certified.scale(t.lo, k)
            let p = Certified.scale(e[i] * inverse.hi, k)
            let bound = abs(th) * relative + p * sumBound + floor
            if Certified.holds(abs(rh), error: bound, scale: gs, target) {
                dx[i] = Certified.round(rh, re, rt, gs, target)
            } else {
                pending.append(i)
            }
        }
        if !pending.isEmpty {
            SoftmaxCertified.logSoftmax(x, g: g, pending: pending, dx: dx, target: target)
        }
    }

    /// The plain formulas, for an upstream gradient with a NaN or an infinity (whose result is
    /// NaN or infinite wherever it reaches).
    static func plainSoftmax(
        g: UnsafeMutableBufferPointer<Double>, e: UnsafeMutableBufferPointer<Double>,
        scales: UnsafeMutableBufferPointer<Double>, _ ex: SoftmaxKernel.Exponentials,
        dx: UnsafeMutableBufferPointer<Double>
    ) {
        var dot = 0.0
        for j in g.indices { dot += g[j] * (Certified.scale(e[j], Int(scales[j])) * ex.inverse.hi) }
        for i in g.indices { dx[i] = (Certified.scale(e[i], Int(scales[i])) * ex.inverse.hi) * (g[i] - dot) }
    }

    static func plainLogSoftmax(
        g: UnsafeMutableBufferPointer<Double>, e: UnsafeMutableBufferPointer<Double>,
        scales: UnsafeMutableBufferPointer<Double>, _ ex: SoftmaxKernel.Exponentials,
        dx: UnsafeMutableBufferPointer<Double>
    ) {
        var total = 0.0
        for v in g { total += v }
        for i in g.indices { dx[i] = g[i] - (Certified.scale(e[i], Int(scales[i])) * ex.inverse.hi) * total }
    }
}

extension DoubleDouble {
    /// self², to about 2^-104 relative.
    var squared: DoubleDouble {
        let (p, pe) = ErrorFree.twoProduct(hi, hi)
        let lo = pe + 2 * hi * self.lo
        let h = p + lo
        return DoubleDouble(h, lo - (h - p))
    }
}

extension ErrorFree {
    /// (a.hi + a.lo)·(b.hi + b.lo) as a double-length pair, to about 2^-104 relative.
    @inline(__always)
    static func product(_ a: (Double, Double), _ b: (Double, Double)) -> (hi: Double, lo: Double) {
        let (p, e) = twoProduct(a.0, b.0)
        guard p.isFinite else { return (p, 0) }
        let lo = e + (a.0 * b.1 + a.1 * b.0)
        let hi = p + lo
        return (hi, lo - (hi - p))
    }
}
