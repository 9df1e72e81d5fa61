/// Żmij: the double's shortest decimal with one 64×128-bit product and no division.
///
/// Victor Zverovich, Żmij (2025, https://github.com/vitaut/zmij, `to_decimal<double>` in
/// zmij.cc), which combines Schubfach's single product by a cached power of ten (Giulietti,
/// "The Schubfach way to render doubles", 2020) with yy's (Yaoyuan Guo's yy_double) idea of
/// testing the shorter candidate only by cheap comparisons, and Xiang JunBo's twist of scaling
/// by 10^(-k-1) rather than 10^-k.
///
/// For v = c·2^q (c with its implicit bit, q ≥ -1074), k = ⌊log10 2^q⌋, so that one unit of the
/// value's last place, 2^q, is between 1 and 10 units of 10^k, and between 0.1 and 1 unit of
/// 10^(k+1). Scale v by 10^(-k-1): its integral part I has 15 or 16 digits, and the rounding
/// interval (v ± half a unit in the last place) is less than 1 wide in these units, so it holds
/// at most one integer: I when the fraction F is below the half-width (round down), I + 1 when
/// F plus the half-width passes 1 (round up). That integer, if there is one, is the shortest
/// answer (any shorter decimal would be such an integer too, and there is only one); its
/// trailing zeros come off at printing. Otherwise the interval is 1 to 10 units of 10^k wide
/// and the answer is the nearest integer in those units, 10·I plus F·10 rounded (the extra
/// digit, ties to even): the closest of the 17-digit candidates, all in the interval.
///
/// In fixed point: the 128-bit power of ten (the ``PowersOfTen`` row, rounded down: the same
/// rows as zmij's table) times c·2^shift, whose high 128 bits hold I above 9 bits and F
/// as the next 64, where shift = q + ⌊log2 10^(-k-1)⌋ + 1 + 9 puts the binary point there for
/// every exponent. The half-width in F's units is the row's high word shifted by 10 - shift,
/// plus one when c is even (the interval is then closed: a tie reads back to the even
/// significand). The truncations make F and the half-width at most 1 below their true values;
/// zmij's test/verify.py enumerates, for every binary exponent, the significands whose F lands
/// within that distance of a decision (round down, round up, a tie of the extra digit), and
/// checks each against the correctly rounded shortest decimal. Two corrections come from it,
/// kept here as they are: the extra digit is rounded with 2^63 + 6 rather than 2^63, and an F
/// of exactly 1/4 (an extra digit of exactly 2.5) rounds to the even 2.
///
/// Powers of two (c = 2^52, the interval shorter below) go to Schubfach
/// (``BinaryToDecimal/shortest(_:)-(UInt64)``), as zmij's separate path for them does.
///
/// Written without branches on the data in the common case: which candidate wins is as random
/// as the values (most doubles need 17 digits, about one in ten and one in a hundred of
/// random ones 16 and 15), so it is computed as 0/1 values and applied by a mask.
extension BinaryToDecimal {
    /// zmij's constant for the extra digit: 1/2 and the 6 units verify.py found needed.
    static let extraDigitBias: UInt64 = 1 << 63 &+ 6

    /// The double's shortest decimal, as digits·10^exponent; `bits` finite and non-zero, sign
    /// clear. Normal doubles come with 16 or 17 digits (a shorter answer times ten, so that the
    /// text needs one scaling step fewer), subnormals with 1 to 17.
    @inline(__always)
    static func shortestDouble(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        doubleRows.withUnsafeBufferPointer { shortestDouble(bits, rows: $0.baseAddress!) }
    }

    /// ``shortestDouble(_:)`` with the ``doubleRows`` table's storage given: a caller that
    /// writes two numbers fetches it once for both (each access of the global is a call to
    /// its lazy-initialisation check where the compiler does not hoist it out of the loop,
    /// and the call spills the registers the two numbers' chains live in).
    @inline(__always)
    static func shortestDouble(_ bits: UInt64, rows: UnsafePointer<UInt64>) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & (1 << 52 - 1)
        let biased = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        // Powers of two and subnormals (both rare) out of line, so that the common case has
        // no selects for them.
        if fraction == 0 || biased == 0 { return rareDouble(bits) }
        return shortestDouble(c: fraction | 1 << 52, row: rows + 3 &* biased)
    }

    /// Powers of two (Schubfach) and subnormals (the smallest normal's exponent, row 0,
    /// without the implicit bit).
    @inline(never)
    static func rareDouble(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        if bits >> 52 != 0 { return shortest(bits) }
        return doubleRows.withUnsafeBufferPointer { shortestDouble(c: bits, row: $0.baseAddress!) }
    }

    /// The double's shortest decimal for the writer: exactly 17 digits (trailing zeros for a
    /// shorter answer) and the exponent of the first, so that the text's first digit sits at a
    /// fixed place. Powers of two and subnormals are scaled to 17 out of line
    /// (``rareDouble17(_:)``), so that the common case has no test on its finished digits.
    @inline(__always)
    static func shortestDouble17(_ bits: UInt64, rows: UnsafePointer<UInt64>) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & (1 << 52 - 1)
        let biased = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        if fraction == 0 || biased == 0 { return rareDouble17(bits) }
        return normalDouble17(bits, rows: rows)
    }

    /// ``shortestDouble17(_:rows:)`` for a normal double that is not a power of two.
    @inline(__always)
    static func normalDouble17(_ bits: UInt64, rows: UnsafePointer<UInt64>) -> (digits: UInt64, exponent: Int) {
        let fraction = bits & (1 << 52 - 1)
        let biased = Int(truncatingIfNeeded: bits >> 52) & 0x7FF
        let (head, last, k) = parts(c: fraction | 1 << 52, row: rows + 3 &* biased)
        // head has 15 or 16 digits (4.5·10^14 ≤ 2^52/10 ≤ head < 2^53 < 10^16): with 15,
        // everything one place up. Scaling head and the last digit each, rather than their
        // sum, keeps the test off the end of the chain.
        let short: UInt64 = head < 1_000_000_000_000_000 ? 1 : 0
        return (head &* (10 &+ 90 &* short) &+ last &* (1 &+ 9 &* short), k &+ 16 &- Int(truncatingIfNeeded: short))
    }

    /// ``rareDouble(_:)`` scaled to exactly 17 digits, with the exponent of the first.
    @inline(never)
    static func rareDouble17(_ bits: UInt64) -> (digits: UInt64, exponent: Int) {
        var (f, e) = rareDouble(bits)
        e &+= 16
        while f < 10_000_000_000_000_000 {
            f &*= 10
            e &-= 1
        }
        return (f, e)
    }

    /// v = c·2^q with the exponent's row of ``doubleRows`` (q ≥ -1074), its rounding
    /// interval as wide below as above (not a normal power of two).
    @inline(__always)
    static func shortestDouble(c: UInt64, row: UnsafePointer<UInt64>) -> (digits: UInt64, exponent: Int) {
        let (head, last, k) = parts(c: c, row: row)
        return (head &* 10 &+ last, k)
    }

    /// The answer as head·10 + last, times 10^k: head = I or I + 1 and last = 0 when the
    /// shorter candidate wins, else head = I and last the extra digit.
    @inline(__always)
    static func parts(c: UInt64, row: UnsafePointer<UInt64>) -> (head: UInt64, last: UInt64, k: Int) {
        let (high, low, meta) = (row[0], row[1], row[2])
        let k = Int(truncatingIfNeeded: Int64(bitPattern: meta) >> 32)
        // The shift's low six bits, all that `&<<` and `&>>` read of a UInt64 amount: c << shift
        // and high >> (10 - shift) (0 ... 10; c << shift < 2^63).
        let x = c &<< meta
        // The high 128 bits of the 192-bit product (high·2^64 + low)·x.
        let (productHigh, productMiddle) = x.multipliedFullWidth(by: high)
        let (upper64, carry) = productMiddle.addingReportingOverflow(x.multipliedFullWidth(by: low).high)
        let upper128 = productHigh &+ (carry ? 1 : 0)
        let integral = upper128 &>> 9
        let f = upper128 &<< 55 | upper64 &>> 9
        let halfWidth = high &>> (10 &- meta) &+ (1 &- c & 1)
        let roundUp: UInt64 = f &+ halfWidth < f ? 1 : 0  // carries past 1
        let roundDown: UInt64 = halfWidth > f ? 1 : 0
        // The extra digit: F·10 rounded, an exact 2.5 to 2 (one less than the bias gives).
        let (tenFHigh, tenFLow) = f.multipliedFullWidth(by: 10)
        let (_, digitCarry) = tenFLow.addingReportingOverflow(extraDigitBias)
        let quarter: UInt64 = f == 1 << 62 ? 1 : 0
        let digit = tenFHigh &+ (digitCarry ? 1 : 0) &- quarter
        // Shorter: I + round up, and no last digit; else I and the digit (roundUp is 0 there).
        let shorter = roundUp | roundDown
        return (integral &+ roundUp, digit & (shorter &- 1), k)
    }
}
