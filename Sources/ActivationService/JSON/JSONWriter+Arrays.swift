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
        values.withUnsafeBufferPointer { buffer in
            writeNested(count: buffer.count, shape: shape) { out, index in
                JSONWriter.writeNumber(buffer[index], to: out)
            }
        }
    }

    public mutating func numbers(_ values: [Double], shape: [Int]) {
        values.withUnsafeBufferPointer { buffer in
            writeNested(count: buffer.count, shape: shape) { out, index in
                JSONWriter.writeNumber(buffer[index], to: out)
            }
        }
    }

    /// The bracket structure for `shape`, calling `element` for each stored element in order.
    private mutating func writeNested(
        count: Int, shape: [Int], element: (UnsafeMutablePointer<UInt8>, Int) -> Int
    ) {
        separate()
        guard !shape.isEmpty else {
            if count > 0 { withReservedBytes(JSONWriter.bytesPerNumber) { element($0, 0) } }
            return
        }
        // Bytes: each number and its comma, plus two brackets and a comma per array at every level.
        let rows = shape.dropLast().reduce(1) { $0 &* Swift.max($1, 1) }
        reserve(count * JSONWriter.bytesPerNumber + (rows + 1) * 3 * shape.count + 2)
        var next = 0
        withReservedBytes(0) { out in
            var written = 0
            Self.writeLevel(0, shape: shape, count: count, next: &next, out: out, written: &written, element: element)
            return written
        }
    }

    /// One level of nesting (recursion depth is the number of dimensions, at most 8).
    private static func writeLevel(
        _ level: Int, shape: [Int], count: Int, next: inout Int,
        out: UnsafeMutablePointer<UInt8>, written: inout Int,
        element: (UnsafeMutablePointer<UInt8>, Int) -> Int
    ) {
        var i = written
        out[i] = 0x5B
        i += 1
        let length = shape[level]
        if level == shape.count - 1 {
            var k = 0
            while k < length && next < count {
                if k > 0 {
                    out[i] = 0x2C
                    i += 1
                }
                i += element(out + i, next)
                next += 1
                k += 1
            }
        } else {
            for k in 0..<length {
                if k > 0 {
                    out[i] = 0x2C
                    i += 1
                }
                written = i
                writeLevel(level + 1, shape: shape, count: count, next: &next, out: out, written: &written, element: element)
                i = written
            }
        }
        out[i] = 0x5D
        written = i + 1
    }
}
