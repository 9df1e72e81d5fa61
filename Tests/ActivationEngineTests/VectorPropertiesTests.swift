import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// Every property the vector functions' metadata claims, checked through the engine against its
/// definition, for what the metadata's `propertiesOf` says the properties describe: yᵢ as a
/// function of xᵢ with the rest of the slice fixed at (0.3, −1.2); for the GLU family the output
/// as a function of its gated input (value input 1) and, separately, of its value input (gated
/// input 1), with either `gate` and each `approximate`. The range, and the bounded and sign
/// properties read from it, are checked over both halves' samples.
@Suite struct VectorPropertiesTests {
    static let vectorFunctions = ActivationFunction.allCases.filter { $0.kind == .vector }

    /// Every parameter set of a vector function: the defaults and each other choice.
    static let cases: [(ActivationFunction, [String: ParameterInput])] = vectorFunctions.flatMap { function in
        parameterSets(function).map { (function, $0) }
    }

    static func parameterSets(_ function: ActivationFunction) -> [[String: ParameterInput]] {
        guard VectorFunction.splitsAxis(function) else { return [[:]] }
        var sets: [[String: ParameterInput]] = [[:], ["gate": .string("first")]]
        if function == .geglu {
            sets += [["approximate": .string("tanh")], ["gate": .string("first"), "approximate": .string("tanh")]]
        }
        return sets
    }

    static let grid = (-6_000...6_000).map { Double($0) / 100 }
    static let far: [Double] = [1e3, 1e4, 1e6, 1e8]
    /// Symmetric about 0, increasing.
    static let ts = far.reversed().map { -$0 } + grid + far

    /// One output and its derivative along `ts`: `half` picks which input moves for the GLU
    /// family (the other held at 1); slice functions move x₀ of (x₀, 0.3, −1.2).
    static func component(
        _ function: ActivationFunction, _ parameters: [String: ParameterInput], gatedHalf: Bool
    ) throws -> (y: [Double], d: [Double]) {
        let n = ts.count
        let split = VectorFunction.splitsAxis(function)
        let gateFirst = parameters["gate"] == .string("first")
        let moving = split ? ((gatedHalf != gateFirst) ? 1 : 0) : 0
        let width = split ? 2 : 3
        var input: [Double] = []
        input.reserveCapacity(n * width)
        for t in ts {
            var row = split ? [1.0, 1.0] : [0, 0.3, -1.2]
            row[moving] = t
            input += row
        }
        let g = split ? [Double](repeating: 1, count: n) : ts.flatMap { _ in [1.0, 0, 0] }
        let result = try Engine().evaluate(Evaluation(
            function: function.name, parameters: parameters,
            input: Tensor(shape: [n, width], float64: input),
            gradOutput: Tensor(shape: [n, split ? 1 : 3], float64: g)))
        let values = try #require(result.values).storage.doubles
        let gradients = try #require(result.gradients).storage.doubles
        let y = (0..<n).map { values[$0 * (split ? 1 : 3)] }
        let d = (0..<n).map { gradients[$0 * width + moving] }
        return (y, d)
    }

    @Test(arguments: cases.indices)
    func claimedPropertiesHold(index: Int) throws {
        let (function, parameters) = Self.cases[index]
        let metadata = try #require(Catalogue.metadata(for: function))
        let name = "\(function.name) \(parameters)"
        var halves = [(metadata.properties, true, "gated half")]
        if let value = metadata.valueHalfProperties { halves.append((value, false, "value half")) }
        #expect((metadata.valueHalfProperties != nil) == VectorFunction.splitsAxis(function), "\(name)")
        #expect(!metadata.propertiesOf.isEmpty && metadata.propertiesOf != FunctionMetadata.elementwisePropertiesOf)
        var everything: [Double] = []
        for (claims, gated, half) in halves {
            let (y, d) = try Self.component(function, parameters, gatedHalf: gated)
            everything += y
            check(claims, y: y, d: d, "\(name) \(VectorFunction.splitsAxis(function) ? half : "yᵢ of xᵢ")")
        }
        // The range covers every output, and the bounded and sign properties read from it.
        let range = try #require(metadata.outputRange, "\(name) range \(metadata.range)")
        let low = everything.min()!, high = everything.max()!
        #expect(everything.allSatisfy { range.contains($0) || $0 == range.lower.value || $0 == range.upper.value }, "\(name): outputs [\(low), \(high)] outside \(metadata.range)")
        #expect(range.boundedBelow == (low > -1e6), "\(name) bounded_below: range \(metadata.range), minimum \(low)")
        #expect(range.boundedAbove == (high < 1e6), "\(name) bounded_above: range \(metadata.range), maximum \(high)")
        if range.boundedBelow { #expect((low - range.lower.value).magnitude < 1e-6, "\(name): lower end \(range.lower.value) not approached, \(low)") }
        if range.boundedAbove { #expect((high - range.upper.value).magnitude < 1e-6, "\(name): upper end \(range.upper.value) not approached, \(high)") }
        #expect(range.takesBothSigns == (low < 0 && high > 0), "\(name) takes_both_signs")
    }

    /// The definitions of ``PropertyKey`` applied to one component sampled along `ts`.
    func check(_ claims: FunctionProperties, y: [Double], d: [Double], _ name: String) {
        let ts = Self.ts
        let n = ts.count
        // zero_centered: odd symmetry.
        let odd = (0..<n).allSatisfy { (y[$0] + y[n - 1 - $0]).magnitude <= 1e-12 * max(1, y[$0].magnitude) }
        #expect(odd == claims.zeroCentered, "\(name) zero_centered")
        // monotonicity.
        let up = zip(y, y.dropFirst()).allSatisfy { $0 <= $1 }
        let down = zip(y, y.dropFirst()).allSatisfy { $0 >= $1 }
        #expect((up ? .increasing : down ? .decreasing : Monotonicity.none) == claims.monotonicity, "\(name) monotonicity")
        #expect(claims.monotonic == up, "\(name) monotonic (deprecated)")
        // vanishing_gradient and dying.
        let pairs = Array(zip(ts, d))
        let vanishing = Sides(negative: pairs.allSatisfy { $0.0 > -1e3 || $0.1.magnitude <= 1e-6 },
                              positive: pairs.allSatisfy { $0.0 < 1e3 || $0.1.magnitude <= 1e-6 })
        #expect(vanishing == claims.vanishingGradient, "\(name) vanishing_gradient: sampled \(vanishing.rawValue)")
        #expect(claims.saturating == (vanishing != .none), "\(name) saturating (deprecated)")
        // Dying: f' = 0 exactly at every sampled t beyond 10 on that side, where every f' that is
        // not 0 is still representable (the tanh form of gelu underflows to 0 beyond t ≈ −27).
        let dying = Sides(negative: pairs.allSatisfy { $0.0 > -10 || $0.1 == 0 },
                          positive: pairs.allSatisfy { $0.0 < 10 || $0.1 == 0 })
        #expect(dying == claims.dying, "\(name) dying: sampled \(dying.rawValue)")
        // Differentiability: jumps of f' between grid neighbours 0.01 apart larger than 0.05
        // (|f''| < 1 for all of them; sparsemax and reglu jump by at least 0.5), grouped.
        let gridStart = Self.far.count
        var jumps: [Double] = []
        for i in (gridStart + 1)..<(gridStart + Self.grid.count) where abs(d[i] - d[i - 1]) > 0.05 {
            if let last = jumps.last, ts[i] - last < 0.05 { continue }
            jumps.append(ts[i])
        }
        #expect(jumps.count == claims.notDifferentiableAt.count, "\(name): f' jumps at \(jumps), claimed \(claims.notDifferentiableAt)")
        for (claim, jump) in zip(claims.notDifferentiableAt, jumps) {
            if let equals = claim.firstIndex(of: "="), let at = Double(claim[claim.index(after: equals)...].filter { $0 != " " }) {
                #expect(abs(at - jump) <= 0.011, "\(name): claimed \(claim), f' jumps at \(jump)")
            }
        }
        #expect(claims.continuousDerivative == jumps.isEmpty, "\(name) continuous_derivative")
        let second = (gridStart + 1..<gridStart + Self.grid.count).map { (d[$0] - d[$0 - 1]) / 0.01 }
        let secondJump = zip(second, second.dropFirst()).map { abs($1 - $0) }.max()!
        #expect(claims.smooth == (jumps.isEmpty && secondJump < 0.05), "\(name) smooth: largest jump of f'' \(secondJump)")
        // self_gated: y = t·g(t) with g in [0, 1], shut far left, open far right.
        let gates = zip(ts, y).filter { $0.0 != 0 }.map { (t: $0.0, g: $0.1 / $0.0) }
        let gated = gates.allSatisfy { $0.g >= -1e-12 && $0.g <= 1 + 1e-12 }
            && gates.allSatisfy { $0.t > -1e3 || $0.g <= 1e-6 } && gates.allSatisfy { $0.t < 1e3 || $0.g >= 1 - 1e-6 }
        #expect(gated == claims.selfGated, "\(name) self_gated")
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
