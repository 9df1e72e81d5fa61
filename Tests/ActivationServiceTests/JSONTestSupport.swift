import ActivationEngine
import HTTPServer
import Testing
@testable import ActivationService

/// Helpers shared by the JSON tests: read a body given as text, and check an error's fields.
enum JSONTestSupport {
    static func read(_ body: String, maxElements: Int = 1 << 24) throws(ServiceError) -> ActivateRequest {
        try ActivateRequestReader(maxElements: maxElements).read(Array(body.utf8))
    }

    /// Reads a body that must hold one evaluation.
    static func single(_ body: String) throws -> Evaluation {
        let request = try read(body)
        guard case .single(let evaluation) = request else {
            Issue.record("expected a single evaluation, got \(request)")
            throw ServiceError(status: 500, code: .init(rawValue: "test"), message: "not single")
        }
        return evaluation
    }

    /// The error reading `body` throws, or nil (recorded as a failure) when it reads fine.
    static func error(_ body: String, maxElements: Int = 1 << 24, sourceLocation: SourceLocation = #_sourceLocation) -> ServiceError? {
        do {
            let request = try read(body, maxElements: maxElements)
            Issue.record("expected an error, read \(request)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Checks that `body` fails with `code`, `status` and (when given) the JSON `path`.
    static func expectError(
        _ body: String, _ code: ServiceError.Code, status: HTTPStatus, path: String? = nil,
        maxElements: Int = 1 << 24, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = error(body, maxElements: maxElements, sourceLocation: sourceLocation) else { return }
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.status == status, sourceLocation: sourceLocation)
        if let path {
            #expect(error.detail("path") == .string(path), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    /// Checks that `body` is malformed JSON reported at `line`, `column`.
    static func expectSyntaxError(
        _ body: String, line: Int, column: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = error(body, sourceLocation: sourceLocation) else { return }
        #expect(error.code == .malformedJSON, "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.status == 400, sourceLocation: sourceLocation)
        #expect(error.detail("line") == .int(line), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.detail("column") == .int(column), "\(error.message)", sourceLocation: sourceLocation)
    }

    /// A tensor the test knows to be consistent.
    static func tensor(_ shape: [Int], _ storage: TensorStorage) -> Tensor {
        try! Tensor(shape: shape, storage: storage)
    }

    static func doubles(_ array: Tensor) -> [Double]? {
        if case .float64(let values) = array.storage { return values }
        return nil
    }

    static func floats(_ array: Tensor) -> [Float]? {
        if case .float32(let values) = array.storage { return values }
        return nil
    }

    /// A small deterministic generator so failures reproduce.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }
}
