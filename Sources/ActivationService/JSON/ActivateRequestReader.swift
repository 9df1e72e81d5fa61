import ActivationEngine

/// Reads the body of `POST /v1/activate` into an ``ActivateRequest`` in one pass over the bytes.
///
/// Error precedence, so that a client gets the same answer for the same body every time:
/// a syntax error anywhere (400 `malformed_json`, with line and column) wins over everything;
/// otherwise the first problem in document order is reported (400 `invalid_type`, or 422 with
/// the JSON path). When the fast pass stops at a non-syntax problem, the whole body is then
/// checked for syntax by an iterative validator before that problem is reported.
///
/// Choices where the contract was silent (also in the OpenAPI document):
/// - Unknown fields in an evaluation are 422 `unknown_field`: a misspelt `grad_ouput` must not
///   be silently ignored. Unknown names inside `params` are left to the engine.
/// - Duplicate fields are 422 `duplicate_field` (RFC 8259 says names SHOULD be unique; which
///   one wins differs between parsers, so neither does here).
/// - `null` is not "absent": an optional field is omitted or has a value of its type (400).
/// - A finite number that rounds to infinity in the dtype is 422 `invalid_value`.
/// - The element limit counts `inputs` across the whole batch, and `grad_output` separately
///   against the same limit; crossing it is 422 `too_many_elements` (413 stays the server's,
///   for bodies over its byte limit).
/// - An empty batch `[]` is valid and decodes to `.batch([])`.
/// - A byte-order mark is not JSON (RFC 8259 section 8.1 forbids sending one) and is a 400.
public struct ActivateRequestReader: Sendable {
    /// The most numbers `inputs` may hold across one request (and `grad_output` likewise).
    public var maxElements: Int

    public init(maxElements: Int = 4_194_304) {
        self.maxElements = maxElements
    }

    public func read(_ body: [UInt8]) throws(ServiceError) -> ActivateRequest {
        let result = body.withUnsafeBytes { buffer in
            Result { () throws(ServiceError) -> ActivateRequest in try read(buffer) }
        }
        return try result.get()
    }

    public func read(_ body: UnsafeRawBufferPointer) throws(ServiceError) -> ActivateRequest {
        guard let base = body.baseAddress, body.count > 0 else {
            throw .malformedJSON("the body is empty", line: 1, column: 1)
        }
        var scanner = JSONScanner(base: base.assumingMemoryBound(to: UInt8.self), count: body.count)
        do {
            return try readDocument(&scanner)
        } catch {
            guard error.code != .malformedJSON else { throw error }
            var validator = JSONScanner(base: scanner.base, count: scanner.end)
            try validator.validateDocument()
            throw error
        }
    }

    private func readDocument(_ scanner: inout JSONScanner) throws(ServiceError) -> ActivateRequest {
        var budgets = EvaluationReader.Budgets(inputs: maxElements, gradOutput: maxElements, limit: maxElements)
        scanner.skipWhitespace()
        let request: ActivateRequest
        switch scanner.current {
        case 0x7B:
            request = .single(try EvaluationReader.read(&scanner, path: JSONPath.root, budgets: &budgets))
        case 0x5B:
            var evaluations: [Evaluation] = []
            // Room for a typical batch at once, rather than growing through 1, 2, 4 and 8.
            evaluations.reserveCapacity(16)
            try JSONScanner.forEachElement(&scanner, path: JSONPath.root) { (scanner: inout JSONScanner, path) throws(ServiceError) in
                guard scanner.current == 0x7B else {
                    try EvaluationReader.throwTypeError(scanner, path: path, expected: "an evaluation object")
                }
                evaluations.append(try EvaluationReader.read(&scanner, path: path, budgets: &budgets))
            }
            request = .batch(evaluations)
        default:
            try EvaluationReader.throwTypeError(
                scanner, path: JSONPath.root, expected: "an evaluation object or an array of them")
        }
        scanner.skipWhitespace()
        guard scanner.pos == scanner.end else {
            throw scanner.syntaxError("unexpected \(scanner.describeCurrent()) after the JSON value")
        }
        return request
    }
}
