import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Vector functions along every axis of an N-D tensor, negative axes included: each slice of the
/// N-D result must equal the function of that slice evaluated as a 1-D tensor.
@Suite struct AxisTests {
    let shape = [2, 4, 6]

    /// The flat indices of slice `s` along `axis`.
    func sliceIndices(shape: [Int], axis: Int, slice s: Int) -> [Int] {
        let inner = shape[(axis + 1)...].reduce(1, *)
        let length = shape[axis]
        let o = s / inner, i = s % inner
        return (0..<length).map { k in (o * length + k) * inner + i }
    }

    @Test(arguments: ["softmax", "log_softmax", "softmin", "sparsemax", "glu", "swiglu"], [-3, -2, -1, 0, 1, 2])
    func slicesMatchOneDimensionalEvaluations(function: String, axis: Int) throws {
        let input = patterned(shape)
        let x = input.storage.doubles
        let positive = axis < 0 ? axis + shape.count : axis
        let split = function == "glu" || function == "swiglu"
        var outputShape = shape
        if split { outputShape[positive] /= 2 }
        let g = patterned(outputShape, scale: 1.5)
        let result = try Engine().evaluate(Evaluation(function: function, axis: axis, input: input, gradOutput: g))
        #expect(result.shape == outputShape)
        #expect(result.values?.shape == outputShape)
        #expect(result.gradients?.shape == shape)
        let y = try #require(result.values).storage.doubles
        let dx = try #require(result.gradients).storage.doubles
        let slices = x.count / shape[positive]
        for s in 0..<slices {
            let inIdx = sliceIndices(shape: shape, axis: positive, slice: s)
            let outIdx = sliceIndices(shape: outputShape, axis: positive, slice: s)
            let single = try Engine().evaluate(Evaluation(
                function: function, input: Tensor(inIdx.map { x[$0] }),
                gradOutput: Tensor(outIdx.map { g.storage.doubles[$0] })))
            #expect(outIdx.map { y[$0] } == single.values?.storage.doubles)
            #expect(inIdx.map { dx[$0] } == single.gradients?.storage.doubles)
        }
    }

    @Test func scalarIsASliceOfOne() throws {
        let scalar = try Tensor(shape: [], float64: [7.5])
        let softmax = try Engine().evaluate(Evaluation(function: "softmax", input: scalar))
        #expect(softmax.shape == [])
        #expect(softmax.values?.storage.doubles == [1])
        let log = try Engine().evaluate(Evaluation(function: "log_softmax", input: scalar))
        #expect(log.values?.storage.doubles == [0])
        #expect(log.gradients?.storage.doubles == [0])
    }

    @Test func emptyTensorsGiveEmptyResults() throws {
        let empty = try Tensor(shape: [3, 0], float64: [])
        let result = try Engine().evaluate(Evaluation(function: "softmax", axis: 0, input: empty))
        #expect(result.values?.shape == [3, 0])
        #expect(result.values?.count == 0)
        let glu = try Engine().evaluate(Evaluation(function: "glu", axis: 1, input: empty))
        #expect(glu.shape == [3, 0])
    }

    @Test func valuesOnlySkipsGradients() throws {
        let result = try Engine().evaluate(Evaluation(function: "softmax", input: patterned([4]), outputs: .values))
        #expect(result.values != nil)
        #expect(result.gradients == nil)
        let gradientsOnly = try Engine().evaluate(
            Evaluation(function: "sparsemax", input: patterned([4]), outputs: .gradients))
        #expect(gradientsOnly.values == nil)
        #expect(gradientsOnly.gradients?.count == 4)
    }
}
