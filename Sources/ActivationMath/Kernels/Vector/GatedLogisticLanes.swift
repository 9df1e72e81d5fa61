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
            let smallest = V(repeating: GatedFast.smallest), largest = V(repeating: 680)
            let finite = V(repeating: .greatestFiniteMagnitude)
            var j = 0
            while j + 4 <= count {
                // The pair loop's tests on lanes (comparisons with NaN are false): h finite with
                // 2^-900 ≤ |h| ≤ 680, l and g finite and not zero. Other lanes compute on 1s.
                let hv = UnsafeRawPointer(h + j).loadUnaligned(as: V.self)
                let lv0 = UnsafeRawPointer(l + j).loadUnaligned(as: V.self)
                var eligible = (magnitude(hv) .>= smallest) .& (magnitude(hv) .<= largest)
                    .& (magnitude(lv0) .<= finite) .& (lv0 .!= 0)
                if let g {
                    let gv = UnsafeRawPointer(g + j).loadUnaligned(as: V.self)
                    eligible = eligible .& (magnitude(gv) .<= finite) .& (gv .!= 0)
                }
                let x = hv.replacing(with: 1, where: .!eligible)
                let lv = lv0.replacing(with: 1, where: .!eligible)
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
                // GatedFast.moderate on lanes.
                let m = magnitude(v.hi)
                let delivered = eligible .& (m .>= 0x1p-960) .& (m .<= 0x1p1020)
                GatedGaussianLanes.store(v.hi, delivered: delivered, to: y, at: j, otherwise: scalar)
                j += 4
            }
            while j < count {
                scalar(j)
                j += 1
            }
        }
    }

    @inline(__always)
    static func magnitude(_ v: V) -> V {
        v.replacing(with: -v, where: v .< 0)
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
