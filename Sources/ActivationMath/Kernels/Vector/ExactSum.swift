/// The exact sum of doubles and of exact products, in fixed point (a Kulisch accumulator): 36
/// limbs of two's complement covering 2^-1100 to 2^1204, so any sum of up to 2^170 finite
/// doubles is exact. For deciding whether a combination of exponentials vanishes exactly
/// (``SoftmaxCertified``) and for sparsemax, whose every result is a sum of doubles divided by
/// the support size: computed exactly here, then divided once and rounded once.
package struct ExactSum: Sendable {
    private var words = [UInt64](repeating: 0, count: 36)

    package init() {}

    /// self + x·2^scale (x finite; x·2^scale below 2^1200).
    package mutating func add(_ x: Double, scale: Int = 0) {
        guard x != 0, x.isFinite else { return }
        let m = x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)
        let e = x.exponentBitPattern == 0 ? -1074 : Int(x.exponentBitPattern) - 1075
        let position = e + 1100 + scale
        let word = position / 64, bit = UInt64(position % 64)
        let low = m << bit
        let high = bit == 0 ? 0 : m >> (64 - bit)
        if x > 0 {
            var carry: UInt64 = 0
            for (i, part) in [(word, low), (word + 1, high)] {
                let (s1, o1) = words[i].addingReportingOverflow(part)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                words[i] = s2
                carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
            var i = word + 2
            while carry != 0 && i < words.count {
                (words[i], carry) = (words[i] &+ carry, words[i] == .max ? 1 : 0)
                i += 1
            }
        } else {
            var borrow: UInt64 = 0
            for (i, part) in [(word, low), (word + 1, high)] {
                let (d1, o1) = words[i].subtractingReportingOverflow(part)
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                words[i] = d2
                borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
            var i = word + 2
            while borrow != 0 && i < words.count {
                (words[i], borrow) = (words[i] &- borrow, words[i] == 0 ? 1 : 0)
                i += 1
            }
        }
    }

    /// self + a·b exactly, for a an integer below 2^53 and b finite: where a·b could overflow
    /// the product is formed with b·2^-64 and placed 64 bits higher. (TwoProduct's error is exact
    /// unless a·b is below 2^-969, where it is below the accumulator's resolution anyway.)
    package mutating func addProduct(_ a: Double, _ b: Double) {
        let scale = abs(b) >= 0x1p900 ? 64 : 0
        let (p, e) = ErrorFree.twoProduct(a, scale == 0 ? b : b * 0x1p-64)
        add(p, scale: scale)
        add(e, scale: scale)
    }

    /// self − other, exactly.
    package mutating func subtract(_ other: ExactSum) {
        var borrow: UInt64 = 0
        for i in words.indices {
            let (d1, o1) = words[i].subtractingReportingOverflow(other.words[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            words[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
    }

    package var isZero: Bool { words.allSatisfy { $0 == 0 } }
    package var isNegative: Bool { words[words.count - 1] >> 63 == 1 }

    /// The value as (hi + lo)·2^scale, |hi| in [1, 2), truncated to 106 bits (relative error
    /// below 2^-105); hi = 0 for zero.
    var doubleDouble: (hi: Double, lo: Double, scale: Int) {
        var w = words
        let negative = isNegative
        if negative {  // two's complement negation
            var carry: UInt64 = 1
            for i in w.indices {
                let (s, o) = (~w[i]).addingReportingOverflow(carry)
                w[i] = s
                carry = o ? 1 : 0
            }
        }
        guard let t = w.lastIndex(where: { $0 != 0 }) else { return (0, 0, 0) }
        let z = UInt64(w[t].leadingZeroBitCount)
        func word(_ i: Int) -> UInt64 { i >= 0 ? w[i] : 0 }
        let top = z == 0 ? w[t] : (w[t] << z) | (word(t - 1) >> (64 - z))
        let next = z == 0 ? word(t - 1) : (word(t - 1) << z) | (word(t - 2) >> (64 - z))
        // value = (top·2^64 + next + …)·2^e, e the exponent of next's last bit
        let e = 64 * (t - 1) - 1100 - Int(z)
        let hi = Double(top >> 11) * 0x1p-52
        let lo = Double(((top & 0x7FF) << 42) | (next >> 22)) * 0x1p-105
        return negative ? (-hi, -lo, e + 127) : (hi, lo, e + 127)
    }

    /// self/k rounded once to the target, for 1 ≤ k < 2^50: the quotient in double-double is
    /// within 2^-104 of the exact one, which no rational with denominator k comes that close to
    /// a rounding boundary without being on it (and then the quotient is exact).
    package func divided(by k: Int, float32: Bool) -> Double {
        let (hi, lo, scale) = doubleDouble
        guard hi != 0 else { return 0 }
        let q = Certified.quotient((hi, lo), DoubleDouble(Double(k)))
        return Certified.round(q.hi, q.lo, scale, float32 ? .float32 : .float64)
    }
}
