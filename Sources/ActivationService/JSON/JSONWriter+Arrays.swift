import ActivationEngine

/// N-dimensional arrays straight from shape and contiguous storage: one reservation for the
/// whole array, then digits written in place, so a 65,536-element answer allocates nothing per
/// element.
extension JSONWriter {
    /// Writes `tensor` as nested JSON arrays (or one number when its shape is `[]`).
    public mutating func tensor(_ tensor: Tensor) {
        switch tensor.storage {
        case .float32(let values): numbers(values, shape: tensor.shape)
        case .float64(let values): numbers(values, shape: tensor.shape)
        }
    }

    /// Writes `values` (row-major, `shape.reduce(1, *)` of them) nested as `shape` says.
    /// A mismatched count is a programming error upstream; it is written as far as the data
    /// goes rather than trapping, and the tests hold the writer to the invariant.
    public mutating func numbers(_ values: [Float], shape: [Int]) {
        values.withUnsafeBufferPointer { writeNested($0, shape: shape) }
    }

    public mutating func numbers(_ values: [Double], shape: [Int]) {
        values.withUnsafeBufferPointer { writeNested($0, shape: shape) }
    }

    /// The bracket structure for `shape`, each stored element written in order. Generic over
    /// the element type, not given a closure, so that each specialization has the number
    /// writer inlined in its innermost loop (a call per number costs several nanoseconds).
    private mutating func writeNested<Number: JSONNumber>(_ values: UnsafeBufferPointer<Number>, shape: [Int]) {
        let count = values.count
        separate()
        guard !shape.isEmpty else {
            if count > 0 { withReservedBytes(JSONWriter.bytesPerNumber) { Number.write(values[0], to: $0) } }
            return
        }
        // Bytes: each number and its comma, plus two brackets and a comma per array at every level.
        let rows = shape.dropLast().reduce(1) { $0 &* Swift.max($1, 1) }
        reserve(count * JSONWriter.bytesPerNumber + (rows + 1) * 3 * shape.count + 2)
        var next = 0
        withReservedBytes(0) { out in
            var written = 0
            Self.writeLevel(0, shape: shape, values: values, next: &next, out: out, written: &written)
            return written
        }
    }

    /// One level of nesting (recursion depth is the number of dimensions, at most 8).
    private static func writeLevel<Number: JSONNumber>(
        _ level: Int, shape: [Int], values: UnsafeBufferPointer<Number>, next: inout Int,
        out: UnsafeMutablePointer<UInt8>, written: inout Int
    ) {
        let count = values.count
        var i = written
        out[i] = 0x5B
        i += 1
        let length = shape[level]
        if level == shape.count - 1 {
            // The row: each number then a comma, the last comma overwritten by the bracket; two
            // at a time when nearly all numbers take the general routine, else as runs of 0s and
            // 1s between general numbers (JSONWriter+Runs.swift).
            let end = Swift.min(next + length, count)
            if next < end {
                let row = UnsafeBufferPointer(rebasing: values[next..<end])
                i = Number.mostlyGeneral(row) ? writeInPairs(row, out: out, at: i) : writeRuns(row, out: out, at: i)
                i -= 1
                next = end
            }
        } else {
            for k in 0..<length {
                if k > 0 {
                    out[i] = 0x2C
                    i += 1
                }
                written = i
                writeLevel(level + 1, shape: shape, values: values, next: &next, out: out, written: &written)
                i = written
            }
        }
        out[i] = 0x5D
        written = i + 1
    }
}

extension JSONWriter {
    /// A row's numbers, each followed by a comma, from `out + start`; returns the new end.
    /// Two at a time (``JSONWriter/writeTwoNumbers(_:_:to:)``): for rows of general numbers.
    /// (Out of line, as is the other: each loop gets the registers to itself.)
    @inline(never)
    fileprivate static func writeInPairs<Number: JSONNumber>(
        _ row: UnsafeBufferPointer<Number>, out: UnsafeMutablePointer<UInt8>, at start: Int
    ) -> Int {
        // Pointers rather than indices: the loop is long enough to keep few registers free,
        // and each index was another register or a reload per pair.
        guard let first = row.baseAddress else { return start }
        var o = out + start
        var p = first
        let pairsEnd = first + (row.count & ~1)
        while p < pairsEnd {
            o += Number.writeTwo(p[0], p[1], to: o)
            o[0] = 0x2C
            o += 1
            p += 2
        }
        if row.count & 1 != 0 {
            o += Number.write(p[0], to: o)
            o[0] = 0x2C
            o += 1
        }
        return o - out
    }
}

/// A number type the array writer can write: Float and Double, through `JSONWriter.writeNumber`.
protocol JSONNumber {
    static func write(_ value: Self, to out: UnsafeMutablePointer<UInt8>) -> Int
    /// `a`, a comma, `b`: the byte count.
    static func writeTwo(_ a: Self, _ b: Self, to out: UnsafeMutablePointer<UInt8>) -> Int
    /// Whether nearly all of `values` are neither ±0, 1 nor non-finite (the general routine's
    /// numbers), judged from 16 of them spread over the row: 14 or more.
    static func mostlyGeneral(_ values: UnsafeBufferPointer<Self>) -> Bool

    // For rows of 0s and 1s (JSONWriter+Runs.swift).
    /// A general number's digits, made apart from their layout (``FloatText``).
    associatedtype Digits
    static func digits(_ value: Self) -> Digits
    static func emit(_ digits: Digits, to out: UnsafeMutablePointer<UInt8>) -> Int
    /// Whether both are finite and non-zero.
    static func bothGeneral(_ a: Self, _ b: Self) -> Bool
    /// Bit t: whether `p[t]` (t < 64) is +0.0 or 1.0, whose text and comma are one 4-byte word.
    static func wordMask(_ p: UnsafePointer<Self>) -> UInt64
    /// The words ("0.0," or "1.0,") of `p[0..<8]` at `out`, 32 bytes (meaningful for +0.0 and 1.0).
    static func storeWords(_ p: UnsafePointer<Self>, to out: UnsafeMutablePointer<UInt8>)
}

extension Float: JSONNumber {
    @inline(__always)
    static func digits(_ value: Float) -> FloatText.FloatDigits { FloatText.digits(value) }

    @inline(__always)
    static func emit(_ digits: FloatText.FloatDigits, to out: UnsafeMutablePointer<UInt8>) -> Int {
        FloatText.emit(digits, to: out)
    }

    @inline(__always)
    static func write(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int { JSONWriter.writeNumber(value, to: out) }

    @inline(__always)
    static func writeTwo(_ a: Float, _ b: Float, to out: UnsafeMutablePointer<UInt8>) -> Int {
        JSONWriter.writeTwoNumbers(a, b, to: out)
    }

    static func mostlyGeneral(_ values: UnsafeBufferPointer<Float>) -> Bool {
        var n = 0
        for k in 0..<16 {
            let bits = values[k &* values.count / 16].bitPattern
            if (bits & 0x7FFF_FFFF) &- 1 < 0x7F80_0000 &- 1 && bits != 0x3F80_0000 { n &+= 1 }
        }
        return n >= 14
    }
}

extension Double: JSONNumber {
    @inline(__always)
    static func digits(_ value: Double) -> FloatText.Digits { FloatText.digits(value) }

    @inline(__always)
    static func emit(_ digits: FloatText.Digits, to out: UnsafeMutablePointer<UInt8>) -> Int {
        FloatText.emit(digits, to: out)
    }

    @inline(__always)
    static func write(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int { JSONWriter.writeNumber(value, to: out) }

    @inline(__always)
    static func writeTwo(_ a: Double, _ b: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        JSONWriter.writeTwoNumbers(a, b, to: out)
    }

    static func mostlyGeneral(_ values: UnsafeBufferPointer<Double>) -> Bool {
        var n = 0
        for k in 0..<16 {
            let bits = values[k &* values.count / 16].bitPattern
            if (bits & (1 << 63 - 1)) &- 1 < 0x7FF0_0000_0000_0000 &- 1 && bits != 0x3FF0_0000_0000_0000 { n &+= 1 }
        }
        return n >= 14
    }
}
