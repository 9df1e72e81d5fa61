/// e^x and ln 2 at any precision (``WideFloat``), and the exact sum of doubles: what the
/// softmax family's certified slow path needs.
extension WideFloat {
    /// The most limbs the slow path uses (4096 bits); ln 2 is computed to a few more.
    static let maxLimbs = 64

    /// ln 2 = 2·atanh(1/3) = 2·Σ 3^-(2k+1)/(2k+1), to maxLimbs + 2 limbs, computed once (a few
    /// hundred microseconds, on the first slice that needs the slow path).
    static let ln2Table: WideFloat = {
        let count = maxLimbs + 2
        var power = WideFloat(1, limbs: count).divided(by: 3)
        var sum = WideFloat(zeroLimbs: count)
        var k: UInt64 = 0
        while !power.isZero && power.exponent + 64 * count > -64 * count - 64 {
            sum = sum + power.divided(by: 2 * k + 1)
            power = power.divided(by: 9)
            k += 1
        }
        return sum.scaled(by: 1)
    }()

    /// ln 2 truncated to `count` limbs (relative error < 2^(4 − 64·count)).
    static func ln2(limbs count: Int) -> WideFloat {
        var r = ln2Table
        r.limbs = Array(r.limbs[(r.limbs.count - count)...])
        r.exponent += 64 * (ln2Table.limbs.count - count)
        return r
    }

    /// e^(a + b) to `count` limbs, relative error < 2^(8 − 64·count), for finite a + b ≥ -2^30.
    ///
    /// t = a + b is exact in two limbs or more; n = round(t/ln 2), r = t − n·ln 2 (|r| < 0.35,
    /// one guard limb, so n·ln 2's truncation stays below 2^(33 − 64·(count+1))); then
    /// e^r = (Σ (r/2^12)^k/k!)^(2^12): the Taylor sum has no term above 2^-13.5·k, and the twelve
    /// squarings multiply its relative error by 2^12, which the guard limb absorbs.
    static func exp(_ a: Double, _ b: Double, limbs count: Int) -> WideFloat {
        let w = count + 1
        let t = WideFloat(a, limbs: w) + WideFloat(b, limbs: w)
        let n = (a / 0.6931471805599453).rounded()
        let r = t - ln2(limbs: w).times(n)
        let small = r.scaled(by: -12)
        var sum = WideFloat(1, limbs: w)
        var term = small
        var k: UInt64 = 1
        while !term.isZero && term.exponent + 64 * w > -64 * w - 8 {
            sum = sum + term
            k += 1
            term = (term * small).divided(by: k)
        }
        for _ in 0..<12 { sum = sum * sum }
        var result = WideFloat(zeroLimbs: count) + sum.scaled(by: Int(n))
        result.negative = false
        return result
    }
}
