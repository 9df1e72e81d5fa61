#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends JSON to one growing byte buffer: no intermediate Strings, no per-number allocation.
///
/// Commas are placed by the writer: `beginObject`/`key`/values/`endObject` nest like the JSON
/// they produce. Numbers are the shortest text that reads back to the same value in their own
/// type (a `Float` as float32 text: `0.1`, not `0.10000000149011612`); integral values keep
/// their `.0` (`1.0`), as Swift prints them, so every float on the wire looks like one; `-0.0`
/// keeps its sign; non-finite values are the strings "NaN", "Infinity" and "-Infinity".
/// Strings are always escaped: `"`, `\` and control characters (as `\u00XX`), so nothing a
/// client sent can come back unescaped.
public struct JSONWriter: ~Copyable, Sendable {
    /// Storage; the first `count` bytes are the output, the rest not yet written.
    private var storage: [UInt8]
    private var count = 0
    /// Whether the next value or key needs a comma before it, and the same for outer levels.
    private var needsComma = false
    /// `needsComma` of each enclosing level, innermost at bit `depth - 1` (a bit stack rather
    /// than an array: no allocation per writer); levels past 64 go to `deeperNeedsComma`.
    private var outerNeedsComma: UInt64 = 0
    private var depth = 0
    private var deeperNeedsComma: [Bool] = []

    /// Room for 33 bytes per number (up to 24 characters and a comma, with slack).
    public static let bytesPerNumber = 33

    public init(capacity: Int = 1024) {
        storage = Self.zeroed(count: Swift.max(capacity, 64), keeping: [], used: 0)
    }

    /// The JSON written so far.
    public var bytes: [UInt8] { Array(storage[0..<count]) }

    /// The bytes, consuming the writer (no copy beyond trimming the slack).
    public consuming func finish() -> [UInt8] {
        storage.removeLast(storage.count - count)
        return storage
    }

    /// The JSON written so far as a String (for tests and error paths).
    public var text: String { String(decoding: storage[0..<count], as: UTF8.self) }

    // MARK: - Structure

    public mutating func beginObject() { open(0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray() { open(0x5B) }
    public mutating func endArray() { close(0x5D) }

    /// A member name; the next call writes its value.
    public mutating func key(_ name: String) {
        string(name)
        append(0x3A)
        needsComma = false
    }

    /// A member name written in the source, with nothing to escape (no `"`, `\` or control
    /// characters): copied as it is, quotes and colon around it, with one reservation.
    public mutating func key(ascii name: StaticString) {
        separate()
        let length = name.utf8CodeUnitCount
        assert(UnsafeBufferPointer(start: name.utf8Start, count: length).allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C })
        reserve(length + 3)
        storage.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress! + count
            base[0] = 0x22
            (base + 1).update(from: name.utf8Start, count: length)
            base[length + 1] = 0x22
            base[length + 2] = 0x3A
        }
        count += length + 3
        needsComma = false
    }

    // MARK: - Values

    public mutating func string(_ value: String) {
        separate()
        reserve(value.utf8.count * 6 + 2)
        storage.withUnsafeMutableBufferPointer { out in
            var i = count
            out[i] = 0x22
            i += 1
            for c in value.utf8 {
                if c == 0x22 || c == 0x5C {
                    out[i] = 0x5C
                    out[i + 1] = c
                    i += 2
                } else if c < 0x20 {
                    let low = c & 0xF
                    out[i] = 0x5C
                    out[i + 1] = 0x75
                    out[i + 2] = 0x30
                    out[i + 3] = 0x30
                    out[i + 4] = 0x30 + (c >> 4)
                    out[i + 5] = low < 10 ? 0x30 + low : 0x57 + low
                    i += 6
                } else {
                    out[i] = c
                    i += 1
                }
            }
            out[i] = 0x22
            count = i + 1
        }
    }

    public mutating func int(_ value: Int) {
        separate()
        reserve(21)
        storage.withUnsafeMutableBufferPointer { out in
            count += Self.writeInt(value, to: out.baseAddress! + count)
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        appendASCII(value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        appendASCII("null")
    }

    public mutating func number(_ value: Double) {
        separate()
        reserve(Self.bytesPerNumber)
        storage.withUnsafeMutableBufferPointer { out in
            count += Self.writeNumber(value, to: out.baseAddress! + count)
        }
    }

    public mutating func number(_ value: Float) {
        separate()
        reserve(Self.bytesPerNumber)
        storage.withUnsafeMutableBufferPointer { out in
            count += Self.writeNumber(value, to: out.baseAddress! + count)
        }
    }

    /// A flat array of integers (a shape).
    public mutating func ints(_ values: [Int]) {
        beginArray()
        for value in values { int(value) }
        endArray()
    }

    // MARK: - Bytes

    /// Makes room for `extra` more bytes after `count`, doubling so appends stay amortized O(1).
    mutating func reserve(_ extra: Int) {
        let needed = count + extra
        guard needed > storage.count else { return }
        storage = Self.zeroed(count: Swift.max(needed, 2 * storage.count), keeping: storage, used: count)
    }

    /// A buffer of `count` bytes starting with the first `used` bytes of `old`; the rest is
    /// left as the allocator gave it (never read: the writer reads only the bytes it wrote), so
    /// the slack of a generous estimate costs address space, not resident memory (large
    /// buffers come straight from `mmap`, whose pages exist once written). memcpy rather than
    /// an element loop: a debug build (the tests write millions of numbers) does not crawl.
    private static func zeroed(count: Int, keeping old: [UInt8], used: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress!
            old.withUnsafeBufferPointer { source in
                if used > 0 { memcpy(base, source.baseAddress!, used) }
            }
            initialized = count
        }
    }

    /// Writes through a pointer to at least `extra` reserved bytes; `body` returns the count written.
    mutating func withReservedBytes(_ extra: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(extra)
        storage.withUnsafeMutableBufferPointer { out in
            count += body(out.baseAddress! + count)
        }
    }

    /// Emits the comma owed before a value or key, and notes that the next one owes one.
    mutating func separate() {
        if needsComma { append(0x2C) }
        needsComma = true
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        append(bracket)
        if depth < 64 {
            let bit: UInt64 = 1 << UInt64(depth)
            outerNeedsComma = needsComma ? outerNeedsComma | bit : outerNeedsComma & ~bit
        } else {
            deeperNeedsComma.append(needsComma)
        }
        depth += 1
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        append(bracket)
        // A close without its open (a caller's mistake) leaves the writer expecting a comma.
        guard depth > 0 else {
            needsComma = true
            return
        }
        depth -= 1
        needsComma = depth < 64 ? outerNeedsComma & (1 << UInt64(depth)) != 0 : deeperNeedsComma.removeLast()
    }

    @inline(__always) private mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    private mutating func appendASCII(_ text: StaticString) {
        reserve(text.utf8CodeUnitCount)
        for i in 0..<text.utf8CodeUnitCount { storage[count + i] = text.utf8Start[i] }
        count += text.utf8CodeUnitCount
    }

    // MARK: - Number text (pointer level, used by the array writer)

    /// Writes `value` at `out` (which has 33 bytes of room) and returns the byte count: the
    /// shortest text that reads back to it, as `description` prints it (``FloatText``).
    @inline(__always)
    static func writeNumber(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard value.isFinite else { return writeNonFinite(isNaN: value.isNaN, negative: value < 0, to: out) }
        if value == 0 || value == 1 { return writeZeroOrOne(isOne: value == 1, negative: value.sign == .minus, to: out) }
        return FloatText.write(value, to: out)
    }

    @inline(__always)
    static func writeNumber(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard value.isFinite else { return writeNonFinite(isNaN: value.isNaN, negative: value < 0, to: out) }
        if value == 0 || value == 1 { return writeZeroOrOne(isOne: value == 1, negative: value.sign == .minus, to: out) }
        return FloatText.write(value, to: out)
    }

    /// Writes `a`, a comma and `b` at `out` (66 bytes of room) and returns the byte count. When
    /// both take the general routine, their digits are made side by side (``FloatText/Digits``).
    @inline(__always)
    static func writeTwoNumbers(_ a: Double, _ b: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        // Both magnitudes in [0.0001, 10) and neither a power of two, nearly every activation's
        // answer: one test of 0/1 values, then both texts side by side (FloatText.emitPair).
        // Their first digits' exponents are -4 ... 0: the double nearest 0.0001 is above it, so
        // no decimal in a larger double's rounding interval is below 0.0001, and none in a
        // double's below 10 reaches 10 (which is a double).
        let ma = a.bitPattern & (1 << 63 - 1)
        let mb = b.bitPattern & (1 << 63 - 1)
        let low = (0.0001 as Double).bitPattern
        let width = (10.0 as Double).bitPattern &- low
        let fraction: UInt64 = 1 << 52 - 1
        let inA: UInt64 = ma &- low < width ? 1 : 0
        let inB: UInt64 = mb &- low < width ? 1 : 0
        let notPowerA: UInt64 = ma & fraction != 0 ? 1 : 0
        let notPowerB: UInt64 = mb & fraction != 0 ? 1 : 0
        if inA & inB & notPowerA & notPowerB != 0 {
            let (fa, ea, fb, eb) = BinaryToDecimal.doubleRows.withUnsafeBufferPointer {
                let da = BinaryToDecimal.normalDouble17(ma, rows: $0.baseAddress!)
                let db = BinaryToDecimal.normalDouble17(mb, rows: $0.baseAddress!)
                return (da.digits, da.exponent, db.digits, db.exponent)
            }
            assert((-4...0).contains(ea) && (-4...0).contains(eb))
            return FloatText.emitPair(FloatText.Digits(significand: fa, exponent: ea, exponential: false,
                                                       sign: Int(truncatingIfNeeded: a.bitPattern >> 63)),
                                      FloatText.Digits(significand: fb, exponent: eb, exponential: false,
                                                       sign: Int(truncatingIfNeeded: b.bitPattern >> 63)), to: out)
        }
        if isGeneral(a.bitPattern, b.bitPattern, signBit: 1 << 63, infinity: Double.infinity.bitPattern,
                     one: (1.0 as Double).bitPattern) {
            // One access to the writer's table for both (see BinaryToDecimal.shortestDouble(_:rows:)).
            let (da, db) = BinaryToDecimal.doubleRows.withUnsafeBufferPointer {
                (FloatText.digits(a, rows: $0.baseAddress!), FloatText.digits(b, rows: $0.baseAddress!))
            }
            // Both in [0.0001, 10) (both first digits' exponents in -4 ... 0), nearly every
            // activation's answer: both texts' digits side by side (FloatText.emitPair).
            if UInt(bitPattern: da.exponent &+ 4) <= 4 && UInt(bitPattern: db.exponent &+ 4) <= 4 {
                return FloatText.emitPair(da, db, to: out)
            }
            let n = FloatText.emit(da, to: out)
            out[n] = 0x2C
            return n &+ 1 &+ FloatText.emit(db, to: out + n + 1)
        }
        let n = writeNumber(a, to: out)
        out[n] = 0x2C
        return n + 1 + writeNumber(b, to: out + n + 1)
    }

    @inline(__always)
    static func writeTwoNumbers(_ a: Float, _ b: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if isGeneral(UInt64(a.bitPattern), UInt64(b.bitPattern), signBit: 1 << 31,
                     infinity: UInt64(Float.infinity.bitPattern), one: UInt64((1.0 as Float).bitPattern)) {
            let da = FloatText.digits(a)
            let db = FloatText.digits(b)
            let n = FloatText.emit(da, to: out)
            out[n] = 0x2C
            return n &+ 1 &+ FloatText.emit(db, to: out + n + 1)
        }
        let n = writeNumber(a, to: out)
        out[n] = 0x2C
        return n + 1 + writeNumber(b, to: out + n + 1)
    }

    /// Whether neither of two numbers (bit patterns) is ±0, 1 or non-finite, in one test of
    /// 0/1 values rather than a branch each: 1 ≤ |x| < infinity as (|x| - 1) < (infinity - 1).
    @inline(__always)
    private static func isGeneral(_ a: UInt64, _ b: UInt64, signBit: UInt64, infinity: UInt64, one: UInt64) -> Bool {
        let finiteA: UInt64 = (a & ~signBit) &- 1 < infinity &- 1 ? 1 : 0
        let finiteB: UInt64 = (b & ~signBit) &- 1 < infinity &- 1 ? 1 : 0
        let notOneA: UInt64 = a != one ? 1 : 0
        let notOneB: UInt64 = b != one ? 1 : 0
        return finiteA & finiteB & notOneA & notOneB != 0
    }

    /// "0.0", "-0.0" or "1.0" without the general routine: gradients of piecewise functions
    /// (relu, hardtanh, ...) are almost all 0 and 1, and half of relu's values are 0.
    @inline(__always)
    private static func writeZeroOrOne(isOne: Bool, negative: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var i = 0
        if negative {
            out[0] = 0x2D
            i = 1
        }
        out[i] = isOne ? 0x31 : 0x30
        out[i + 1] = 0x2E
        out[i + 2] = 0x30
        return i + 3
    }

    private static func writeNonFinite(isNaN: Bool, negative: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let text: StaticString = isNaN ? "\"NaN\"" : negative ? "\"-Infinity\"" : "\"Infinity\""
        out.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }

    /// Decimal digits of `value` at `out` (21 bytes of room); returns the byte count.
    static func writeInt(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { scratch in
            var n = 0
            repeat {
                scratch[n] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                n += 1
            } while magnitude > 0
            var i = 0
            if value < 0 {
                out[0] = 0x2D
                i = 1
            }
            for k in stride(from: n - 1, through: 0, by: -1) {
                out[i] = scratch[k]
                i += 1
            }
            return i
        }
    }
}
