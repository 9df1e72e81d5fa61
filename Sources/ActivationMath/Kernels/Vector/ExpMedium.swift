/// e^(a + b) in double-double to 2^-68 relative, unscaled, for -700 ≤ a + b ≤ 700: the GLU
/// family's fast path, whose products need act(h) to about 2^-60 (to land within one ulp after
/// their single rounding), not the 2^-98 that ``ExpDoubleDouble`` gives the softmax VJPs'
/// certificates, at about half the cost.
///
/// The reduction is ``ExpDoubleDouble``'s (r = a + b − n·ln2/1024 in double length, renormalised,
/// |r| < 3.5e-4, 2^(j/1024) from the same table); then e^r = 1 + r + q with
/// q = r²·(1/2 + r/6 + r²/24 + r³/120) in double: q < 2^-24, so its rounding costs 2^-77, and
/// the truncation r⁶/720 is below 2^-78. The tables' product and the final sum are in double
/// length: in all below 2^-70 (stated 2^-68; checked against mpmath in VectorExpTests).
enum ExpMedium {
    static let relativeError = 0x1p-68

    @inline(__always)
    static func exp(_ a: Double, _ b: Double) -> (hi: Double, lo: Double) {
        // n = round(a·1024/ln 2) by the 1.5·2^52 shift; n is also the low 32 bits of the shifted
        // value, read from there without a conversion that checks its range.
        let shifted = a * ExpDoubleDouble.invLn2Times1024 + 0x1.8p52
        let nd = shifted - 0x1.8p52
        let n = Int(Int32(truncatingIfNeeded: shifted.bitPattern))
        let j = n & 1023
        let k = n >> 10
        let s1 = a - nd * ExpDoubleDouble.c1
        let (s2, e2) = ErrorFree.twoSum(s1, -(nd * ExpDoubleDouble.c2))
        // Renormalised: b may reach ulp(a), 2^-45 at a = -237, far above ulp(r); left in the low
        // part, the r·b that q below leaves out would cost 2^-59.
        let (rh, rl) = ErrorFree.twoSum(s2, e2 + (b - nd * ExpDoubleDouble.c3))
        let q = (rh * rh) * (0.5 + rh * (1.0 / 6 + rh * (1.0 / 24 + rh * (1.0 / 120))))
        let pl = rl + q
        let (th, tl) = ExpDoubleDouble.table.withUnsafeBufferPointer { $0[j] }
        // 2^(j/1024)·(1 + rh + pl)
        let (u, ue) = ErrorFree.twoProduct(th, rh)
        let (h, he) = ErrorFree.twoSum(th, u)
        let lo = he + (ue + th * pl + tl * (1 + rh))
        let hi = h + lo
        let scale = Double(bitPattern: UInt64(truncatingIfNeeded: k + 1023) << 52)  // 2^k, |k| ≤ 1010 here
        return (hi * scale, (lo - (hi - h)) * scale)
    }
}

extension ExpMedium {
    /// ``exp(_:_:)`` on four lanes, the same operations in the same order (so the same results,
    /// lane by lane); `table` is ``ExpDoubleDouble/table``'s storage, fetched once by the caller.
    @inline(__always)
    static func exp(
        _ a: SIMD4<Double>, _ b: SIMD4<Double>, table: UnsafeBufferPointer<(hi: Double, lo: Double)>
    ) -> (hi: SIMD4<Double>, lo: SIMD4<Double>) {
        @inline(__always)
        func twoSum(_ x: SIMD4<Double>, _ y: SIMD4<Double>) -> (SIMD4<Double>, SIMD4<Double>) {
            let s = x + y
            let yy = s - x
            return (s, (x - (s - yy)) + (y - yy))
        }
        let shift = SIMD4<Double>(repeating: 0x1.8p52)
        let shifted = a * ExpDoubleDouble.invLn2Times1024 + shift
        let nd = shifted - shift
        let n = SIMD4<Int32>(truncatingIfNeeded: unsafeBitCast(shifted, to: SIMD4<UInt64>.self))
        let j = n & 1023
        let k = n &>> 10
        let s1 = a - nd * ExpDoubleDouble.c1
        let (s2, e2) = twoSum(s1, -(nd * ExpDoubleDouble.c2))
        let (rh, rl) = twoSum(s2, e2 + (b - nd * ExpDoubleDouble.c3))
        let c6: Double = 1.0 / 6, c24: Double = 1.0 / 24, c120: Double = 1.0 / 120
        let p3: SIMD4<Double> = rh * c120 + c24
        let p2: SIMD4<Double> = rh * p3 + c6
        let p1: SIMD4<Double> = rh * p2 + 0.5
        let q: SIMD4<Double> = (rh * rh) * p1
        let pl = rl + q
        var th = SIMD4<Double>(), tl = SIMD4<Double>()
        for lane in 0..<4 {
            let t = table[Int(j[lane])]
            th[lane] = t.hi
            tl[lane] = t.lo
        }
        let u = th * rh
        let ue = (-u).addingProduct(th, rh)
        let (h, he) = twoSum(th, u)
        let thpl: SIMD4<Double> = th * pl
        let tlr: SIMD4<Double> = tl * (rh + 1)
        let lo: SIMD4<Double> = he + ((ue + thpl) + tlr)
        let hi = h + lo
        let bits = SIMD4<UInt64>(truncatingIfNeeded: SIMD4<Int64>(truncatingIfNeeded: k) &+ 1023) &<< 52
        let scale = unsafeBitCast(bits, to: SIMD4<Double>.self)
        return (hi * scale, (lo - (hi - h)) * scale)
    }
}
