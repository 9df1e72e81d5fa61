import CDecimalDigits

/// The innermost loop of ``JSONScanner/readNumericArray(path:budget:limit:)``: the numbers of
/// one row, where a 1.2 MB body spends nearly all its time.
///
/// Each number is tried with ``JSONScanner/commonNumber(_:from:end:as:)`` and stored in a
/// scratch buffer on the stack that is appended to the array a kilobyte at a time:
/// `Array.append` per element checks uniqueness through a runtime call and the capacity, about a
/// fifth of a number's cost. Any other element (a number the fast reader declines, a
/// non-finite string, something wrong) goes through ``JSONScanner/readElement(into:)`` after
/// the pending values are flushed, so the order stays right. The cursor lives in a local while
/// the row is read (stored back to `pos` before anything else reads it), and the element limit
/// is a count of room left, so the loop neither reloads the cursor after each store into the
/// scratch buffer nor reads the array's count for every element.
extension JSONScanner {
    /// Bytes of values held before they are appended (128 doubles, 256 floats): small enough
    /// that the buffer is always on the stack.
    static let rowScratchBytes = 1024

    /// What ended a row: its closing bracket (the cursor on it, the row's element count), or a
    /// problem at element `at` of the row, for the caller to report with the element's path.
    enum RowEnd {
        case closed(Int)
        case tooManyElements(at: Int)
        case nestedArray(at: Int)
        case element(ElementProblem, at: Int)
    }

    /// Reads elements of the row at the cursor (inside its '[', past whitespace, not on ']'),
    /// the row having `n` elements so far, until its ']'. The array may not grow past
    /// `remaining`. `Number` is Double, or Float when the array is read straight into float32
    /// (`raw.floats`); `scratch` holds ``rowScratchBytes`` bytes. Syntax errors are thrown; the
    /// rest is returned.
    mutating func readRow<Number: RowNumber>(
        into raw: inout RawNumericArray, from n: Int, remaining: Int, scratch: UnsafeMutablePointer<Number>
    ) throws(ServiceError) -> RowEnd {
        let capacity = Self.rowScratchBytes / MemoryLayout<Number>.stride
        let base = self.base
        let end = self.end
        var p = pos
        var n = n
        var pending = 0
        // How many more values the array may take beyond those already appended to it.
        var room = remaining &- Number.count(raw)
        defer {
            if pending > 0 { Number.append(UnsafeBufferPointer(start: scratch, count: pending), to: &raw) }
        }
        // Short decimals each followed by a comma (-5.943997,: most of what clients send) are
        // read by a loop of their own (``readShortRun``): nothing but the number, its comma and
        // whitespace after it, so the chain from one number to the next is the sixteen-byte
        // length test alone. It is tried at the start of the row and whenever the scratch buffer
        // has just been emptied (every 128 doubles or 256 floats); what it stops at (the last
        // number before ']', a 17-digit number, an exponent, anything else) is read by the
        // general loop below, which goes back to it at its next flush. So a row of 17-digit
        // text pays one failed try per flush, and the general loop carries nothing for it.
        rows: while true {
            if pending >= room {
                pos = p
                return .tooManyElements(at: n)
            }
            let first = pending
            (p, pending) = Self.readShortRun(
                base, from: p, limit: end &- Self.commonNumberRoom, end: end, into: scratch, at: pending,
                stop: min(capacity, room))
            n &+= pending &- first
            if pending == capacity {
                Number.append(UnsafeBufferPointer(start: scratch, count: pending), to: &raw)
                room &-= pending
                pending = 0
                continue
            }
            while true {
                if pending >= room {
                    pos = p
                    return .tooManyElements(at: n)
                }
                if let (value, next) = Self.commonNumber(base, from: p, end: end, as: Number.self) {
                    // Finite: the fast tiers decline what would round to infinity.
                    scratch[pending] = value
                    pending &+= 1
                    p = next
                    if pending == capacity {
                        Number.append(UnsafeBufferPointer(start: scratch, count: pending), to: &raw)
                        room &-= pending
                        pending = 0
                    }
                } else {
                    let c = p < end ? base[p] : 0
                    if pending > 0 {
                        Number.append(UnsafeBufferPointer(start: scratch, count: pending), to: &raw)
                        pending = 0
                    }
                    pos = p
                    if c == 0x5B { return .nestedArray(at: n) }
                    if let problem = try Number.readElement(&self, into: &raw) { return .element(problem, at: n) }
                    p = pos
                    room = remaining &- Number.count(raw)
                }
                n &+= 1
                // A comma right after the number is the usual case; whitespace is looked for only
                // when the next byte could be some. With the scratch buffer just emptied, the
                // next element goes to the short loop.
                if p < end && base[p] == 0x2C {
                    p &+= 1
                    if p < end && base[p] <= 0x20 { p = Self.skipWhitespace(base, from: p, end: end) }
                    if pending == 0 { continue rows }
                    continue
                }
                p = Self.skipWhitespace(base, from: p, end: end)
                let next = p < end ? base[p] : 0
                if next == 0x2C {
                    p = Self.skipWhitespace(base, from: p &+ 1, end: end)
                    if pending == 0 { continue rows }
                    continue
                }
                pos = p
                if next == 0x5D { return .closed(n) }
                throw syntaxError("expected ',' or ']' in array, found \(describeCurrent())")
            }
        }
    }
}

extension JSONScanner {
    /// Reads short decimals each followed by a comma (`decimal_short`), and whitespace after
    /// the comma, from `p` into `scratch[pending...]` while there is room (`pending` < `stop`)
    /// and `p` < `limit`, and returns the position and count after the last one read. Its own
    /// function, so that the general loop of ``readRow(into:from:remaining:scratch:)`` keeps
    /// its registers (and `commonNumber` inlined) for the rows it serves: one call per run of
    /// up to `stop` numbers.
    @inline(never)
    static func readShortRun<Number: RowNumber>(
        _ base: UnsafePointer<UInt8>, from p: Int, limit: Int, end: Int, into scratch: UnsafeMutablePointer<Number>,
        at pending: Int, stop: Int
    ) -> (Int, Int) {
        var p = p
        var pending = pending
        while true {
            let first = pending
            while pending < stop && p < limit {
                let short = decimal_short(base + p)
                let length = Int(short.length)
                guard length != 0 && base[p &+ length] == 0x2C else { break }
                scratch[pending] = Number.eightDigitDecimal(significand: short.significand, divisor: Int(short.divisor))
                pending &+= 1
                p &+= length &+ 1
            }
            // Whitespace after a comma stops the loop above (no number starts there): skipped
            // here, and the run goes on. (After a number, `p` is within `end`.)
            guard pending != first && base[p] <= 0x20 else { return (p, pending) }
            p = skipWhitespace(base, from: p, end: end)
        }
    }
}

/// What the row loop stores: doubles in `raw.values`, or floats in `raw.floats`.
protocol RowNumber: CommonNumber {
    static func count(_ raw: RawNumericArray) -> Int
    static func append(_ values: UnsafeBufferPointer<Self>, to raw: inout RawNumericArray)
    /// Any element but the common number (see ``JSONScanner/readElement(into:)``).
    static func readElement(_ scanner: inout JSONScanner, into raw: inout RawNumericArray) throws(ServiceError)
        -> JSONScanner.ElementProblem?
}

extension Double: RowNumber {
    @inline(__always)
    static func count(_ raw: RawNumericArray) -> Int { raw.values.count }

    @inline(__always)
    static func append(_ values: UnsafeBufferPointer<Double>, to raw: inout RawNumericArray) {
        raw.values.append(contentsOf: values)
    }

    static func readElement(_ scanner: inout JSONScanner, into raw: inout RawNumericArray) throws(ServiceError)
        -> JSONScanner.ElementProblem? {
        try scanner.readElement(into: &raw)
    }
}

extension Float: RowNumber {
    @inline(__always)
    static func count(_ raw: RawNumericArray) -> Int { raw.floats.count }

    @inline(__always)
    static func append(_ values: UnsafeBufferPointer<Float>, to raw: inout RawNumericArray) {
        raw.floats.append(contentsOf: values)
    }

    /// The element read as a double by the general reader, then rounded once to float32: a
    /// number from its own text with `strtof` (narrowing the double could round twice), a
    /// non-finite string exactly. A finite text that rounds to infinity is out of range.
    static func readElement(_ scanner: inout JSONScanner, into raw: inout RawNumericArray) throws(ServiceError)
        -> JSONScanner.ElementProblem? {
        let start = scanner.pos
        if let problem = try scanner.readElement(into: &raw) { return problem }
        let d = raw.values.removeLast()
        guard d.isFinite else {
            raw.floats.append(Float(d))
            return nil
        }
        let f = DecimalToBinary.strtofSpan(scanner.base, start, scanner.pos)
        if f.isInfinite { return .outOfRangeForFloat32 }
        raw.floats.append(f)
        return nil
    }
}

extension JSONScanner {
    /// The text spans of the elements at flat indices `indices` (ascending) of the value or
    /// array that starts at `start`, found again by their delimiters. Only for text the reader
    /// has accepted: every element is a number, a string or a bare token, in order, between
    /// brackets, commas and whitespace.
    func elementSpans(from start: Int, at indices: [Int]) -> [(start: Int, end: Int)] {
        var spans: [(start: Int, end: Int)] = []
        var p = start
        var index = 0
        while p < end && spans.count < indices.count {
            let c = base[p]
            if c == 0x5B || c == 0x5D || c == 0x2C || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                p += 1
                continue
            }
            let token = p
            if c == 0x22 {
                p += 1
                while p < end && base[p] != 0x22 { p += base[p] == 0x5C ? 2 : 1 }
                p += 1
            } else {
                while p < end {
                    let d = base[p]
                    if d == 0x2C || d == 0x5D || d == 0x7D || d == 0x20 || d == 0x0A || d == 0x0D || d == 0x09 { break }
                    p += 1
                }
            }
            if index == indices[spans.count] { spans.append((token, p)) }
            index += 1
        }
        return spans
    }
}
