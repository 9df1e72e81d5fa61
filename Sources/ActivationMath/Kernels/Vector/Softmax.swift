import RealModule

/// softmax, log_softmax and softmin of one slice, in double, with their VJPs.
///
/// softmax(x)ᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m) with m = max x, as PyTorch computes it. Two refinements
/// keep the result within 2 ulp of the exact value:
/// - xᵢ − m is rounded, and exp multiplies that rounding by |xᵢ − m| (700 ulp at −700); the
///   rounding error is recovered exactly (TwoSum) and applied to first order: e·(1 + err).
/// - the sum is compensated, and log_softmax takes log1p of the sum without the maximum's 1,
///   so that a dominant entry keeps its tiny log_softmax exact.
///
/// Special values follow PyTorch (pytorch#6864, #25110): a NaN or a +inf entry makes the whole
/// slice NaN (+inf − +inf), a slice of only −inf is NaN, and a −inf entry among finite ones gives
/// 0 (log_softmax −inf) and a gradient of 0.
enum SoftmaxKernel {
    /// Fills `e` with e^(xᵢ−m) corrected, and returns the compensated sum of all terms but the
    /// first maximum (whose term is exactly 1), and the sum of all of them.
    @inline(__always)
    static func exponentials(
        _ x: UnsafeMutableBufferPointer<Double>, into e: UnsafeMutableBufferPointer<Double>
    ) -> (rest: Double, total: Double) {
        var m = -Double.infinity
        var argmax = 0
        var sawNaN = false
        for i in x.indices {
            if x[i].isNaN { sawNaN = true }
            if x[i] > m { m = x[i]; argmax = i }
        }
        if sawNaN { m = .nan }
        var rest = DoubleDouble(0)
        for i in x.indices {
            let d = x[i] - m
            var term = Double.exp(d)
            if d.isFinite && term != 0 {
                let (_, error) = ErrorFree.twoSum(x[i], -m)
                term = term.addingProduct(term, error)
            }
            e[i] = term
            if i != argmax { rest.add(term) }
        }
        let r = rest.value
        // The maximum's own term: 1 when m is finite, NaN when m is ±inf or NaN.
        let top = x.isEmpty ? 0 : e[argmax]
        return (r, top + r)
    }

    /// y = softmax(x) (or softmin when `negate`), and dx = Jᵀg when `dx` is given.
    static func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?, negate: Bool
    ) {
        if negate { for i in x.indices { x[i] = -x[i] } }
        let (_, total) = exponentials(x, into: y)
        guard let dx, let g else {
            // With grad_output all ones the exact VJP is y ⊙ (1 − Σy) = 0 (NaN for a NaN slice).
            for i in y.indices {
                y[i] /= total
                dx?[i] = y[i] * 0
            }
            return
        }
        // dx = y ⊙ (g − Σⱼgⱼyⱼ) = y ⊙ (g·Σe − Σgⱼeⱼ)/Σe with both sums in double-double, so that
        // the cancellation in the bracket is exact (g = 1 gives exactly 0, as Σy = 1 says).
        // softmin's chain rule through −x flips the sign.
        var sumE = DoubleDouble(0)
        var sumGE = DoubleDouble(0)
        for i in y.indices {
            sumE.add(y[i])
            sumGE.addProduct(g[i], y[i])
        }
        for i in y.indices {
            let gi = g[i]
            var bracket = DoubleDouble(0)
            bracket.addProduct(gi, sumE.hi)
            bracket.addProduct(gi, sumE.lo)
            bracket.add(-sumGE.hi)
            bracket.add(-sumGE.lo)
            y[i] /= total
            let d = y[i] * (bracket.value / sumE.hi)
            dx[i] = negate ? -d : d
        }
    }

    /// y = log_softmax(x), and dx = g − softmax(x)·Σg when `dx` is given.
    static func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>
    ) {
        let (rest, total) = exponentials(x, into: work)
        var m = -Double.infinity
        var sawNaN = false
        for v in x {
            if v.isNaN { sawNaN = true }
            m = Swift.max(m, v)
        }
        if sawNaN { m = .nan }
        // log Σ = log(1 + rest), finite parts only; NaN whenever the slice is NaN.
        let logSum = total.isNaN ? Double.nan : Double.log(onePlus: rest)
        for i in x.indices {
            let d = x[i] - m
            if d.isFinite {
                let (_, error) = ErrorFree.twoSum(x[i], -m)
                y[i] = (d - logSum) + error
            } else {
                y[i] = d - logSum
            }
        }
        guard let dx else { return }
        var sumG = DoubleDouble(0)
        for i in x.indices { sumG.add(g?[i] ?? 1) }
        let gTotal = sumG.value
        for i in x.indices {
            let p = work[i] / total
            dx[i] = (g?[i] ?? 1).addingProduct(-p, gTotal)
        }
    }
}
