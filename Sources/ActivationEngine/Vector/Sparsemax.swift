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
/// + 1)/k and dxᵢ = (k·gᵢ − Σ_{j∈S} gⱼ)/k. The sums are accumulated exactly (``ExactSum``, also
/// for the support test 1 + k·z₍ₖ₎ > Σ), divided once in double-double and rounded once to the
/// dtype: correctly rounded, including where zᵢ is next to τ or gᵢ next to the support's mean
/// (in double-double the mean of g cancelled to 1e15 ulp).
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

        // The support size k: the largest k with 1 + k·z₍ₖ₎ − Σⱼ≤ₖ z₍ⱼ₎ > 0, decided exactly.
        var running = ExactSum()
        var support = ExactSum()
        var k = 0
        for (index, value) in sorted.enumerated() {
            running.add(value)
            var margin = ExactSum()
            margin.add(1)
            margin.addProduct(Double(index + 1), value)
            margin.subtract(running)
            guard !margin.isNegative, !margin.isZero else { break }
            k = index + 1
            support = running
        }
        k = Swift.max(k, 1)  // the maximum always satisfies 1 + z₍₁₎ > z₍₁₎
        support.add(-1)  // Σ − 1 = k·τ

        for i in z.indices {
            guard z[i].isFinite else {
                y[i] = 0
                continue
            }
            // pᵢ = (k·zᵢ − (Σ − 1))/k where positive.
            var numerator = ExactSum()
            numerator.addProduct(Double(k), z[i])
            numerator.subtract(support)
            y[i] = numerator.isNegative || numerator.isZero ? 0 : numerator.divided(by: k, float32: float32)
        }
        guard let dx else { return }
        var sumG = ExactSum()
        var count = 0
        for i in z.indices where z[i].isFinite && inSupport(z[i], k: k, support) {
            sumG.add(g?[i] ?? 1)
            count += 1
        }
        for i in z.indices {
            guard z[i].isFinite, inSupport(z[i], k: k, support) else {
                dx[i] = 0
                continue
            }
            var numerator = ExactSum()
            numerator.addProduct(Double(count), g?[i] ?? 1)
            numerator.subtract(sumG)
            dx[i] = numerator.isZero ? 0 : numerator.divided(by: count, float32: float32)
        }
    }

    /// Whether zᵢ is in the support: k·zᵢ > Σ − 1, exactly (an entry exactly at τ has pᵢ = 0 and
    /// is not, as in the reference definition).
    @inline(__always)
    static func inSupport(_ zi: Double, k: Int, _ support: ExactSum) -> Bool {
        var t = ExactSum()
        t.addProduct(Double(k), zi)
        t.subtract(support)
        return !t.isNegative && !t.isZero
    }
}
