/// Exact reduction of a large double modulo π/2 (Payne & Hanek 1983), for snake at |αx| ≥ 2^20.
///
/// sin(u) of a huge u is correctly rounded by the C library, but snake needs sin(u + π/4) and
/// sin 2u where they are near zero, with u = uh + ul a double-length product: combining sin and
/// cos of the parts leaves an absolute error of ~1e-16, thousands of ulp there. Here each part
/// is reduced exactly, x = q·(π/2) + r with |r| ≤ π/4 in double length, from 1344 bits of 2/π
/// (mpmath): only the 192 bits of 2/π that can affect x·(2/π) mod 4 are multiplied by x's
/// 53-bit integer mantissa, in 256-bit integer arithmetic.
enum HalfPiReduction {
    /// 2/π = 0.A2F9836E… in hexadecimal: 21 words, most significant first.
    static let twoOverPi: [UInt64] = [
        0xA2F9836E4E441529, 0xFC2757D1F534DDC0, 0xDB6295993C439041,
        0xFE5163ABDEBBC561, 0xB7246E3A424DD2E0, 0x06492EEA09D1921C,
        0xFE1DEB1CB129A73E, 0xE88235F52EBB4484, 0xE99C7026B45F7E41,
        0x3991D639835339F4, 0x9C845F8BBDF9283B, 0x1FF897FFDE05980F,
        0xEF2F118B5A0A6D1F, 0x6D367ECF27CB09B7, 0x4F463F669E5FEA2D,
        0x7527BAC7EBE5F17B, 0x3D0739F78A5292EA, 0x6BFB5FB11F8D5D08,
        0x56033046FC7B6BAB, 0xF0CFBC209AF4361D, 0xA9E391615EE61B08,
    ]

    /// (q mod 4, r) with x = q·π/2 + r, r = hi + lo, |r| ≤ π/4 (to ~2^-100 relative).
    /// For finite |x| ≥ 1 (the fraction must fit the 256-bit product).
    static func reduce(_ x: Double) -> (quadrant: Int, hi: Double, lo: Double) {
        let k = Int(x.exponent) - 52  // x = ±m·2^k, m a 53-bit integer; k ≥ -52 here
        let m = x.significandBitPattern | (1 << 52)
        // Bits i0…i0+191 of 2/π (bit 1 is the first after the point); earlier bits only add
        // multiples of 4 to x·(2/π).
        let i0 = max(1, k - 1)
        let window = bits(from: i0)
        // P = m·window, 256 bits, most significant limb first.
        var p = Limbs()
        var carry: UInt64 = 0
        for j in stride(from: 2, through: 0, by: -1) {
            let (high, low) = m.multipliedFullWidth(by: window[j])
            let (sum, overflow) = low.addingReportingOverflow(carry)
            p[j + 1] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        p[0] = carry
        // x·(2/π) = P·2^-s: s fraction bits.
        let s = i0 + 191 - k
        let quadrantBits = Int(truncatingIfNeeded: p.shiftedRight(by: s)) & 3
        var fraction = p.shiftedLeft(by: 256 - s)  // the fraction, left-aligned in 256 bits
        var quadrant = quadrantBits
        var negative = false
        if fraction[0] >> 63 == 1 {  // fraction ≥ 1/2: take fraction - 1 and the next quadrant
            quadrant += 1
            negative = true
            fraction = fraction.negated()
        }
        let (fh, fl) = fraction.fractionAsDouble()
        let (rh, rl) = ErrorFree.product((fh, fl), (Constants.halfPi.hi, Constants.halfPi.lo))
        let sign: Double = (x < 0) != negative ? -1 : 1
        let q = x < 0 ? (4 - (quadrant & 3)) & 3 : quadrant & 3
        return (q, sign * rh, sign * rl)
    }

    /// 192 bits of 2/π starting at bit i (1-based after the point), most significant first.
    static func bits(from i: Int) -> Limbs {
        let word = (i - 1) / 64
        let offset = UInt64((i - 1) % 64)
        func w(_ j: Int) -> UInt64 { j < twoOverPi.count ? twoOverPi[j] : 0 }
        var result = Limbs()
        for j in 0..<3 {
            result[j] = offset == 0 ? w(word + j) : (w(word + j) << offset) | (w(word + j + 1) >> (64 - offset))
        }
        return result
    }

    /// (q mod 4, r) for u = uh + ul (|ul| ≤ ulp(uh)), both parts reduced exactly and the sum
    /// brought back to |r| ≤ π/4.
    static func reduce(_ uh: Double, _ ul: Double) -> (quadrant: Int, hi: Double, lo: Double) {
        let first = reduce(uh)
        let second = abs(ul) >= 1 ? reduce(ul) : (quadrant: 0, hi: ul, lo: 0)
        let (s, sl) = ErrorFree.sum(first.hi, second.hi)
        var r = (hi: s, lo: sl + (first.lo + second.lo))
        let n = (r.hi / Constants.halfPi.hi).rounded()  // -2…2
        if n != 0 {
            let (a, al) = ErrorFree.sum(r.hi, -n * Constants.halfPi.hi)
            r = (a, al + (r.lo - n * Constants.halfPi.lo))
        }
        let q = (first.quadrant + second.quadrant + Int(n) + 8) & 3
        let (hi, lo) = ErrorFree.sum(r.hi, r.lo)
        return (q, hi, lo)
    }
}

/// A 256-bit unsigned integer as four limbs, most significant first, held inline (no
/// allocation per element).
struct Limbs {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    subscript(i: Int) -> UInt64 {
        get {
            switch i {
            case 0: w0
            case 1: w1
            case 2: w2
            case 3: w3
            default: 0
            }
        }
        set {
            switch i {
            case 0: w0 = newValue
            case 1: w1 = newValue
            case 2: w2 = newValue
            case 3: w3 = newValue
            default: break
            }
        }
    }

    /// The low 64 bits of self >> s.
    func shiftedRight(by s: Int) -> UInt64 {
        let limb = 3 - s / 64
        let offset = UInt64(s % 64)
        let low = limb >= 0 ? self[limb] >> offset : 0
        let high = limb >= 1 && offset != 0 ? self[limb - 1] << (64 - offset) : 0
        return low | high
    }

    /// self << s, truncated to 256 bits.
    func shiftedLeft(by s: Int) -> Limbs {
        let limbs = s / 64
        let offset = UInt64(s % 64)
        var result = Limbs()
        for j in 0..<4 {
            let a = self[j + limbs]
            let b = self[j + limbs + 1]
            result[j] = offset == 0 ? a : (a << offset) | (b >> (64 - offset))
        }
        return result
    }

    /// 2^256 - self.
    func negated() -> Limbs {
        var result = Limbs(w0: ~w0, w1: ~w1, w2: ~w2, w3: ~w3)
        var j = 3
        while j >= 0 {
            let (sum, overflow) = result[j].addingReportingOverflow(1)
            result[j] = sum
            if !overflow { break }
            j -= 1
        }
        return result
    }

    /// self/2^256 as hi + lo (106 bits), normalised first so that a tiny remainder keeps its
    /// relative precision.
    func fractionAsDouble() -> (Double, Double) {
        var zeros = 0
        for j in 0..<4 {
            if self[j] != 0 {
                zeros += self[j].leadingZeroBitCount
                break
            }
            zeros += 64
        }
        guard zeros < 256 else { return (0, 0) }
        let n = shiftedLeft(by: zeros)
        let hi = Double(n.w0 >> 11) * 0x1p-53
        let lo = Double(((n.w0 & 0x7FF) << 53) | (n.w1 >> 11)) * 0x1p-117
        let scale = Double(sign: .plus, exponent: -zeros, significand: 1)
        return (hi * scale, lo * scale)
    }
}
