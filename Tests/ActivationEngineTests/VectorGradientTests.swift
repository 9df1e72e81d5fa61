import Testing
@testable import ActivationEngine
@testable import ActivationMath

/// The VJPs against central finite differences of the engine's own values: for a random g,
/// (Jᵀg)ᵢ ≈ (⟨g, f(x + hεᵢ)⟩ − ⟨g, f(x − hεᵢ)⟩) / 2h, away from sparsemax's and reglu's kinks.
@Suite struct VectorGradientTests {
    static let functions = ["softmax", "log_softmax", "softmin", "sparsemax", "glu", "reglu", "geglu", "swiglu"]

    func values(_ function: String, _ x: [Double], _ parameters: [String: ParameterInput]) throws -> [Double] {
        let evaluation = Evaluation(function: function, parameters: parameters, input: Tensor(x), outputs: .values)
        return try #require(Engine().evaluate(evaluation).values).storage.doubles
    }

    @Test(arguments: functions)
    func vjpMatchesFiniteDifferences(function: String) throws {
        // Generic points: no ties, sparsemax supports of 3, no relu input near 0.
        let x = [0.61, -0.37, 0.93, 0.12, -1.45, 0.77]
        let g = [0.3, -1.1, 0.7, 0.25, -0.4, 1.3]
        let split = ["glu", "reglu", "geglu", "swiglu"].contains(function)
        let outputG = split ? Array(g.prefix(3)) : g
        for gate in split ? ["second", "first"] : [""] {
            let parameters: [String: ParameterInput] = gate.isEmpty ? [:] : ["gate": .string(gate)]
            let result = try Engine().evaluate(Evaluation(
                function: function, parameters: parameters, input: Tensor(x), gradOutput: Tensor(outputG)))
            let vjp = try #require(result.gradients).storage.doubles
            let h = 1e-6
            for i in x.indices {
                var plus = x, minus = x
                plus[i] += h
                minus[i] -= h
                let fp = try values(function, plus, parameters), fm = try values(function, minus, parameters)
                let numeric = zip(outputG, zip(fp, fm)).map { $0 * ($1.0 - $1.1) }.reduce(0, +) / (2 * h)
                #expect(abs(numeric - vjp[i]) <= 1e-7 * max(1, abs(numeric)), "\(function) \(gate) ∂/∂x\(i)")
            }
        }
    }

    @Test func softmaxGradientWithUnitUpstreamVanishes() throws {
        // Σ yᵢ = 1, so Jᵀ·1 = y ⊙ (1 − 1) = 0: the compensated dot product gets it exactly.
        let result = try Engine().evaluate(Evaluation(function: "softmax", input: Tensor([0.3, 2.0, -1.0])))
        #expect(try #require(result.gradients).storage.doubles.allSatisfy { abs($0) <= 1e-17 })
    }
}
