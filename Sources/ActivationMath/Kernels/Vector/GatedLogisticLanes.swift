/// glu's and swiglu's float64 values alone on four SIMD lanes: ``GatedFast/sigmoid(_:derivative:e:)``
/// and ``GatedFast/swish(_:derivative:e:)`` without the derivative, the product with l and its
/// rounding, the same operations in the same order as the scalar pair loop of ``GatedKernels``
/// (so the same bits). A pair whose inputs are special (zero, not finite, |h| > 680) or whose
/// product is not moderate goes to `scalar`, the pair loop for that one pair.
enum GatedLogisticLanes {
    typealias V = SIMD4<Double>
    typealias DD = GatedGaussianLanes.DD

    @inline(__always)
    static func values(
        swish: Bool, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, count: Int, scalar: (Int) -> Void
    ) {
        ExpDoubleDouble.table.withUnsafeBufferPointer { table in
            var j = 0
            while j + 4 <= count {
                var x = V(repeating: 1), lv = V(repeating: 1)
                var eligible = SIMD4<Int>()
                for lane in 0..<4 {
                    let hj = h[j + lane], lj = l[j + lane], gj = g?[j + lane] ?? 1
                    guard hj.isFinite, abs(hj) >= GatedFast.smallest, abs(hj) <= 680, lj.isFinite, lj != 0, gj.isFinite, gj != 0 else {
                        continue
                    }
                    x[lane] = hj
                    lv[lane] = lj
                    eligible[lane] = 1
                }
                let negative = x .< 0
                let a = x.replacing(with: -x, where: .!negative)  // -|x|
                let b = V(repeating: -0.0).replacing(with: 0.0, where: negative)
                let e = ExpMedium.exp(a, b, table: table)
                // GatedFast.logistic(e:): D = 1 + e, its reciprocal in double length.
                let (d, dl) = GatedGaussianLanes.twoSum(V(repeating: 1), e.hi)
                let inverse = reciprocal(DD(d, dl + e.lo))
                let product = GatedGaussianLanes.times(DD(e.hi, e.lo), inverse)
                var act = DD(inverse.hi.replacing(with: product.hi, where: negative),
                             inverse.lo.replacing(with: product.lo, where: negative))
                if swish { act = GatedGaussianLanes.times(DD(x, V()), act) }
                let v = GatedGaussianLanes.times(DD(lv, V()), act)
                for lane in 0..<4 {
                    let m = abs(v.hi[lane])
                    if eligible[lane] == 1 && m >= 0x1p-960 && m <= 0x1p1020 {
                        y[j + lane] = v.hi[lane]
                    } else {
                        scalar(j + lane)
                    }
                }
                j += 4
            }
            while j < count {
                scalar(j)
                j += 1
            }
        }
    }

    /// ``DoubleDouble/reciprocal`` on lanes.
    @inline(__always)
    static func reciprocal(_ x: DD) -> DD {
        let q = 1 / x.hi
        let (p, e) = GatedGaussianLanes.twoProduct(q, x.hi)
        let r = ((1 - p) - e) - q * x.lo
        let q2 = r * q
        let h = q + q2
        return DD(h, q2 - (h - q))
    }
}
