import RealModule

/// The softmax family's VJP entries that the double-double path could not certify, recomputed
/// with ``WideFloat`` at 192, 384, 768, … up to 4096 bits until their error bound is below 1/16
/// ulp of the result.
///
/// Before any of that, an entry that is exactly zero is recognised as such: softmax's
/// dxᵢ·D² = eᵢ·Σⱼeⱼ·(gᵢ − gⱼ) is a combination of exponentials of the distinct values of x with
/// coefficients that are sums of doubles, and exponentials of distinct rationals are linearly
/// independent over the algebraic numbers (Lindemann–Weierstrass), so it vanishes exactly when the
/// coefficient of every distinct value vanishes, which ``ExactSum`` decides. No precision could
/// tell that zero from a tiny number (g = 1, 1, 1 is the common case). log_softmax's
/// dxᵢ·D = Σⱼeⱼ·gᵢ − eᵢ·Σⱼgⱼ likewise.
///
/// An entry still uncertified at 4096 bits (a cancellation beyond 2^-3900, which takes inputs
/// built for it) gets that last estimate.
enum SoftmaxCertified {
    static let limbSchedule = [3, 6, 12, 24, 48, WideFloat.maxLimbs]

    /// xⱼ − m as a + b exactly, and whether e^(a+b) is to be taken as 0 (−inf entries, and
    /// arguments below −2^30, where it is below 2^-10⁹).
    static func differences(_ x: UnsafeMutableBufferPointer<Double>) -> [(a: Double, b: Double, zero: Bool)] {
        var m = -Double.infinity
        for v in x { m = Swift.max(m, v) }
        return x.map { v in
            let (a, b) = ErrorFree.twoSum(v, -m)
            return (a, b.isFinite ? b : 0, !(a >= -0x1p30))
        }
    }

    /// Entries of x grouped by value (finite ones only).
    static func groups(_ x: UnsafeMutableBufferPointer<Double>) -> [Double: [Int]] {
        var groups: [Double: [Int]] = [:]
        for (j, v) in x.enumerated() where v.isFinite { groups[v, default: []].append(j) }
        return groups
    }

    static func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>, pending: [Int],
        dx: UnsafeMutableBufferPointer<Double>, target: Certified.Target
    ) {
        let groups = groups(x)
        var left = pending.filter { i in
            let zero = groups.values.allSatisfy { members in
                var sum = ExactSum()
                for j in members {
                    sum.add(g[i])
                    sum.add(-g[j])
                }
                return sum.isZero
            }
            if zero { dx[i] = 0 }
            return !zero
        }
        let parts = differences(x)
        for limbs in limbSchedule where !left.isEmpty {
            var e: [WideFloat] = []
            var d = WideFloat(zeroLimbs: limbs), numerator = d, absolute = d
            for (j, part) in parts.enumerated() {
                let ej = part.zero ? WideFloat(zeroLimbs: limbs) : WideFloat.exp(part.a, part.b, limbs: limbs)
                e.append(ej)
                d = d + ej
                numerator = numerator + ej.times(g[j])
                absolute = absolute + ej.times(abs(g[j]))
            }
            let slack = Double.log2(Double(x.count + 8)) + 10 - Double(64 * limbs)
            let d2 = d * d
            left = left.filter { i in
                let b = d.times(g[i]) - numerator
                let errorB = (d.times(abs(g[i])) + absolute).log2Magnitude + slack
                let error = e[i].log2Magnitude - d2.log2Magnitude + errorB
                return !deliver(e[i] * b, over: d2, error: error, into: &dx[i], target)
            }
        }
    }

    static func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?, pending: [Int],
        dx: UnsafeMutableBufferPointer<Double>, target: Certified.Target
    ) {
        let n = x.count
        func gj(_ j: Int) -> Double { g?[j] ?? 1 }
        let groups = groups(x)
        var left = pending.filter { i in
            guard x[i].isFinite else { return true }
            let zero = groups.allSatisfy { value, members in
                var sum = ExactSum()
                for _ in members { sum.add(gj(i)) }
                if value == x[i] { for j in 0..<n { sum.add(-gj(j)) } }
                return sum.isZero
            }
            if zero { dx[i] = 0 }
            return !zero
        }
        let parts = differences(x)
        for limbs in limbSchedule where !left.isEmpty {
            var e: [WideFloat] = []
            var d = WideFloat(zeroLimbs: limbs), total = d, absolute = d
            for (j, part) in parts.enumerated() {
                let ej = part.zero ? WideFloat(zeroLimbs: limbs) : WideFloat.exp(part.a, part.b, limbs: limbs)
                e.append(ej)
                d = d + ej
                total = total + WideFloat(gj(j), limbs: limbs)
                absolute = absolute + WideFloat(abs(gj(j)), limbs: limbs)
            }
            let slack = Double.log2(Double(n + 8)) + 10 - Double(64 * limbs)
            left = left.filter { i in
                // dxᵢ = (gᵢ·D − eᵢ·G)/D
                let c = d.times(gj(i)) - e[i] * total
                let errorC = (d.times(abs(gj(i))) + e[i] * absolute).log2Magnitude + slack
                return !deliver(c, over: d, error: errorC - d.log2Magnitude, into: &dx[i], target)
            }
        }
    }

    /// Writes n/d rounded once when its error (log₂, absolute, plus 2^-100 relative for the
    /// double-double quotient) is small enough, and returns whether it was; otherwise writes the
    /// estimate, which stands if no later precision does better.
    static func deliver(
        _ n: WideFloat, over d: WideFloat, error: Double, into result: inout Double, _ target: Certified.Target
    ) -> Bool {
        let (nh, nl, ns) = n.doubleDouble
        let (dh, dl, ds) = d.doubleDouble
        let q = Certified.quotient((nh, nl), DoubleDouble(dh, dl))
        let s = ns - ds
        let log2Result = q.hi == 0 ? -Double.infinity : Double.log2(abs(q.hi)) + Double(s)
        let bound = Swift.max(error, log2Result - 100) + 1
        result = Certified.round(q.hi, q.lo, s, target)
        return Certified.holds(log2Result: log2Result, log2Error: bound, target)
    }
}
