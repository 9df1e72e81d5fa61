import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Every property the vector functions' metadata claims, checked on a grid with the meaning
/// VectorMetadata.swift documents: one output as a function of one input along a slice — yᵢ of
/// xᵢ with the rest of the slice fixed at (0.3, −1.2); for the GLU family the output of its gated
/// input with the linear input fixed at 1.
@Suite struct VectorPropertiesTests {
    static let vectorFunctions = ActivationFunction.allCases.filter { $0.kind == .vector }

    /// (f(t), f'(t)) of the component the metadata describes.
    func component(_ function: ActivationFunction, _ t: Double) throws -> (Double, Double) {
        let split = VectorFunction.splitsAxis(function)
        let x = split ? [1, t] : [t, 0.3, -1.2]
        let g = split ? [1.0] : [1, 0, 0]
        let result = try Engine().evaluate(Evaluation(function: function.name, input: Tensor(x), gradOutput: Tensor(g)))
        let y = try #require(result.values).storage.doubles[0]
        let dx = try #require(result.gradients).storage.doubles[split ? 1 : 0]
        return (y, dx)
    }

    @Test(arguments: vectorFunctions)
    func claimedPropertiesHold(function: ActivationFunction) throws {
        let metadata = try #require(Catalogue.metadata(for: function))
        let claims = metadata.properties
        let grid = stride(from: -60.0, through: 60.0, by: 0.01).map { $0 }
        var points: [(t: Double, y: Double, d: Double)] = []
        for t in grid {
            let (y, d) = try component(function, t)
            points.append((t, y, d))
        }
        let ys = points.map(\.y)
        let nonDecreasing = zip(ys, ys.dropFirst()).allSatisfy { $0 <= $1 }
        #expect(nonDecreasing == claims.monotonic, "monotonic")

        let atZero = try component(function, 0).0
        let bothSigns = ys.contains { $0 < 0 } && ys.contains { $0 > 0 }
        #expect((atZero == 0 && bothSigns) == claims.zeroCentered, "zero-centred")

        // Bounded: stays within [−1, 1] on that side; unbounded: passes ±50 on the grid.
        if claims.boundedBelow { #expect(ys.min()! >= -1, "bounded below") } else { #expect(ys.min()! < -50) }
        if claims.boundedAbove { #expect(ys.max()! <= 1, "bounded above") } else { #expect(ys.max()! > 50) }

        // Continuous derivative: no jump between neighbours 0.01 apart larger than 0.05 (|f''| < 1
        // for all of them; sparsemax and reglu jump by at least 0.5).
        let ds = points.map(\.d)
        let largestJump = zip(ds, ds.dropFirst()).map { abs($1 - $0) }.max()!
        #expect((largestJump < 0.05) == claims.continuousDerivative, "continuous derivative")
        if claims.smooth { #expect(claims.continuousDerivative) }

        let saturates = abs(ds.first!) < 1e-9 || abs(ds.last!) < 1e-9
        #expect(saturates == claims.saturating, "saturating")
        #expect(!claims.selfGated)
        #expect(metadata.kind == .vector)
    }

    @Test func everyVectorFunctionHasMetadata() {
        for function in Self.vectorFunctions {
            let metadata = Catalogue.metadata(for: function)
            #expect(metadata != nil, "\(function.name)")
            #expect(metadata?.notes.isEmpty == false)
        }
        #expect(Catalogue.metadata(for: .geglu)?.parameters.map(\.name) == ["gate", "approximate"])
    }
}
