import ActivationEngine

/// Nested JSON arrays of numbers into one contiguous buffer and a shape, in one pass.
///
/// This is the loop the service spends its time in (a 1.2 MB body is 65,536 numbers), so it
/// is written for it: no recursion (the nesting is at most 8 and held in two small arrays),
/// no allocation per element, numbers converted where they stand. The shape is learned from
/// the first descent (`[[[` then a number or `]`) and every later row is checked against it
/// as it closes, so a ragged array is reported at the row where it goes wrong.
///
/// When the object has already said `"dtype": "float32"` (it usually comes before `inputs`),
/// an array is read straight into floats (`floats`), each rounded once from its decimal.
/// Otherwise numbers are read as doubles, because `dtype` may come after `inputs` in the
/// object. Converting those to float32 afterwards is exact except where rounding twice can
/// differ from rounding once (see ``DecimalToBinary/mayRoundTwice(_:)``); those few numbers
/// are found when narrowing, and their text, found again from `textStart`, is parsed with
/// `strtof`. Finding them then rather than while reading keeps the test out of the loop that
/// every number of every dtype goes through.
struct RawNumericArray {
    var shape: [Int]
    var values: [Double]
    /// The numbers when the array was read as float32 (`isFloat32`); `values` is then empty.
    var floats: [Float] = []
    var isFloat32 = false
    /// Where the value or array starts in the body.
    var textStart: Int
}

extension JSONScanner {
    /// The most dimensions an array may have (the service's contract).
    static let maxDimensions = 8

    /// Reads a number, one of the strings "NaN", "Infinity", "-Infinity", or nested arrays of
    /// them at the cursor. `budget` is how many more numbers the request may hold; it is
    /// decreased by the count read. `float32`: the dtype is known to be float32, so an array
    /// is read straight into floats (a lone number is read as a double and narrowed, as before).
    mutating func readNumericArray(
        path: String, budget: inout Int, limit: Int, float32: Bool = false
    ) throws(ServiceError) -> RawNumericArray {
        var raw = RawNumericArray(shape: [], values: [], textStart: pos)
        guard current == 0x5B else {
            guard budget >= 1 else { throw .tooManyElements(path: path, limit: limit) }
            if let problem = try readElement(into: &raw) { throw problem.error(at: path) }
            budget -= 1
            return raw
        }
        let expected = Swift.min(budget, (end - pos) / 2 + 1, 1 << 16)
        raw.isFloat32 = float32
        if float32 { raw.floats.reserveCapacity(expected) } else { raw.values.reserveCapacity(expected) }
        // Room for a row's pending values of either type (bound to one type per array), on the
        // stack: the array itself is the only allocation an array of numbers makes (and its
        // shape, when it differs from the previous array's: ``lastShape``).
        return try withUnsafeTemporaryAllocation(byteCount: Self.rowScratchBytes, alignment: 16) {
            (scratch) throws(ServiceError) -> RawNumericArray in
            try readNestedArrays(into: &raw, path: path, budget: &budget, limit: limit, float32: float32,
                                 scratch: scratch.baseAddress!)
        }
    }

    /// The dimensions of an array being read (at most ``maxDimensions``), held inline.
    typealias Dimensions = InlineArray<8, Int>

    /// The body of ``readNumericArray(path:budget:limit:float32:)`` from the first '[' on.
    private mutating func readNestedArrays(
        into raw: inout RawNumericArray, path: String, budget: inout Int, limit: Int, float32: Bool,
        scratch: UnsafeMutableRawPointer
    ) throws(ServiceError) -> RawNumericArray {
        var shape = Dimensions(repeating: -1)
        var counts = Dimensions(repeating: 0)
        // The first descent fixes the number of dimensions.
        var ndim = 0
        while current == 0x5B {
            guard ndim < Self.maxDimensions else {
                throw .tooManyDimensions(path: JSONPath.indices(path, Self.leading(counts, ndim)), limit: Self.maxDimensions)
            }
            ndim += 1
            pos += 1
            skipWhitespace()
        }
        var level = ndim - 1
        let remaining = budget
        descend: while true {
            // The cursor is just inside the '[' of `level`.
            if current != 0x5D {
                if level < ndim - 1 {
                    guard current == 0x5B else {
                        throw notAnArray(JSONPath.indices(path, Self.leading(counts, level + 1)))
                    }
                    pos += 1
                    level += 1
                    counts[level] = 0
                    skipWhitespace()
                    continue descend
                }
                var n = counts[level]
                let rowEnd = try float32
                    ? readRow(into: &raw, from: n, remaining: remaining,
                              scratch: scratch.bindMemory(to: Float.self, capacity: Self.rowScratchBytes / 4))
                    : readRow(into: &raw, from: n, remaining: remaining,
                              scratch: scratch.bindMemory(to: Double.self, capacity: Self.rowScratchBytes / 8))
                switch rowEnd {
                case .closed(let count):
                    n = count
                case .tooManyElements(let at):
                    throw .tooManyElements(path: JSONPath.indices(path, Self.leading(counts, level) + [at]), limit: limit)
                case .nestedArray(let at):
                    throw .raggedArray(path: JSONPath.indices(path, Self.leading(counts, level) + [at]),
                                       "expected a number like the first row, found an array")
                case .element(let problem, let at):
                    throw problem.error(at: JSONPath.indices(path, Self.leading(counts, level) + [at]))
                }
                counts[level] = n
            }
            // The cursor is on the ']' closing `level`.
            while true {
                pos += 1
                let n = counts[level]
                if shape[level] < 0 {
                    shape[level] = n
                } else if shape[level] != n {
                    throw .raggedArray(path: JSONPath.indices(path, Self.leading(counts, level)),
                                       "has \(n) elements where the first row has \(shape[level])")
                }
                if level == 0 {
                    budget -= float32 ? raw.floats.count : raw.values.count
                    raw.shape = sharedShape(shape, ndim)
                    return raw
                }
                level -= 1
                counts[level] += 1
                if shape[level] >= 0 && counts[level] > shape[level] {
                    throw .raggedArray(path: JSONPath.indices(path, Self.leading(counts, level)),
                                       "has more than the \(shape[level]) elements of the first row")
                }
                skipWhitespace()
                if current == 0x2C {
                    pos += 1
                    skipWhitespace()
                    guard current == 0x5B else {
                        throw notAnArray(JSONPath.indices(path, Self.leading(counts, level + 1)))
                    }
                    pos += 1
                    level += 1
                    counts[level] = 0
                    skipWhitespace()
                    continue descend
                }
                guard current == 0x5D else {
                    throw syntaxError("expected ',' or ']' in array, found \(describeCurrent())")
                }
            }
        }
    }

    /// The first `count` entries of `dimensions`, for an error's path or a shape.
    private static func leading(_ dimensions: Dimensions, _ count: Int) -> [Int] {
        (0..<count).map { dimensions[$0] }
    }

    /// The shape `shape[0..<ndim]` as an array: the previous array's when it is the same (a
    /// batch's inputs usually share their shape, and so do inputs and grad_output), so that the
    /// shape is allocated once per request rather than once per array.
    private mutating func sharedShape(_ shape: Dimensions, _ ndim: Int) -> [Int] {
        if lastShape.count != ndim || !(0..<ndim).allSatisfy({ lastShape[$0] == shape[$0] }) {
            lastShape = Self.leading(shape, ndim)
        }
        return lastShape
    }

    /// Stores `raw` in `dtype` as the engine's tensor. For float32 each double is narrowed, the
    /// doubtful ones are parsed again from their text, and a finite number that rounds to
    /// infinity is a 422 (a client who meant infinity says "Infinity"). Must be called on the
    /// scanner that read `raw`, whose bytes hold its text.
    func makeTensor(_ raw: RawNumericArray, dtype: DType, path: String) throws(ServiceError) -> Tensor {
        // Read as float32 only when the dtype (which cannot be given twice) was float32.
        if raw.isFloat32 { return try Self.tensor(shape: raw.shape, storage: .float32(raw.floats)) }
        guard dtype == .float32 else { return try Self.tensor(shape: raw.shape, storage: .float64(raw.values)) }
        let count = raw.values.count
        // One pass without branches (so it vectorizes): narrow, and note whether any finite
        // double became infinite and whether any may have rounded twice. Only then, rarely,
        // a second pass finds which.
        var overflowed: UInt64 = 0
        var anyDoubtful: UInt64 = 0
        var floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Accumulated in locals, not the captured variables, so nothing is stored to memory
            // per element and the loop stays a vector loop.
            (overflowed, anyDoubtful) = raw.values.withUnsafeBufferPointer { doubles in
                var over: UInt64 = 0
                var doubt: UInt64 = 0
                for i in 0..<count {
                    let d = doubles[i]
                    let f = Float(d)
                    buffer[i] = f
                    let finite: UInt64 = d.bitPattern & 0x7FF0_0000_0000_0000 != 0x7FF0_0000_0000_0000 ? 1 : 0
                    let infinite: UInt64 = f.bitPattern & 0x7FFF_FFFF == 0x7F80_0000 ? 1 : 0
                    over |= finite & infinite
                    doubt |= DecimalToBinary.mayRoundTwice(d) ? 1 : 0
                }
                return (over, doubt)
            }
            initialized = count
        }
        if anyDoubtful != 0 {
            let doubtful = raw.values.indices.filter { DecimalToBinary.mayRoundTwice(raw.values[$0]) }
            for (index, span) in zip(doubtful, elementSpans(from: raw.textStart, at: doubtful)) {
                let f = DecimalToBinary.strtofSpan(base, span.start, span.end)
                floats[index] = f
                if f.isInfinite { overflowed = 1 }
            }
        }
        if overflowed != 0, let index = floats.indices.first(where: { floats[$0].isInfinite && raw.values[$0].isFinite }) {
            throw .invalidValue(path: JSONPath.element(path, flatIndex: index, shape: raw.shape),
                                "the number is out of range for float32")
        }
        return try Self.tensor(shape: raw.shape, storage: .float32(floats))
    }

    /// The reader has already checked what the tensor checks (at most 8 dimensions, a
    /// rectangular shape whose product is the count), so this cannot fail; if it ever did, the
    /// engine's own error is the honest answer.
    private static func tensor(shape: [Int], storage: TensorStorage) throws(ServiceError) -> Tensor {
        do throws(EngineError) {
            return try Tensor(shape: shape, storage: storage)
        } catch {
            throw ServiceError(error)
        }
    }

    /// What can be wrong with one element, before its path is known. Returned rather than
    /// thrown with a path so the hot loop passes no closure (and retains nothing) per element.
    enum ElementProblem: Error {
        case outOfRange, outOfRangeForFloat32, notANonFiniteString, wrongType

        func error(at path: String) -> ServiceError {
            switch self {
            case .outOfRange: .invalidValue(path: path, "the number is out of range for float64")
            case .outOfRangeForFloat32: .invalidValue(path: path, "the number is out of range for float32")
            case .notANonFiniteString: .invalidValue(path: path, JSONScanner.nonFiniteStringsMessage)
            case .wrongType: .invalidType(path: path, expected: "a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
            }
        }
    }

    static let nonFiniteStringsMessage = "the only strings allowed for numbers are \"NaN\", \"Infinity\" and \"-Infinity\""

    /// One element: a number (finite after rounding to double) or a non-finite string. Syntax
    /// errors are thrown; anything else is returned for the caller to place.
    @inline(__always)
    mutating func readElement(into raw: inout RawNumericArray) throws(ServiceError) -> ElementProblem? {
        let c = current
        if c == 0x2D || c &- 0x30 < 10 {
            if let value = readCommonNumber() {
                // Finite: the fast tiers decline what would round to infinity.
                raw.values.append(value)
                return nil
            }
        }
        if acceptsBareNonFinite, c == 0x4E || c == 0x49 || (c == 0x2D && pos + 1 < end && base[pos + 1] == 0x49),
           let value = readBareNonFinite() {
            raw.values.append(value)
            return nil
        }
        if c == 0x2D || c &- 0x30 < 10 {
            let number = try readNumber()
            guard number.value.isFinite else { return .outOfRange }
            raw.values.append(number.value)
            return nil
        }
        guard c == 0x22 else { return .wrongType }
        guard let value = Self.nonFiniteValue(try readString()) else { return .notANonFiniteString }
        raw.values.append(value)
        return nil
    }

    /// Consumes the bare token `NaN`, `Infinity` or `-Infinity` at the cursor and returns its
    /// value; nil (nothing consumed) when none is there.
    mutating func readBareNonFinite() -> Double? {
        for (token, value) in Self.bareNonFinite {
            guard pos + token.count <= end, token.indices.allSatisfy({ base[pos + $0] == token[$0] }) else { continue }
            pos += token.count
            return value
        }
        return nil
    }

    private static let bareNonFinite: [([UInt8], Double)] = [
        (Array("NaN".utf8), .nan), (Array("Infinity".utf8), .infinity), (Array("-Infinity".utf8), -.infinity),
    ]

    /// The value of "NaN", "Infinity" or "-Infinity"; nil for any other string.
    static func nonFiniteValue(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: nil
        }
    }

    /// "NaN", "Infinity" or "-Infinity" as a double; any other string is a 422.
    mutating func readNonFiniteString(path: () -> String) throws(ServiceError) -> Double {
        guard let value = Self.nonFiniteValue(try readString()) else {
            throw .invalidValue(path: path(), Self.nonFiniteStringsMessage)
        }
        return value
    }

    /// The error for a non-array where the first row had an array.
    private func notAnArray(_ path: String) -> ServiceError {
        let c = current
        if c == 0x2D || c &- 0x30 < 10 || c == 0x22 || c == 0x5D {
            return .raggedArray(path: path, "expected an array like the first row")
        }
        return .invalidType(path: path, expected: "an array")
    }
}
