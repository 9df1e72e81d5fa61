/// sparsemax of one slice (Martins & Astudillo 2016, "From Softmax to Sparsemax"), in double,
/// with its VJP.
///
/// sparsemax(z) is the Euclidean projection of z onto the probability simplex:
/// pᵢ = max(zᵢ − τ, 0), where, with z sorted in decreasing order z₍₁₎ ≥ z₍₂₎ ≥ …,
/// k = max{k : 1 + k·z₍ₖ₎ > Σⱼ≤ₖ z₍ⱼ₎} and τ = (Σⱼ≤ₖ z₍ⱼ₎ − 1)/k. The Jacobian is
/// diag(s) − s·sᵀ/|S| on the support S (s its indicator), so the VJP is
/// dxᵢ = gᵢ − mean_{j∈S} gⱼ on the support and 0 elsewhere.
///
/// Keras computes τ from a wrong cumulative sum and is wrong whenever two or more outputs are
/// non-zero (keras-team/keras#23425); the tests check exactly those cases.
///
/// Exact by construction: every result is a sum of doubles divided by k, pᵢ = (k·zᵢ − Σⱼ≤ₖ z₍ⱼ₎
/// + 1)/k and dxᵢ = (k·gᵢ − Σ_{j∈S} gⱼ)/k. Each is formed in double-double with an error bound
/// and delivered when every value within the bound rounds the same way
/// (``Certified/roundedIfDetermined(_:_:bound:_:)``); otherwise — the support test 1 + k·z₍ₖ₎ > Σ
/// within its bound of 0, zᵢ next to τ, gᵢ next to the support's mean (where double-double alone
/// cancelled to 1e15 ulp) — the sum is accumulated exactly (``ExactSum``), divided once and
/// rounded once. So every result is correctly rounded.
///
/// Special values, chosen to match softmax's (PyTorch has no sparsemax): a NaN or +inf entry, or
/// a slice of only −inf, gives NaN for the whole slice; −inf entries get 0 and a gradient of 0.
/// Entries beyond 2⁶⁰ in magnitude are shifted by the maximum first (sparsemax is
/// shift-invariant; at that size only entries equal to the maximum can be in the support, and
/// for those the shift is exact), so sums cannot overflow.
enum SparsemaxKernel {
    static func sparsemax(
        _ z: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, float32: Bool
    ) {
        var m = -Double.infinity
        var invalid = false
        for v in z {
            if v.isNaN || v == .infinity { invalid = true }
            m = Swift.max(m, v)
        }
        if invalid || m == -.infinity {
            for i in y.indices { y[i] = .nan }
            if let dx { for i in dx.indices { dx[i] = .nan } }
            return
        }
        if m.magnitude > 0x1p60 {
            for i in z.indices { z[i] -= m }
        }

        // The finite entries, sorted in decreasing order.
        var finite = 0
        for v in z where v.isFinite {
            work[finite] = v
            finite += 1
        }
        var sorted = UnsafeMutableBufferPointer(rebasing: work[0..<finite])
        sorted.sort(by: >)

        // The support size k: the largest k with 1 + k·z₍ₖ₎ − Σⱼ≤ₖ z₍ⱼ₎ > 0, in double-double with a
        // bound (2^-100 of the terms' magnitudes covers the sums' roundings); a margin inside
        // the bound is decided exactly.
        var running = SparsemaxSum(), absolute = 0.0
        var k = 0, supportSum = SparsemaxSum(), supportAbsolute = 0.0
        var undecided = false
        for (index, value) in sorted.enumerated() {
            running.add(value)
            absolute += abs(value)
            var margin = SparsemaxSum(1)
            margin.addProduct(Double(index + 1), value)
            margin.add(-running.hi)
            margin.add(-running.lo)
            let bound = (1 + Double(index + 1) * abs(value) + absolute) * 0x1p-100
            if margin.hi > bound {
                k = index + 1
                supportSum = running
                supportAbsolute = absolute
            } else {
                undecided = margin.hi >= -bound
                break
            }
        }
        if undecided || !running.hi.isFinite {
            k = exactSupportSize(sorted)
            supportSum = SparsemaxSum()
            supportAbsolute = 0
            for v in sorted[0..<k] {
                supportSum.add(v)
                supportAbsolute += abs(v)
            }
        }
        k = Swift.max(k, 1)  // the maximum always satisfies 1 + z₍₁₎ > z₍₁₎
        let kd = Double(k)
        var shifted = supportSum  // Σ − 1 = k·τ
        shifted.add(-1)
        var exactShifted: ExactSum?  // computed when first needed
        func exactSupport() -> ExactSum {
            if let exactShifted { return exactShifted }
            var sum = ExactSum()
            for v in sorted[0..<k] { sum.add(v) }
            sum.add(-1)
            exactShifted = sum
            return sum
        }

        // pᵢ = (k·zᵢ − (Σ − 1))/k where positive; membership flags in work[n + i]. Most entries
        // are far below τ: k·zᵢ − (Σ − 1) in plain double, within 2^-52·(k·|zᵢ| + |Σ − 1|) + its
        // low part of the exact numerator, already settles that the double-double numerator is
        // below −bound, as the test below would find, for a tenth of the cost.
        let n = z.count
        let shiftedHi = shifted.hi, shiftedLoMagnitude = abs(shifted.lo)
        for i in z.indices {
            work[n + i] = 0
            let zi = z[i]
            let plain = kd * zi - shiftedHi
            let margin = (kd * abs(zi) + abs(shiftedHi)) * 0x1p-50 + shiftedLoMagnitude
                + (kd * abs(zi) + supportAbsolute + 1) * 0x1p-99
            if plain < -margin {
                y[i] = 0
                continue
            }
            guard zi.isFinite else {
                y[i] = 0
                continue
            }
            var numerator = SparsemaxSum()
            numerator.addProduct(kd, z[i])
            numerator.add(-shifted.hi)
            numerator.add(-shifted.lo)
            let bound = (kd * abs(z[i]) + supportAbsolute + 1) * 0x1p-100
            if numerator.hi <= -bound {
                y[i] = 0
                continue
            }
            if numerator.hi >= bound, numerator.hi.isFinite {
                let q = Certified.quotient((numerator.hi, numerator.lo), DoubleDouble(kd))
                if let value = Certified.roundedIfDetermined(
                    q.hi, q.lo, bound: bound / kd + abs(q.hi) * 0x1p-100, float32 ? .float32 : .float64)
                {
                    y[i] = value
                    work[n + i] = 1
                    continue
                }
            }
            var exact = ExactSum()
            exact.addProduct(kd, z[i])
            exact.subtract(exactSupport())
            let member = !exact.isNegative && !exact.isZero
            y[i] = member ? exact.divided(by: k, float32: float32) : 0
            work[n + i] = member ? 1 : 0
        }
        guard let dx else { return }
        guard let g else {
            // grad_output all ones: (k·1 − k)/k = 0 on the support, 0 elsewhere.
            for i in dx.indices { dx[i] = 0 }
            return
        }
        var sumG = SparsemaxSum(), absoluteG = 0.0, count = 0
        for i in z.indices where work[n + i] == 1 {
            sumG.add(g[i])
            absoluteG += abs(g[i])
            count += 1
        }
        let c = Double(count)
        var exactG: ExactSum?
        for i in z.indices {
            guard work[n + i] == 1 else {
                dx[i] = 0
                continue
            }
            // dxᵢ = (count·gᵢ − Σg)/count, from double-double when its rounding is determined.
            let gi = g[i]
            var numerator = SparsemaxSum()
            numerator.addProduct(c, gi)
            numerator.add(-sumG.hi)
            numerator.add(-sumG.lo)
            let bound = (c * abs(gi) + absoluteG) * 0x1p-100
            if numerator.hi.isFinite, sumG.hi.isFinite {
                let q = Certified.quotient((numerator.hi, numerator.lo), DoubleDouble(c))
                if let value = Certified.roundedIfDetermined(
                    q.hi, q.lo, bound: bound / c + abs(q.hi) * 0x1p-100, float32 ? .float32 : .float64)
                {
                    dx[i] = value
                    continue
                }
            }
            if exactG == nil {
                var sum = ExactSum()
                for j in z.indices where work[n + j] == 1 { sum.add(g[j]) }
                exactG = sum
            }
            var exact = ExactSum()
            exact.addProduct(c, gi)
            exact.subtract(exactG!)
            dx[i] = exact.isZero ? 0 : exact.divided(by: count, float32: float32)
        }
    }

    /// The support size decided exactly, for slices where the double-double margin is too close
    /// to zero to tell.
    static func exactSupportSize(_ sorted: UnsafeMutableBufferPointer<Double>) -> Int {
        var running = ExactSum()
        var k = 0
        for (index, value) in sorted.enumerated() {
            running.add(value)
            var margin = ExactSum()
            margin.add(1)
            margin.addProduct(Double(index + 1), value)
            margin.subtract(running)
            guard !margin.isNegative, !margin.isZero else { break }
            k = index + 1
        }
        return k
    }

}

/// The double-double sums of the fast path, written here so that they inline into the loops (the
/// math module's ``DoubleDouble`` crosses a module boundary): Knuth's TwoSum and an FMA product.
struct SparsemaxSum {
    var hi = 0.0, lo = 0.0

    init(_ hi: Double = 0) { self.hi = hi }

    @inline(__always)
    mutating func add(_ x: Double) {
        let s = hi + x
        let bb = s - hi
        let e = (hi - (s - bb)) + (x - bb)
        let l = e + lo
        let h = s + l
        lo = l - (h - s)
        hi = h
    }

    @inline(__always)
    mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        add(p)
        add(p.isFinite ? (-p).addingProduct(a, b) : 0)
    }

    var doubleDouble: DoubleDouble { DoubleDouble(hi, lo) }
}
