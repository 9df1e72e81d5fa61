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
            // The row: each number then a comma, the last comma overwritten by the bracket.
            let end = Swift.min(next + length, count)
            if next < end {
                for index in next..<end {
                    i += Number.write(values[index], to: out + i)
                    out[i] = 0x2C
                    i += 1
                }
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

/// A number type the array writer can write: Float and Double, through `JSONWriter.writeNumber`.
protocol JSONNumber {
    static func write(_ value: Self, to out: UnsafeMutablePointer<UInt8>) -> Int
}

extension Float: JSONNumber {
    @inline(__always)
    static func write(_ value: Float, to out: UnsafeMutablePointer<UInt8>) -> Int { JSONWriter.writeNumber(value, to: out) }
}

extension Double: JSONNumber {
    @inline(__always)
    static func write(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int { JSONWriter.writeNumber(value, to: out) }
}
