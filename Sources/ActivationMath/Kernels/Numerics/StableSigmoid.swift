import RealModule

/// The logistic function σ(t) = 1/(1+e^-t), its mirror σ(-t), its derivative σ(t)σ(-t), and
/// products of them with a factor, without overflow and without the cancellation of 1 - σ(t).
///
/// e = e^-|t| ≤ 1 never overflows, so σ(|t|) = 1/(1+e) and σ(-|t|) = e/(1+e). The argument
/// may be a rounded product t + lo (β·x): then e^-(|t| + lo·sign t) = e·(1 - lo·sign t) is
/// carried as the pair e + elo. The denominator 1 + e + elo is kept in double length, the
/// numerator too, and the quotient gets one Newton correction from its FMA residual, so each
/// result is rounded once: the only other error is exp's half ulp. The derivative is never
/// formed as y(1-y), which is exactly 0 once y rounds to 1 while e^-|t| is representable down
/// to |t| ≈ 745.
struct LogisticParts<T: ActivationReal> {
    /// e^-|t| as e + elo, including the correction for lo.
    let e: T
    let elo: T
    /// 1 + e + elo as d + dlo.
    let d: T
    let dlo: T
    /// t ≥ 0.
    let nonNegative: Bool

    @inline(__always)
    init(_ t: T, _ lo: T = 0) {
        e = T.exp(-abs(t))
        elo = t >= 0 ? -(e * lo) : e * lo
        d = 1 + e
        dlo = (e - (d - 1)) + elo
        nonNegative = t >= 0
    }

    /// (n + nlo)/(d + dlo) rounded once (up to ~2^-104 relative beside it).
    @inline(__always)
    static func quotient(_ n: T, _ nlo: T, _ d: T, _ dlo: T) -> T {
        let q = n / d
        guard q.isFinite, q != 0 else { return q }  // keeps inf, NaN and the sign of zero
        let r = n.addingProduct(-q, d) + (nlo - q * dlo)  // n - q·d is exact
        return q + r / d
    }

    /// m·σ(t), m·σ(-t) for a factor m (1 for σ itself).
    @inline(__always)
    func times(_ m: T, mirrored: Bool = false) -> T {
        if nonNegative != mirrored {
            return Self.quotient(m, 0, d, dlo)
        }
        let (p, pe) = ErrorFree.product(m, e)
        return Self.quotient(p, pe + m * elo, d, dlo)
    }

    /// (1 + e)² in double length.
    @inline(__always)
    var squaredDenominator: (hi: T, lo: T) {
        ErrorFree.product((d, dlo), (d, dlo))
    }

    /// m·σ'(t) = m·e/(1+e)² for a factor m given in double length.
    @inline(__always)
    func derivativeTimes(_ m: (hi: T, lo: T)) -> T {
        let (n, nlo) = ErrorFree.product(m, (e, elo))
        let (s, slo) = squaredDenominator
        return Self.quotient(n, nlo, s, slo)
    }
}

enum StableSigmoid {
    /// (σ(t), σ(-t)).
    @inline(__always)
    static func pair<T: ActivationReal>(_ t: T, _ lo: T = 0) -> (T, T) {
        let parts = LogisticParts(t, lo)
        return (parts.times(1), parts.times(1, mirrored: true))
    }

    /// σ'(t + lo) = σ(t)σ(-t).
    @inline(__always)
    static func derivative<T: ActivationReal>(_ t: T, _ lo: T = 0) -> T {
        LogisticParts(t, lo).derivativeTimes((1, 0))
    }
}
