/// glu's and swiglu's float32 values alone on four SIMD lanes: ``GatedSingle``'s plain-double
/// σ(h) and h·σ(h), the product with l and ``SoftmaxFast/decided(_:_:bound:_:)``'s float32 test,
/// four pairs at a time, with e^-|h| from ``exp(_:table:)`` below instead of the C library's.
///
/// Goals, in order: every delivered result is the correctly rounded float32 value (so the very
/// bits the pair loop of ``GatedKernels`` gives, with or without gradients); no branch per pair
/// on ordinary inputs; then speed.
///
/// A result is delivered only when its error bound decides its float32 rounding (the same test
/// as ``SoftmaxFast/decided(_:_:bound:_:)`` with lo = 0, on lanes: see ``values(swish:_:_:_:_:count:scalar:)``).
/// A pair goes to `scalar`, the pair loop for that one pair (``GatedSingle``, then the
/// double-length and scaled paths), when its bound leaves the rounding undecided (about once in
/// 2^24 results: the bound, 2^-48.8 relative, against float32 spacings of 2^-23 to 2^-24), when
/// h, l or g is zero or not finite, when |h| > ``GatedSingle/largest`` or |h| <
/// ``GatedFast/smallest``, or when the product is outside float32's normal range
/// [2^-126, 2^127) (subnormal results and overflow are the scalar test's business).
///
/// The error bound, with u = 2^-53:
/// - e = e^-|h| from ``exp(_:table:)``: within 1.2u (below), where ``GatedSingle``'s budget
///   takes the C library's e^x as 4u; every later step is GatedSingle's, in the same order, so
///   its bounds hold as stated: σ = 1/D or e·(1/D) with D = 1 + e within 9u, h·σ within 10u,
///   both stated as 2^-49; the product v = l·act one more rounding, so
///   |v − l·act(h)| ≤ |v|·(2^-49 + 2^-52), the bound the pair loop passes.
/// - Every intermediate is a normal double: e ≥ e^-600 > 2^-866, and a product in
///   [2^-126, 2^127) is far from double's subnormal range, so each rounding is relative.
enum GatedLogisticSingle {
    typealias V = SIMD4<Double>

    // MARK: e^x for -600 ≤ x ≤ 0, plain double, within 1.2u

    /// 32/ln 2.
    static let invLn2Times32 = 0x1.71547652b82fep+5
    /// ln2/32 = C1 + C2 to 2^-93: C1 = 32·``ExpDoubleDouble/c1`` (29 significant bits, so n·C1
    /// is exact for |n| < 2^24), C2 = 32·(c2 + c3) rounded to double.
    static let c1 = 0x1.62e42ff000000p-6
    static let c2 = -0x1.718432a1b0e26p-40
    /// The relative error bound of ``exp(_:table:)`` (1.2u proved below; VectorExpTests checks
    /// it against ``ExpMedium``).
    static let expRelativeError = 0x1.4p-53

    /// e^x on lanes for -600 ≤ x ≤ 0 (Tang's method with ``ExpDoubleDouble/table32``):
    /// n = round(x·32/ln 2) (|n| ≤ 27,700), j = n mod 32, k = ⌊n/32⌋,
    /// r = x − n·C1 − n·C2, |r| ≤ ln2/64 + 2^-50 < 0.01084, and
    ///
    ///     e^x = 2^k · (T + T·p),  T = 2^(j/32) = Th + Tl,  p = r + r²·(1/2 + r/6 + … + r⁴/720)
    ///
    /// computed as E = Th + fma(Th, p, Tl), then scaled by 2^k (exact: E·2^k ≥ e^-600 is normal).
    /// Errors (absolute, against E ∈ [0.989, 2.03)):
    /// - reduction: x − n·C1 is exact (n·C1 exact; Sterbenz, x and n·C1 within a factor 2 when
    ///   n ≠ 0); the FMA for − n·C2 rounds once, ≤ ulp(r)/2 ≤ 2^-60; C1 + C2 misses ln2/32 by
    ///   2^-93, times |n| < 2^15: 2^-78. In all 2^-59.9, 0.009u of e^r.
    /// - p: truncation Σ_{i≥7} |r|ⁱ/i! < 2^-58 (0.031u); the Horner chain for q = 1/2 + r/6 + …
    ///   within 1.1u relative, r² within u, their product 0.502·r² < 6e-5 (so 1.2e-4u), and
    ///   p = fma(r², q, r) rounded once, |p| < 2^-6.5: 2^-60 (0.008u). In all 0.04u.
    /// - E: Th·(p error) ≤ 2·0.04u; Tl·p left out, |Tl| ≤ 2^-53, |p| < 0.011: 0.011u; the table's
    ///   own error 2^-105; the FMA's rounding, |w| < 2^-5: 2^-59 (0.016u); the final sum's
    ///   rounding, u·E. Relative to E ≥ 0.989: below u + 0.11u.
    /// So e^x within 1.12u; stated 1.25u (``expRelativeError``).
    @inline(__always)
    static func exp(_ x: V, table: UnsafeBufferPointer<(hi: Double, lo: Double)>) -> V {
        // n = round(x·32/ln 2) by the 1.5·2^52 shift; n is the low 32 bits of the shifted value.
        let shift = V(repeating: 0x1.8p52)
        let shifted = x * invLn2Times32 + shift
        let nd = shifted - shift
        let n = SIMD4<Int32>(truncatingIfNeeded: unsafeBitCast(shifted, to: SIMD4<UInt64>.self))
        let j = n & 31
        let k = n &>> 5
        let s1 = x - nd * c1
        let r = s1.addingProduct(-nd, V(repeating: c2))
        let q4: V = V(repeating: 1.0 / 120).addingProduct(r, V(repeating: 1.0 / 720))
        let q3: V = V(repeating: 1.0 / 24).addingProduct(r, q4)
        let q2: V = V(repeating: 1.0 / 6).addingProduct(r, q3)
        let q1: V = V(repeating: 0.5).addingProduct(r, q2)
        let p: V = r.addingProduct(r * r, q1)
        var th = V(), tl = V()
        for lane in 0..<4 {
            let t = table[Int(j[lane])]
            th[lane] = t.hi
            tl[lane] = t.lo
        }
        let e = th + tl.addingProduct(th, p)
        let bits = SIMD4<UInt64>(truncatingIfNeeded: SIMD4<Int64>(truncatingIfNeeded: k) &+ 1023) &<< 52
        return e * unsafeBitCast(bits, to: V.self)
    }

    // MARK: the pairs

    /// y = l·σ(h) (glu) or l·h·σ(h) (swiglu) rounded to float32 for `count` pairs, four at a
    /// time; pairs the lanes do not decide go to `scalar`.
    ///
    /// The decision is ``SoftmaxFast/decided(_:_:bound:_:)``'s for a normal float32 result, in
    /// another form: with r = Float(v) as a double and v in the binade [2^e, 2^(e+1)), the
    /// nearest float32 midpoint lies 2^(e−24) − |v − r| from v (both terms and their difference
    /// exact), which is what that test reads off v's low 29 bits; v rounds as r does when the
    /// bound stays below it.
    @inline(__always)
    static func values(
        swish: Bool, _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, count: Int, scalar: (Int) -> Void
    ) {
        ExpDoubleDouble.table32.withUnsafeBufferPointer { table in
            let largest = V(repeating: GatedSingle.largest), smallest = V(repeating: GatedFast.smallest)
            let finite = V(repeating: .greatestFiniteMagnitude)
            let exponent = SIMD4<UInt64>(repeating: 0x7FF0_0000_0000_0000)
            var j = 0
            while j + 4 <= count {
                let x = UnsafeRawPointer(h + j).loadUnaligned(as: V.self)
                let lv = UnsafeRawPointer(l + j).loadUnaligned(as: V.self)
                // Comparisons with NaN are false: NaN, infinities and zeros all fail here.
                var eligible = (magnitude(x) .<= largest) .& (magnitude(x) .>= smallest) .& (magnitude(lv) .<= finite)
                    .& (lv .!= 0)
                if let g {
                    let gv = UnsafeRawPointer(g + j).loadUnaligned(as: V.self)
                    eligible = eligible .& (magnitude(gv) .<= finite) .& (gv .!= 0)
                }
                // Ineligible lanes compute on harmless stand-ins and are not delivered.
                let hv = x.replacing(with: 1, where: .!eligible)
                let negative = hv .< 0
                let e = exp(-magnitude(hv), table: table)
                // GatedSingle.sigmoid and .swish without the derivative, in its order.
                let inverse = 1 / (1 + e)
                var a = inverse.replacing(with: e * inverse, where: negative)
                if swish { a = hv * a }
                let v = lv.replacing(with: 1, where: .!eligible) * a
                let m = magnitude(v)
                let rounded = V(SIMD4<Float>(v))
                let binade = unsafeBitCast(unsafeBitCast(m, to: SIMD4<UInt64>.self) & exponent, to: V.self)
                let distance = binade * 0x1p-24 - magnitude(v - rounded)
                let bound = m * (0x1p-49 + 0x1p-52)
                let decided = eligible .& (m .>= 0x1p-126) .& (m .< 0x1p127) .& (bound .< distance)
                GatedGaussianLanes.store(rounded, delivered: decided, to: y, at: j, otherwise: scalar)
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
}
