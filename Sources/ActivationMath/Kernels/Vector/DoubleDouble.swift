/// Double-length arithmetic in double for the vector functions (softmax family, sparsemax): the
/// error-free sum and product, and the double-double number built on them.
///
/// The product is one FMA in the x86-64-v3 build (`ACTIVATION_FMA`) and Dekker's TwoProduct with
/// Veltkamp's splitting in the baseline build, where an FMA is a call into libm that spills every
/// live register; both are exact, so the builds agree bit for bit. Dekker's form needs moderate
/// operands (|a|, |b| < 2^500, a·b zero or above 2^-900); outside that the baseline takes the
/// FMA, exact too.
extension ErrorFree {
    /// a + b = sum + error exactly (Knuth's TwoSum), for finite a, b and sum.
    @inlinable @inline(__always)
    package static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let sum = a + b
        let bb = sum - a
        let error = (a - (sum - bb)) + (b - bb)
        return (sum, error)
    }

    /// a · b = product + error exactly, for finite a, b and product (error 0 when the product
    /// is not finite).
    @inlinable @inline(__always)
    package static func twoProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
        let product = a * b
        #if ACTIVATION_FMA
        let error = (-product).addingProduct(a, b)
        #else
        let error: Double
        if abs(a) < 0x1p500 && abs(b) < 0x1p500 && (abs(product) > 0x1p-900 || product == 0) {
            let c = 134_217_729.0  // 2^27 + 1
            let ta = c * a, tb = c * b
            let ah = ta - (ta - a), bh = tb - (tb - b)
            let al = a - ah, bl = b - bh
            error = ((ah * bh - product) + ah * bl + al * bh) + al * bl
        } else {
            error = (-product).addingProduct(a, b)
        }
        #endif
        return (product, error.isFinite ? error : 0)
    }
}

/// An unevaluated sum hi + lo carrying about 106 bits: enough to make sums of a slice and the
/// quotient (S − 1)/k exact to well below one ulp of the final results.
@frozen package struct DoubleDouble: Sendable {
    package var hi: Double
    package var lo: Double

    @inlinable
    package init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// self + x, renormalised.
    @inlinable @inline(__always)
    package mutating func add(_ x: Double) {
        let (s, e) = ErrorFree.twoSum(hi, x)
        let (h, l) = ErrorFree.twoSum(s, e + lo)
        hi = h
        lo = l.isFinite ? l : 0
        if !h.isFinite { lo = 0 }
    }

    /// self + a·b, the product taken exactly.
    @inlinable @inline(__always)
    package mutating func addProduct(_ a: Double, _ b: Double) {
        let (p, e) = ErrorFree.twoProduct(a, b)
        add(p)
        add(e)
    }

    /// self + other.
    @inlinable @inline(__always)
    package mutating func add(_ other: DoubleDouble) {
        add(other.hi)
        add(other.lo)
    }

    /// self + x for a finite x, as Ogita, Rump and Oishi's Sum2 accumulates (one TwoSum, the
    /// error kept in lo without renormalising): over n terms the result, once renormalised, is
    /// within 2^-53·|Σ| + γ²ₙ·Σ|terms| of the exact sum, γₙ = n·2^-53/(1 − n·2^-53).
    @inlinable @inline(__always)
    package mutating func accumulate(_ x: Double) {
        let (s, e) = ErrorFree.twoSum(hi, x)
        hi = s
        lo += e
    }

    /// hi + lo with |lo| ≤ ulp(hi)/2 (after ``accumulate(_:)``).
    @inlinable @inline(__always)
    package var renormalised: DoubleDouble {
        let h = hi + lo
        return DoubleDouble(h, lo - (h - hi))
    }

    /// The value rounded to double.
    @inlinable
    package var value: Double { hi + lo }

    /// self / n for a positive integer n: q = hi / n, its exact remainder by an FMA, then the
    /// low part corrected.
    @inlinable
    package func divided(by n: Int) -> DoubleDouble {
        let d = Double(n)
        let q = hi / d
        let (p, e) = ErrorFree.twoProduct(q, d)
        let remainder = (hi - p) - e  // hi − q·d exactly
        let low = (remainder + lo) / d
        let (h, l) = ErrorFree.twoSum(q, low)
        return q.isFinite ? DoubleDouble(h, l) : DoubleDouble(q)
    }

    /// x − self, rounded once (nearly): exact TwoSum of x − hi, then the low parts.
    @inlinable @inline(__always)
    package func subtracted(from x: Double) -> Double {
        let (s, e) = ErrorFree.twoSum(x, -hi)
        guard s.isFinite else { return s }
        return s + (e - lo)
    }
}
