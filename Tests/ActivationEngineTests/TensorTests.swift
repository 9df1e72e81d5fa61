import Testing
@testable import ActivationEngine

@Suite struct TensorTests {
    @Test func scalarHasOneElementAndNoDimensions() throws {
        let scalar = try Tensor(shape: [], float64: [2.5])
        #expect(scalar.ndim == 0)
        #expect(scalar.count == 1)
        #expect(throws: EngineError.self) { try Tensor(shape: [], float64: []) }
    }

    @Test func emptyDimensionsAreAllowed() throws {
        let empty = try Tensor(shape: [3, 0, 2], float32: [])
        #expect(empty.count == 0)
        #expect(empty.dtype == .float32)
    }

    @Test func countMustMatchShape() {
        do {
            _ = try Tensor(shape: [2, 3], float64: [1, 2, 3, 4, 5])
            Issue.record("a 5-element [2, 3] tensor was accepted")
        } catch {
            #expect(error.code == .invalidShape)
            #expect(error.details["shape"] == .ints([2, 3]))
            #expect(error.details["count"] == .int(5))
        }
    }

    @Test func negativeDimensionIsRejected() {
        #expect(throws: EngineError.self) { try Tensor(shape: [-1, 0], float64: []) }
    }

    @Test func overflowingShapeIsRejected() {
        #expect(throws: EngineError.self) { try Tensor(shape: [Int.max, 2, 0], float64: []) }
        #expect(Tensor.elementCount(of: [Int.max / 2, 3]) == nil)
    }

    @Test func atMostEightDimensions() throws {
        let eight = try Tensor(shape: Array(repeating: 1, count: 8), float64: [1])
        #expect(eight.ndim == 8)
        do {
            _ = try Tensor(shape: Array(repeating: 1, count: 9), float64: [1])
            Issue.record("9 dimensions were accepted")
        } catch {
            #expect(error.code == .tooManyDimensions)
            #expect(error.details["ndim"] == .int(9))
            #expect(error.details["limit"] == .int(8))
        }
    }

    @Test func storageReportsDtypeAndWidensExactly() {
        let tensor = Tensor(float32: [Float(0.1), -Float.infinity])
        #expect(tensor.dtype == .float32)
        #expect(tensor.storage.doubles == [Double(Float(0.1)), -.infinity])
    }
}
