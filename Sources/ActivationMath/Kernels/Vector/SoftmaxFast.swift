import RealModule

/// The softmax family's fast path: the common slice (finite entries within 600 of their
/// maximum, moderate gradients) in ordinary double or medium double-double arithmetic, each
/// result with a rigorous relative error bound and delivered only when that bound decides its
/// rounding (Ziv's test, ``decided(_:_:bound:_:)``): then it is the correctly rounded result,
/// the number the precise path of ``SoftmaxKernel`` delivers too (VectorFastPathTests compares
/// them bit for bit). When any result of the slice is undecided (about once in 2^23 results for
/// float32, once in 2^12 for float64 values, so about 1 % of float64 slices of 64; float64
/// subnormal or zero results, spreads beyond 600, huge or tiny gradients: always) the function
/// returns false and the caller runs the precise path on the whole slice.
///
/// Goals in order: never deliver a result the precise path would round differently; cost no more
/// than PyTorch's formula in double (one exponential, one sum and one product per entry) where
/// possible; fall back rarely.
///
/// - softmax values (no VJP needed): for float32, eᵢ = RN(v + RN(v·b)) with v the C library's
///   e^a (glibc: within 0.51 ulp; taken as 2^-51 relative, with the first-order correction by b
///   2^-50.6), D = Σeᵢ as Sum2, yᵢ = RN(eᵢ·RN(1/D)): relative error below 2^-49 + n²·2^-104,
///   a few double ulps, which decides the float32 rounding except next to a float32 midpoint.
///   For float64, eᵢ by ``ExpMedium`` (2^-68) in double-double, D in double-double (2^-68
///   + n²·2^-105), 1/D to 2^-104, yᵢ = eᵢ·(1/D) in double length: below 2^-66 + n²·2^-104.
/// - log_softmax: the same double-double exponentials; L = log D through
///   ``SoftmaxLogarithm/logarithm(_:)`` (relative 2^-65 + n²·2^-104: D − 1's relative error
///   carries over to log1p, and the Newton step is ``ExpDoubleDouble``'s); yᵢ = (a + b) − L
///   with |yᵢ| ≥ L (a ≤ 0 ≤ L), so L's relative error bounds yᵢ's. The VJP g − pᵢ·G
///   (G = Σg, exact for g all ones) in double length, bounded by |pᵢG|·2^-65.9 plus G's Sum2
///   error: the result is decided unless g cancels pᵢG to about 2^-10.
enum SoftmaxFast {
    /// The correct rounding to the target of a value known to lie within `bound` of hi + lo,
    /// where hi = RN(hi + lo), when the bound decides it; nil otherwise and for results outside
    /// [2^-1000, 2^1000] (float32: up to 2^127, subnormal results included) or on a power of
    /// two (float64: the spacing below it halves).
    @inline(__always)
    static func decided(_ hi: Double, _ lo: Double, bound: Double, _ target: Certified.Target) -> Double? {
        let m = abs(hi)
        let binade = Double(bitPattern: m.bitPattern & 0x7FF0_0000_0000_0000)
        if target == .float64 {
            guard m >= 0x1p-1000, m <= 0x1p1000, hi.significandBitPattern != 0 else { return nil }
            // hi is right when hi + lo + error stays within half a spacing, 2^(e−53), of hi.
            return abs(lo) + bound < binade * 0x1p-53 ? hi : nil
        }
        // Below half the smallest subnormal, 2^-150, everything rounds to zero.
        if m + bound < 0x1p-150 { return hi < 0 ? -0.0 : 0.0 }
        guard m < 0x1p127, m >= 0x1p-1000 else { return nil }
        if m < 0x1p-126 {
            // float32's subnormals, spaced 2^-149: decided when the value stays clear of the
            // midpoint between the two multiples of 2^-149 around hi.
            let t = m * 0x1p149  // exact
            let distance = abs((t - t.rounded(.down)) - 0.5) * 0x1p-149
            return abs(lo) + bound < distance ? Double(Float(hi)) : nil
        }
        // The float32 midpoints have the 29 low significand bits 0x1000_0000; hi is that many
        // double spacings (2^(e−52)) away from the nearest one, and the value, within
        // |lo| + bound of hi, rounds as hi does when it does not reach it.
        let low = Int(truncatingIfNeeded: hi.bitPattern & 0x1FFF_FFFF)
        let distance = Double(abs(low - 0x1000_0000))
        return abs(lo) + bound < binade * 0x1p-52 * distance ? Double(Float(hi)) : nil
    }

    /// The largest entry, or nil when it is not finite
    /// (+inf, or a slice of only NaN and −inf). A NaN or −inf entry elsewhere is left to the
    /// callers' range test on x − m, which it fails. Four running maxima, so that the loop is not
    /// one chain of dependent comparisons.
    @inline(__always)
    static func maximum(_ x: UnsafeMutableBufferPointer<Double>) -> Double? {
        let n = x.count
        var m0 = -Double.infinity, m1 = m0, m2 = m0, m3 = m0
        var i = 0
        while i + 4 <= n {
            m0 = x[i] > m0 ? x[i] : m0
            m1 = x[i + 1] > m1 ? x[i + 1] : m1
            m2 = x[i + 2] > m2 ? x[i + 2] : m2
            m3 = x[i + 3] > m3 ? x[i + 3] : m3
            i += 4
        }
        while i < n {
            m0 = x[i] > m0 ? x[i] : m0
            i += 1
        }
        let m = Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
        return m.isFinite ? m : nil
    }

    /// Below this argument e^(x − m) is left to the precise path (its low part would be subnormal).
    static let lowestArgument = -600.0

    /// softmax values of x (softmin's already negated) into y; false when the precise path must
    /// run. `work` holds L entries.
    static func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>,
        work: UnsafeMutableBufferPointer<Double>, target: Certified.Target
    ) -> Bool {
        guard let m = maximum(x) else { return false }
        let n = x.count
        let sumError = Double(n) * Double(n) * 0x1p-104
        var sum = DoubleDouble(0)
        if target == .float32 {
            for i in 0..<n {
                let (a, b) = ErrorFree.twoSum(x[i], -m)
                guard a >= lowestArgument else { return false }
                let v = Double.exp(a)
                let e = v + v * b  // e^(a+b) ≈ e^a·(1 + b), b² below 2^-88
                y[i] = e
                sum.accumulate(e)
            }
            let inverse = 1 / sum.value
            let relative = 0x1p-49 + sumError
            for i in 0..<n {
                let v = y[i] * inverse
                guard let r = decided(v, 0, bound: v * relative, target) else { return false }
                y[i] = r
            }
            return true
        }
        // The exponentials four at a time (``ExpMedium``'s lanes give its scalar results), then
        // their sum.
        let ok = ExpDoubleDouble.table.withUnsafeBufferPointer { table -> Bool in
            var i = 0
            let mm = SIMD4<Double>(repeating: -m)
            while i + 4 <= n {
                let v = SIMD4<Double>(x[i], x[i + 1], x[i + 2], x[i + 3])
                let a = v + mm
                let aa = a - v
                let b = (v - (a - aa)) + (mm - aa)  // TwoSum's error, lane by lane
                guard all(a .>= SIMD4<Double>(repeating: lowestArgument)) else { return false }
                let e = ExpMedium.exp(a, b, table: table)
                for lane in 0..<4 {
                    y[i + lane] = e.hi[lane]
                    work[i + lane] = e.lo[lane]
                }
                i += 4
            }
            while i < n {
                let (a, b) = ErrorFree.twoSum(x[i], -m)
                guard a >= lowestArgument else { return false }
                let e = ExpMedium.exp(a, b)
                y[i] = e.hi
                work[i] = e.lo
                i += 1
            }
            return true
        }
        guard ok else { return false }
        for i in 0..<n {
            sum.accumulate(y[i])
            sum.lo += work[i]
        }
        let inverse = sum.renormalised.reciprocal
        let relative = 0x1p-66 + sumError
        for i in 0..<n {
            let eh = y[i]
            let (p, pe) = ErrorFree.twoProduct(eh, inverse.hi)
            let lo = pe + (eh * inverse.lo + work[i] * inverse.hi)
            let hi = p + lo
            guard let r = decided(hi, lo - (hi - p), bound: abs(hi) * relative, target) else { return false }
            y[i] = r
        }
        return true
    }

    /// log_softmax values of x into y, and its VJP into dx when given (g nil: all ones); false
    /// when the precise path must run. `work` holds 2·L entries.
    static func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, target: Certified.Target
    ) -> Bool {
        guard let m = maximum(x), let argmax = x.firstIndex(of: m) else { return false }
        let n = x.count
        let sumError = Double(n) * Double(n) * 0x1p-104
        var rest = DoubleDouble(0)  // D − 1: every term but the first maximum's, which is 1
        for i in 0..<n {
            let (a, b) = ErrorFree.twoSum(x[i], -m)
            guard a >= lowestArgument else { return false }
            let e = ExpMedium.exp(a, b)
            work[i] = e.hi
            work[n + i] = e.lo
            if i != argmax {
                rest.accumulate(e.hi)
                rest.lo += e.lo
            }
        }
        let r = rest.renormalised
        var d = DoubleDouble(1)
        d.add(r.hi)
        d.add(r.lo)
        let inverse = d.reciprocal
        let exponentials = SoftmaxKernel.Exponentials(
            sum: d, inverse: inverse, rest: (r.hi, r.lo, 0), max: m, error: ExpMedium.relativeError, precise: true)
        let log = SoftmaxLogarithm.logarithm(exponentials)  // scale 0 here
        let logError = abs(log.hi) * (0x1p-65 + sumError)
        for i in 0..<n {
            let (a, b) = ErrorFree.twoSum(x[i], -m)
            let (s1, t1) = ErrorFree.twoSum(b, -log.hi)
            let (h, e) = ErrorFree.twoSum(a, s1)
            let lo = e + (t1 - log.lo)
            let hi = h + lo
            let bound = logError + abs(hi) * 0x1p-100
            guard let v = decided(hi, lo - (hi - h), bound: bound, target) else { return false }
            y[i] = v
        }
        guard let dx else { return true }
        // G = Σg and Σ|g|, with g moderate so that no product below leaves the normal range.
        var total = DoubleDouble(Double(n))
        var absolute = Double(n)
        var totalError = 0.0
        if let g {
            total = DoubleDouble(0)
            absolute = 0
            for v in g {
                guard abs(v) <= 0x1p500 else { return false }  // NaN too
                total.accumulate(v)
                absolute += abs(v)
            }
            total = total.renormalised
            totalError = absolute * (1 + 0x1p-40) * sumError * 2
        }
        let relative = 0x1p-66 + sumError
        for i in 0..<n {
            // pᵢ = eᵢ/D, then q = pᵢ·G, each in double length.
            let (p, pe) = ErrorFree.twoProduct(work[i], inverse.hi)
            let pl = pe + (work[i] * inverse.lo + work[n + i] * inverse.hi)
            let (q, qe) = ErrorFree.twoProduct(p, total.hi)
            guard q == 0 || abs(q) >= 0x1p-900 else { return false }
            let ql = qe + (p * total.lo + pl * total.hi)
            let gi = g?[i] ?? 1
            let (s, se) = ErrorFree.twoSum(gi, -q)
            let lo = se - ql
            let hi = s + lo
            let bound = abs(q) * (relative + 0x1p-100) + abs(p) * totalError + abs(hi) * 0x1p-100
            guard let v = decided(hi, lo - (hi - s), bound: bound, target) else { return false }
            dx[i] = v
        }
        return true
    }
}
