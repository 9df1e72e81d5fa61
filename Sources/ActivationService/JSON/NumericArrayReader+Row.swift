/// The innermost loop of ``JSONScanner/readNumericArray(path:budget:limit:)``: the numbers of
/// one row, where a 1.2 MB body spends nearly all its time.
///
/// Each number is tried with ``JSONScanner/readCommonNumber()`` and stored in a scratch buffer
/// that is appended to the array 256 values at a time: `Array.append` per element checks
/// uniqueness through a runtime call and the capacity, about a fifth of a number's cost. Any
/// other element (a number the fast reader declines, a non-finite string, something wrong)
/// goes through ``JSONScanner/readElement(into:)`` after the pending values are flushed, so the
/// order stays right.
extension JSONScanner {
    /// Values held before they are appended.
    static let rowScratch = 256

    /// What ended a row: its closing bracket (the cursor on it, the row's element count), or a
    /// problem at element `at` of the row, for the caller to report with the element's path.
    enum RowEnd {
        case closed(Int)
        case tooManyElements(at: Int)
        case nestedArray(at: Int)
        case element(ElementProblem, at: Int)
    }

    /// Reads elements of the row at the cursor (inside its '[', past whitespace, not on ']'),
    /// the row having `n` elements so far, until its ']'. `raw.values` may not grow past
    /// `remaining`. Syntax errors are thrown; the rest is returned.
    mutating func readRow(
        into raw: inout RawNumericArray, from n: Int, remaining: Int, scratch: UnsafeMutablePointer<Double>
    ) throws(ServiceError) -> RowEnd {
        var n = n
        var pending = 0
        defer {
            if pending > 0 { raw.values.append(contentsOf: UnsafeBufferPointer(start: scratch, count: pending)) }
        }
        while true {
            if raw.values.count &+ pending >= remaining { return .tooManyElements(at: n) }
            let c = current
            if Self.startsNumber(c), let value = readCommonNumber() {
                // Finite: the fast tiers decline what would round to infinity.
                scratch[pending] = value
                pending &+= 1
                if pending == Self.rowScratch {
                    raw.values.append(contentsOf: UnsafeBufferPointer(start: scratch, count: pending))
                    pending = 0
                }
            } else {
                if pending > 0 {
                    raw.values.append(contentsOf: UnsafeBufferPointer(start: scratch, count: pending))
                    pending = 0
                }
                if c == 0x5B { return .nestedArray(at: n) }
                if let problem = try readElement(into: &raw) { return .element(problem, at: n) }
            }
            n &+= 1
            // A comma right after the number is the usual case; whitespace is looked for only
            // when the next byte could be some.
            if pos < end && base[pos] == 0x2C {
                pos &+= 1
                if pos < end && base[pos] <= 0x20 { skipWhitespace() }
                continue
            }
            skipWhitespace()
            let next = current
            if next == 0x2C {
                pos &+= 1
                skipWhitespace()
                continue
            }
            if next == 0x5D { return .closed(n) }
            throw syntaxError("expected ',' or ']' in array, found \(describeCurrent())")
        }
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
