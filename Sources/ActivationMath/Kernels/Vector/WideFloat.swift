import RealModule

/// Binary floating point of any precision, for the rare slices where the softmax family's
/// double-length fast path cannot certify its result (a VJP entry that cancels to far below
/// its terms): value = ±m·2^exponent, m an unsigned integer of `limbs.count` 64-bit limbs (least
/// significant first) whose top bit is set, or zero. The exponent is an Int, so nothing over- or
/// underflows: e^-1400 and 10^300·e^-700 are ordinary values here.
///
/// Every operation truncates to the precision of its first operand (P = 64·limbs bits) and its
/// error is below one unit in the last place of the larger operand, or of the result for
/// products and quotients: relative error < 2^(2−P) of max(|a|, |b|) for sums, < 2^(2−P) for
/// products, quotients by integers and exp's individual steps. Callers carry bounds built from
/// these (``SoftmaxCertified``).
struct WideFloat {
    var negative = false
    var limbs: [UInt64]
    var exponent = 0

    /// Zero with `count` limbs.
    init(zeroLimbs count: Int) {
        limbs = [UInt64](repeating: 0, count: count)
    }

    /// The double x exactly (count ≥ 1).
    init(_ x: Double, limbs count: Int) {
        limbs = [UInt64](repeating: 0, count: count)
        guard x != 0, x.isFinite else { return }
        negative = x < 0
        var m = x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)
        var e = Int(x.exponentBitPattern == 0 ? -1074 : Int(x.exponentBitPattern) - 1075)
        let shift = m.leadingZeroBitCount
        m <<= UInt64(shift)
        e -= shift
        limbs[count - 1] = m
        exponent = e - 64 * (count - 1)
    }

    var isZero: Bool { limbs.last == 0 }

    /// log2 |self|, roughly (within 2^-40 relative): −inf for zero.
    var log2Magnitude: Double {
        guard !isZero else { return -.infinity }
        return Double(exponent + 64 * limbs.count) + Double.log2(Double(limbs[limbs.count - 1]) * 0x1p-64)
    }

    /// The value as (hi + lo)·2^scale with hi in [1, 2) (hi = 0 for zero), to 2^-106 relative.
    var doubleDouble: (hi: Double, lo: Double, scale: Int) {
        guard !isZero else { return (0, 0, 0) }
        let top = limbs[limbs.count - 1]
        let next = limbs.count > 1 ? limbs[limbs.count - 2] : 0
        let hi = Double(top >> 11) * 0x1p-52
        let lo = Double(((top & 0x7FF) << 42) | (next >> 22)) * 0x1p-105
        let sign: Double = negative ? -1 : 1
        return (sign * hi, sign * lo, exponent + 64 * limbs.count - 1)
    }

    /// self·2^n, exactly.
    func scaled(by n: Int) -> WideFloat {
        var r = self
        r.exponent += n
        return r
    }

    var negated: WideFloat {
        var r = self
        if !isZero { r.negative.toggle() }
        return r
    }

    /// Shifts the magnitude left until its top bit is set (after a cancellation or a product).
    private static func normalised(_ w: [UInt64], exponent: Int, negative: Bool, keep count: Int) -> WideFloat {
        var words = w
        var e = exponent
        guard let top = words.lastIndex(where: { $0 != 0 }) else { return WideFloat(zeroLimbs: count) }
        // Whole limbs first, then bits.
        let wordShift = words.count - 1 - top
        if wordShift > 0 {
            words = [UInt64](repeating: 0, count: wordShift) + words[0...top]
            e -= 64 * wordShift
        }
        if words.count < count {
            e -= 64 * (count - words.count)
            words = [UInt64](repeating: 0, count: count - words.count) + words
        }
        let bits = words[words.count - 1].leadingZeroBitCount
        if bits > 0 {
            for i in stride(from: words.count - 1, through: 0, by: -1) {
                words[i] = (words[i] << UInt64(bits)) | (i > 0 ? words[i - 1] >> UInt64(64 - bits) : 0)
            }
            e -= bits
        }
        let dropped = words.count - count
        var r = WideFloat(zeroLimbs: count)
        r.limbs = Array(words[dropped...])
        r.exponent = e + 64 * dropped
        r.negative = negative
        return r
    }

    /// |a| compared with |b|.
    private static func magnitudeLess(_ a: WideFloat, _ b: WideFloat) -> Bool {
        if a.isZero { return !b.isZero }
        if b.isZero { return false }
        let ea = a.exponent + 64 * a.limbs.count, eb = b.exponent + 64 * b.limbs.count
        if ea != eb { return ea < eb }
        for (x, y) in zip(a.limbs.reversed(), b.limbs.reversed()) where x != y { return x < y }
        return false
    }

    /// a + b at a's precision.
    static func + (a: WideFloat, b: WideFloat) -> WideFloat {
        let count = a.limbs.count
        if b.isZero { return a }
        if a.isZero { return normalised(b.limbs, exponent: b.exponent, negative: b.negative, keep: count) }
        let (big, small) = magnitudeLess(a, b) ? (b, a) : (a, b)
        // Both on big's grid with one guard limb below: value = Σ w[i]·2^(64i) · 2^(base).
        let n = big.limbs.count + 1
        let base = big.exponent - 64
        var w = [UInt64](repeating: 0, count: n + 1)
        for i in 0..<big.limbs.count { w[i + 1] = big.limbs[i] }
        var v = [UInt64](repeating: 0, count: n + 1)
        let shift = (small.exponent + 64 * (small.limbs.count - 1)) - base  // bit position of small's top limb
        for i in 0..<small.limbs.count {
            let position = shift - 64 * (small.limbs.count - 1 - i)
            add(small.limbs[i], at: position, to: &v)
        }
        if big.negative == small.negative {
            var carry: UInt64 = 0
            for i in 0...n {
                let (s1, o1) = w[i].addingReportingOverflow(v[i])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                w[i] = s2
                carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
        } else {
            var borrow: UInt64 = 0
            for i in 0...n {
                let (d1, o1) = w[i].subtractingReportingOverflow(v[i])
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                w[i] = d2
                borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            }
        }
        return normalised(w, exponent: base, negative: big.negative, keep: count)
    }

    /// ORs a limb placed at bit `position` of `v` (bits below 0 are dropped: the truncation).
    private static func add(_ limb: UInt64, at position: Int, to v: inout [UInt64]) {
        guard position > -64 else { return }
        if position < 0 {
            v[0] |= limb >> UInt64(-position)
            return
        }
        let word = position / 64, bit = position % 64
        guard word < v.count else { return }
        v[word] |= limb << UInt64(bit)
        if bit > 0 && word + 1 < v.count { v[word + 1] |= limb >> UInt64(64 - bit) }
    }

    static func - (a: WideFloat, b: WideFloat) -> WideFloat { a + b.negated }

    /// a·b at a's precision.
    static func * (a: WideFloat, b: WideFloat) -> WideFloat {
        let count = a.limbs.count
        if a.isZero || b.isZero { return WideFloat(zeroLimbs: count) }
        var w = [UInt64](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            var carry: UInt64 = 0
            for j in 0..<b.limbs.count {
                let (high, low) = a.limbs[i].multipliedFullWidth(by: b.limbs[j])
                let (s1, o1) = w[i + j].addingReportingOverflow(low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                w[i + j] = s2
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            w[i + b.limbs.count] = carry
        }
        return normalised(w, exponent: a.exponent + b.exponent, negative: a.negative != b.negative, keep: count)
    }

    /// self·x for a double x.
    func times(_ x: Double) -> WideFloat { self * WideFloat(x, limbs: 1) }

    /// self/k for a positive integer k, with one guard limb.
    func divided(by k: UInt64) -> WideFloat {
        guard !isZero else { return self }
        var quotient = [UInt64](repeating: 0, count: limbs.count + 1)
        var remainder: UInt64 = 0
        for i in stride(from: limbs.count, through: 0, by: -1) {
            let word = i > 0 ? limbs[i - 1] : 0
            let (q, r) = k.dividingFullWidth((remainder, word))
            quotient[i] = q
            remainder = r
        }
        return Self.normalised(quotient, exponent: exponent - 64, negative: negative, keep: limbs.count)
    }
}
