/// Rows full of 0s and 1s: relu's values (half of them 0.0 among general numbers) and the
/// gradients of piecewise functions (relu, relu6, hardtanh, the shrinks: all 0.0 or 1.0;
/// leaky_relu and elu: 1.0 among general numbers).
///
/// Goals, in order: the bytes are exactly those of ``JSONWriter/writeNumber(_:to:)`` number
/// by number (`description`'s layout); no branch whose direction is as random as the row
/// (whether the next number is 0 is a coin toss in relu's values, and a mispredicted branch
/// costs as much as writing the number); general numbers still two at a time, their digits
/// made side by side.
///
/// How: +0.0 and 1.0 are the numbers whose text and comma take exactly four bytes ("0.0,"
/// and "1.0,", one 32-bit word each), so a run of them is a run of words, made eight at a
/// time from the numbers' bits by one vector shift and or, whatever the mix. A block of 64
/// numbers gets a mask of which numbers are such words; the others (general numbers, and the
/// rare -0.0, NaN and infinities) are taken in mask order, two at a time, and each run of
/// words before one is stored eight words at a time (32 bytes, of which the run keeps 4 per
/// word; the rest is scratch the next text overwrites). The branches left are the loop over
/// the others (one exit per block) and runs longer than eight words (rare in a mixed row,
/// every eighth word in a row of words, where the loop is predictable). A row's last numbers,
/// fewer than 72, are copied to the stack with zeros after them, so that the eight-word reads
/// never leave the row.
///
/// -0.0 is five bytes ("-0.0,") and so not a word: it goes with the general numbers, through
/// ``JSONWriter/writeNumber(_:to:)`` (a row with many -0.0, a negative upstream gradient times
/// relu's 0, costs a branch per pair there). -1.0 is a general number, as it is elsewhere.
extension JSONWriter {
    /// Numbers per block: one bit each in the 64-bit mask.
    static let runBlock = 64

    /// A row's numbers, each followed by a comma, from `out + start`; returns the new end.
    /// Blocks of 64 straight from the row while 72 numbers remain (a run's store of eight words
    /// reads up to eight numbers past its block); the rest, fewer than 72, from a copy on the
    /// stack padded with zeros, so that no read leaves the row.
    @inline(never)
    static func writeRuns<Number: JSONNumber>(
        _ row: UnsafeBufferPointer<Number>, out: UnsafeMutablePointer<UInt8>, at start: Int
    ) -> Int {
        guard let first = row.baseAddress else { return start }
        var o = out + start
        var p = first
        let end = first + row.count
        while end - p >= runBlock + 8 {
            o = writeBlock(p, count: runBlock, last: false, to: o)
            p += runBlock
        }
        let rest = end - p
        guard rest > 0 else { return o - out }
        let padded = 2 &* runBlock &+ 8
        return withUnsafeTemporaryAllocation(of: Number.self, capacity: padded) { buffer in
            let copy = buffer.baseAddress!
            let stride = MemoryLayout<Number>.stride
            UnsafeMutableRawPointer(copy).copyMemory(from: p, byteCount: rest &* stride)
            (UnsafeMutableRawPointer(copy) + rest &* stride).initializeMemory(
                as: UInt8.self, repeating: 0, count: (padded &- rest) &* stride)
            var q = UnsafePointer(copy)
            var left = rest
            while left > runBlock {
                o = writeBlock(q, count: runBlock, last: false, to: o)
                q += runBlock
                left &-= runBlock
            }
            o = writeBlock(q, count: left, last: true, to: o)
            return o - out
        }
    }

    /// The block of `count` (1...64) numbers at `p`, each with its comma, from `start`; returns
    /// the new end. Reads `p[0..<count + 8]`. The final run's 32-byte store is skipped when it
    /// is empty at the row's end (`last`), where the room reserved may be shorter than that;
    /// everywhere else at least one unwritten number, with its 33 bytes, follows the store.
    @inline(__always)
    private static func writeBlock<Number: JSONNumber>(
        _ p: UnsafePointer<Number>, count: Int, last: Bool, to start: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var o = start
        var others = ~Number.wordMask(p) & UInt64.max &>> UInt64(truncatingIfNeeded: runBlock &- count)
        var a = 0  // the block's first number not yet written
        while others != 0 {
            let j = others.trailingZeroBitCount
            others &= others &- 1
            if others == 0 {
                o = writeWords(p + a, count: j &- a, to: o)
                o += Number.write(p[j], to: o)
                o[0] = 0x2C
                o += 1
                a = j &+ 1
                break
            }
            let k = others.trailingZeroBitCount
            others &= others &- 1
            o = writePair(p, a, j, k, to: o)
            a = k &+ 1
        }
        if !last || a < count { o = writeWords(p + a, count: count &- a, to: o) }
        return o
    }

    /// The words of `p[a..<j]`, `p[j]`, the words of `p[j+1..<k]`, `p[k]`, each number with its
    /// comma. When both `p[j]` and `p[k]` are general (finite, non-zero), their digits are made
    /// side by side before anything is stored, as in ``JSONWriter/writeTwoNumbers(_:_:to:)``.
    @inline(__always)
    private static func writePair<Number: JSONNumber>(
        _ p: UnsafePointer<Number>, _ a: Int, _ j: Int, _ k: Int, to start: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var o = start
        let x = p[j]
        let y = p[k]
        if Number.bothGeneral(x, y) {
            let dx = Number.digits(x)
            let dy = Number.digits(y)
            o = writeWords(p + a, count: j &- a, to: o)
            o += Number.emit(dx, to: o)
            o[0] = 0x2C
            o = writeWords(p + j + 1, count: k &- j &- 1, to: o + 1)
            o += Number.emit(dy, to: o)
            o[0] = 0x2C
            return o + 1
        }
        o = writeWords(p + a, count: j &- a, to: o)
        o += Number.write(x, to: o)
        o[0] = 0x2C
        o = writeWords(p + j + 1, count: k &- j &- 1, to: o + 1)
        o += Number.write(y, to: o)
        o[0] = 0x2C
        return o + 1
    }

    /// `count` words ("0.0," or "1.0,") for the numbers from `p`, all +0.0 or 1.0, stored eight
    /// at a time; returns the new end. Reads eight numbers from `p` even when `count` is 0, and
    /// stores 32 bytes from `o` (within the 33 reserved for the number that follows).
    @inline(__always)
    private static func writeWords<Number: JSONNumber>(
        _ p: UnsafePointer<Number>, count: Int, to start: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        Number.storeWords(p, to: start)
        guard count > 8 else { return start + 4 &* count }
        var o = start + 32
        var q = p + 8
        var left = count &- 8
        while left > 0 {
            Number.storeWords(q, to: o)
            o += 4 &* Swift.min(left, 8)
            q += 8
            left &-= 8
        }
        return o
    }
}

extension JSONWriter {
    /// For eight numbers' bits, a word of eight bytes, byte k 1 when lane k is +0.0 or 1.0 (bits
    /// 0 or `one`), else 0. Lane arithmetic only (the lanes' `==` compiles to a branch per
    /// lane): the top bit of `(x & low) + low | x`, with `low` every bit but the top, is set
    /// exactly when x ≠ 0 (the sum cannot carry out of the lane), so the top bit of
    /// `nonZero(x) & nonZero(x ^ one)` is clear exactly when x is 0 or `one`.
    @inline(__always)
    static func wordBytes(_ x: SIMD8<UInt32>, one: UInt32) -> UInt64 {
        let low = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
        let y = x ^ one
        let neither = ((x & low) &+ low | x) & ((y & low) &+ low | y)
        return unsafeBitCast(SIMD8<UInt8>(truncatingIfNeeded: neither &>> 31 ^ 1), to: UInt64.self)
    }

    @inline(__always)
    static func wordBytes(_ x: SIMD8<UInt64>, one: UInt64) -> UInt64 {
        let low = SIMD8<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        let y = x ^ one
        let neither = ((x & low) &+ low | x) & ((y & low) &+ low | y)
        return unsafeBitCast(SIMD8<UInt8>(truncatingIfNeeded: neither &>> 63 ^ 1), to: UInt64.self)
    }

    /// The low bits of the eight bytes of `bytes` (each 0 or 1), byte k to bit k: the product
    /// with 0x0102040810204080 (bits 7, 14, ..., 56) puts byte k's bit at 56 + k, and no sum
    /// of the other partial products reaches the top byte (the tests try all 256 inputs).
    @inline(__always)
    static func gatherBits(_ bytes: UInt64) -> UInt64 { (bytes &* 0x0102_0408_1020_4080) >> 56 }
}

/// "0.0," (`0x2C302E30` little-endian) for the bits of +0.0, "1.0," for those of 1.0: the
/// digit is the number's top three bits (001 in 1.0's exponent, 000 in 0), or'd into '0'.
private let zeroWord: UInt32 = 0x2C30_2E30

extension Float {
    /// Bit t: whether `p[t]` (t < 64) is +0.0 or 1.0, eight numbers at a time in vector lanes
    /// (``JSONWriter/wordBytes(_:one:)``) and their eight bytes gathered into bits.
    @inline(__always)
    static func wordMask(_ p: UnsafePointer<Float>) -> UInt64 {
        var mask: UInt64 = 0
        for g in 0..<JSONWriter.runBlock / 8 {
            let bits = UnsafeRawPointer(p + 8 &* g).loadUnaligned(as: SIMD8<UInt32>.self)
            mask |= JSONWriter.gatherBits(JSONWriter.wordBytes(bits, one: 0x3F80_0000)) << UInt64(8 &* g)
        }
        return mask
    }

    /// The words of `p[0..<8]` at `out` (meaningful for +0.0 and 1.0 only).
    @inline(__always)
    static func storeWords(_ p: UnsafePointer<Float>, to out: UnsafeMutablePointer<UInt8>) {
        let bits = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt32>.self)
        UnsafeMutableRawPointer(out).storeBytes(of: bits &>> 29 | zeroWord, as: SIMD8<UInt32>.self)
    }

    /// Whether both are finite and non-zero (the general routine's numbers, -1.0 included).
    @inline(__always)
    static func bothGeneral(_ a: Float, _ b: Float) -> Bool {
        let limit: UInt32 = 0x7F80_0000 &- 1  // |x| - 1 below it: finite and non-zero
        let general = (a.bitPattern & 0x7FFF_FFFF) &- 1 < limit ? 1 : 0
        return general & ((b.bitPattern & 0x7FFF_FFFF) &- 1 < limit ? 1 : 0) != 0
    }
}

extension Double {
    /// Bit t: whether `p[t]` (t < 64) is +0.0 or 1.0, eight numbers at a time as for Float.
    @inline(__always)
    static func wordMask(_ p: UnsafePointer<Double>) -> UInt64 {
        var mask: UInt64 = 0
        for g in 0..<JSONWriter.runBlock / 8 {
            let bits = UnsafeRawPointer(p + 8 &* g).loadUnaligned(as: SIMD8<UInt64>.self)
            mask |= JSONWriter.gatherBits(JSONWriter.wordBytes(bits, one: 0x3FF0_0000_0000_0000)) << UInt64(8 &* g)
        }
        return mask
    }

    /// The words of `p[0..<8]` at `out` (meaningful for +0.0 and 1.0 only).
    @inline(__always)
    static func storeWords(_ p: UnsafePointer<Double>, to out: UnsafeMutablePointer<UInt8>) {
        let bits = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt64>.self)
        let words = SIMD8<UInt32>(truncatingIfNeeded: bits &>> 61) | zeroWord
        UnsafeMutableRawPointer(out).storeBytes(of: words, as: SIMD8<UInt32>.self)
    }

    /// Whether both are finite and non-zero (the general routine's numbers, -1.0 included).
    @inline(__always)
    static func bothGeneral(_ a: Double, _ b: Double) -> Bool {
        let limit: UInt64 = 0x7FF0_0000_0000_0000 &- 1
        let general = (a.bitPattern & (1 << 63 - 1)) &- 1 < limit ? 1 : 0
        return general & ((b.bitPattern & (1 << 63 - 1)) &- 1 < limit ? 1 : 0) != 0
    }
}
