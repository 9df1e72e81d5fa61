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
/// Accuracy: the cumulative sums and τ are carried in double-double and zᵢ − τ is formed by
/// TwoSum, so each pᵢ is rounded about once even when it is tiny next to zᵢ.
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
        work: UnsafeMutableBufferPointer<Double>
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

        // The support size k and the sum of its entries, in double-double.
        var running = DoubleDouble(0)
        var supportSum = DoubleDouble(0)
        var k = 0
        for (index, value) in sorted.enumerated() {
            running.add(value)
            let candidate = index + 1
            // 1 + k·z₍ₖ₎ − Σ > 0, evaluated in double-double: near 1e16, 1 + k·z rounds away the 1.
            var margin = DoubleDouble(1)
            margin.addProduct(Double(candidate), value)
            margin.add(-running.hi)
            margin.add(-running.lo)
            let holds = margin.value > 0
            guard holds else { break }
            k = candidate
            supportSum = running
        }
        // τ = (Σ − 1)/k; k ≥ 1 always holds (the maximum satisfies 1 + z₍₁₎ > z₍₁₎).
        var numerator = supportSum
        numerator.add(-1)
        let tau = numerator.divided(by: Swift.max(k, 1))

        for i in z.indices {
            let p = tau.subtracted(from: z[i])
            y[i] = p > 0 ? p : 0
        }
        guard let dx else { return }
        var sumG = DoubleDouble(0)
        var count = 0
        for i in z.indices where y[i] > 0 {
            sumG.add(g?[i] ?? 1)
            count += 1
        }
        let mean = sumG.divided(by: Swift.max(count, 1))
        for i in z.indices {
            dx[i] = y[i] > 0 ? mean.subtracted(from: g?[i] ?? 1) : 0
        }
    }
}
