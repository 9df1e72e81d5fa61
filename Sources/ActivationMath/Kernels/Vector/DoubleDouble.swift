/// Error-free transformations in double, used where a rounding would otherwise be amplified:
/// exp(x − max) in softmax (the rounding of x − max is multiplied by |x − max|), sparsemax's
/// z − τ and the VJPs' g − mean (cancellation).
///
/// Goals, in order: results within a couple of ulp of the exact ones; no overflow or NaN that the
/// plain formula would not produce; speed last (these run once per element at most).
enum ErrorFree {
    /// a + b = sum + error exactly (Knuth's TwoSum), for finite a, b and sum.
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let sum = a + b
        let bb = sum - a
        let error = (a - (sum - bb)) + (b - bb)
        return (sum, error)
    }

    /// a · b = product + error exactly (by an FMA), for finite a, b and product.
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
        let product = a * b
        let error = (-product).addingProduct(a, b)  // a·b − product, one rounding: exact
        return (product, error.isFinite ? error : 0)
    }
}

/// An unevaluated sum hi + lo carrying about 106 bits: enough to make sums of a slice and the
/// quotient (S − 1)/k exact to well below one ulp of the final results.
struct DoubleDouble: Sendable {
    var hi: Double
    var lo: Double

    init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// self + x, renormalised.
    @inline(__always)
    mutating func add(_ x: Double) {
        let (s, e) = ErrorFree.twoSum(hi, x)
        let (h, l) = ErrorFree.twoSum(s, e + lo)
        hi = h
        lo = l.isFinite ? l : 0
        if !h.isFinite { lo = 0 }
    }

    /// self + a·b, the product taken exactly.
    @inline(__always)
    mutating func addProduct(_ a: Double, _ b: Double) {
        let (p, e) = ErrorFree.twoProduct(a, b)
        add(p)
        add(e)
    }

    /// self + other.
    @inline(__always)
    mutating func add(_ other: DoubleDouble) {
        add(other.hi)
        add(other.lo)
    }

    /// The value rounded to double.
    var value: Double { hi + lo }

    /// self / n for a positive integer n: q = hi / n, its exact remainder by an FMA, then the
    /// low part corrected.
    func divided(by n: Int) -> DoubleDouble {
        let d = Double(n)
        let q = hi / d
        let remainder = hi.addingProduct(-q, d)  // hi − q·d exactly (an FMA)
        let low = (remainder + lo) / d
        let (h, l) = ErrorFree.twoSum(q, low)
        return q.isFinite ? DoubleDouble(h, l) : DoubleDouble(q)
    }

    /// x − self, rounded once (nearly): exact TwoSum of x − hi, then the low parts.
    @inline(__always)
    func subtracted(from x: Double) -> Double {
        let (s, e) = ErrorFree.twoSum(x, -hi)
        guard s.isFinite else { return s }
        return s + (e - lo)
    }
}
