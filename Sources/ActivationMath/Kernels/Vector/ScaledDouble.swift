/// A double-double with its own power-of-two scale, (hi + lo)·2^scale with hi in [1, 2) (or 0):
/// products of factors of any magnitude (10^300 times e^-1400) are formed without an
/// intermediate overflow or underflow and rounded once at the end. For the GLU family, whose
/// products l·act(h) and g·l·act'(h) are representable when their factors need not be.
struct ScaledDouble {
    var hi: Double
    var lo: Double
    var scale: Int

    /// x exactly (x finite and non-zero).
    @inline(__always)
    init(_ x: Double) {
        let k = Int(x.exponent)
        hi = Certified.scaleExactly(x, -k)
        lo = 0
        scale = k
    }

    /// (hi + lo)·2^scale, normalised so that |hi| is in [1, 2) (lo is scaled exactly too unless
    /// it is below 2^-1000 of hi, where it no longer matters).
    @inline(__always)
    init(hi: Double, lo: Double, scale: Int) {
        guard hi != 0, hi.isFinite else {
            self.hi = hi
            self.lo = 0
            self.scale = scale
            return
        }
        let k = Int(hi.exponent)
        if k == 0 {
            self.hi = hi
            self.lo = lo
        } else if k >= -1022 && k <= 1022 {
            let p = Certified.power(-k)
            self.hi = hi * p
            self.lo = lo * p
        } else {
            self.hi = Certified.scaleExactly(hi, -k)
            self.lo = Certified.scale(lo, -k)
        }
        self.scale = scale + k
    }

    static let zero = ScaledDouble(hi: 0, lo: 0, scale: 0)

    /// a·b, to about 2^-104 relative.
    @inline(__always)
    static func * (a: ScaledDouble, b: ScaledDouble) -> ScaledDouble {
        let p = ErrorFree.product((a.hi, a.lo), (b.hi, b.lo))
        return ScaledDouble(hi: p.hi, lo: p.lo, scale: a.scale + b.scale)
    }

    /// The value rounded once to the target.
    @inline(__always)
    func rounded(_ target: Certified.Target) -> Double {
        hi == 0 ? hi : Certified.round(hi, lo, scale, target)
    }
}
