import Testing
@testable import ActivationMath

/// Helpers for the piecewise tests, in a namespace so they cannot collide with other suites'.
enum PW {
    static let functions: [ActivationFunction] = [
        .identity, .relu, .leakyReLU, .prelu, .rrelu, .relu6, .leakyReLU6, .hardtanh,
        .hardSigmoid, .hardSwish, .hardshrink, .softshrink, .threshold, .sparsePlus,
        .sparseSigmoid, .reluSquared, .starReLU, .softsign, .squareplus,
    ]

    static func parameters(_ numbers: [String: Double]) -> ResolvedParameters {
        ResolvedParameters(numbers.mapValues { .number($0) })
    }

    /// The defaults from the metadata; threshold's required parameters at 0 (where it is relu),
    /// the point its metadata describes.
    static func defaults(_ function: ActivationFunction) -> ResolvedParameters {
        var resolved = ResolvedParameters()
        for spec in Catalogue.metadata(for: function)?.parameters ?? [] {
            switch spec.requirement {
            case .defaulted(let value): resolved[spec.name] = value
            case .required: resolved[spec.name] = .number(0)
            case .optional: break
            }
        }
        return resolved
    }

    static func value(
        _ f: ActivationFunction, _ p: ResolvedParameters? = nil, _ c: KinkConvention = .pytorch,
        _ x: Double
    ) -> Double {
        ElementwiseEvaluator.value(f, parameters: p ?? defaults(f), convention: c, at: x)
    }

    static func derivative(
        _ f: ActivationFunction, _ p: ResolvedParameters? = nil, _ c: KinkConvention = .pytorch,
        _ x: Double
    ) -> Double {
        ElementwiseEvaluator.derivative(f, parameters: p ?? defaults(f), convention: c, at: x)
    }

    /// Value, derivative and parameter partials from one pass of the engine's loop (the
    /// valueAndDerivative path).
    static func combined(
        _ f: ActivationFunction, _ p: ResolvedParameters? = nil, _ c: KinkConvention = .pytorch,
        _ x: Double
    ) -> (value: Double, derivative: Double, partials: (Double, Double)) {
        var input = x
        var value = Double.nan
        var gradient = Double.nan
        var sums = ParameterGradientSums()
        withUnsafePointer(to: &input) { i in
            withUnsafeMutablePointer(to: &value) { v in
                withUnsafeMutablePointer(to: &gradient) { g in
                    let buffers = ElementwiseBuffers(
                        input: UnsafeBufferPointer(start: i, count: 1),
                        values: UnsafeMutableBufferPointer(start: v, count: 1),
                        gradients: UnsafeMutableBufferPointer(start: g, count: 1),
                        wantsParameterGradients: true)
                    sums = ElementwiseEvaluator.run(f, parameters: p ?? defaults(f), convention: c, buffers)
                }
            }
        }
        return (value, gradient, sums.sums)
    }

    static func isNegativeZero(_ x: Double) -> Bool { x == 0 && x.sign == .minus }
    static func isPositiveZero(_ x: Double) -> Bool { x == 0 && x.sign == .plus }

    /// The error of `computed` in units of the float64 spacing at `reference` (for a reference of
    /// 0, in units of the smallest subnormal).
    static func ulps(_ computed: Double, _ reference: Float80) -> Double {
        let rounded = Double(reference)
        let unit = rounded == 0 ? Double.leastNonzeroMagnitude : rounded.magnitude.ulp
        return Double(abs(Float80(computed) - reference) / Float80(unit))
    }

    /// A grid over the interesting part of the line plus magnitudes up to the largest finite.
    static let grid: [Double] = {
        var xs = stride(from: -8.0, through: 8.0, by: 1.0 / 64).map { $0 }
        for e in stride(from: -300, through: 300, by: 25) {
            let m = Double(sign: .plus, exponent: e, significand: 1.2345)
            xs += [m, -m]
        }
        xs += [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
               -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude, 0, -0.0]
        return xs
    }()
}

@Suite("Piecewise metadata")
struct PiecewiseMetadataTests {
    @Test func everyPiecewiseFunctionHasOneCompleteEntry() {
        for function in PW.functions {
            let entries = Catalogue.piecewiseMetadata.filter { $0.function == function }
            #expect(entries.count == 1, "\(function.name)")
            guard let entry = entries.first else { continue }
            #expect(!entry.summary.isEmpty && !entry.formula.isEmpty && !entry.formulaLatex.isEmpty)
            #expect(!entry.derivative.isEmpty && !entry.derivativeLatex.isEmpty)
            #expect(!entry.range.isEmpty && !entry.reference.isEmpty && !entry.notes.isEmpty)
            #expect(entry.kind == .elementwise)
            #expect(Catalogue.metadata(for: function)?.name == function.name)
        }
        #expect(Catalogue.piecewiseMetadata.count == PW.functions.count)
    }

    @Test func kinkValuesAreWhatTheKernelsReturn() {
        for entry in Catalogue.piecewiseMetadata {
            for kink in entry.kinks {
                let x = kink.locationAtDefaults
                let pytorch = PW.derivative(entry.function, nil, .pytorch, x)
                let jax = PW.derivative(entry.function, nil, .jax, x)
                #expect(pytorch == kink.pytorchAtDefaults, "\(entry.name) at \(kink.location)")
                #expect(jax == kink.jaxAtDefaults, "\(entry.name) at \(kink.location)")
                // A kink is where the one-sided derivatives differ or the conventions do.
                let left = PW.derivative(entry.function, nil, .pytorch, x.nextDown.nextDown)
                let right = PW.derivative(entry.function, nil, .pytorch, x.nextUp.nextUp)
                #expect(left != right || pytorch != jax, "\(entry.name) at \(kink.location)")
            }
        }
    }

    @Test func learnableParametersMatchThePartials() {
        let learnable = Catalogue.piecewiseMetadata.filter { !$0.learnableParameters.isEmpty }
        #expect(Set(learnable.map(\.function)) == [.prelu, .starReLU])
        #expect(Catalogue.metadata(for: .starReLU)?.learnableParameters.map(\.name) == ["scale", "bias"])
        #expect(Catalogue.metadata(for: .prelu)?.learnableParameters.first?.kind == .numberOrPerChannel)
        // Non-learnable functions report zero partials.
        for function in PW.functions where !learnable.map(\.function).contains(function) {
            let partials = PW.combined(function, nil, .pytorch, -1.5).partials
            #expect(partials == (0, 0), "\(function.name)")
        }
    }

    @Test func defaultsLieWithinTheirBounds() {
        for entry in Catalogue.piecewiseMetadata {
            for spec in entry.parameters {
                guard case .defaulted(.number(let value)) = spec.requirement else { continue }
                if let lower = spec.lowerBound {
                    #expect(lower.inclusive ? value >= lower.value : value > lower.value, "\(entry.name)")
                }
                if let upper = spec.upperBound {
                    #expect(upper.inclusive ? value <= upper.value : value < upper.value, "\(entry.name)")
                }
            }
        }
        #expect(Catalogue.metadata(for: .rrelu)?.constraints == [.lessThanOrEqual("lower", "upper")])
        #expect(Catalogue.metadata(for: .hardtanh)?.constraints == [.lessThan("min_val", "max_val")])
    }

    @Test func claimedShapePropertiesHoldOnAGrid() throws {
        for entry in Catalogue.piecewiseMetadata {
            let values = PW.grid.sorted().map { PW.value(entry.function, nil, .pytorch, $0) }
            let p = entry.properties
            let range = try #require(entry.outputRange, "\(entry.name) range")
            let nonDecreasing = zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }
            #expect(p.monotonic == nonDecreasing, "\(entry.name) monotonic")
            if p.zeroCentered {
                #expect(PW.value(entry.function, nil, .pytorch, 0) == 0, "\(entry.name)")
                #expect(values.contains { $0 < 0 } && values.contains { $0 > 0 }, "\(entry.name)")
            }
            if range.boundedAbove { #expect(values.allSatisfy { $0 <= 6 }, "\(entry.name)") }
            if range.boundedBelow { #expect(values.allSatisfy { $0 >= -1 }, "\(entry.name)") }
            if !range.boundedAbove { #expect(values.contains { $0 > 1e100 }, "\(entry.name)") }
            if !range.boundedBelow { #expect(values.contains { $0 < -1e100 }, "\(entry.name)") }
            let farLeft = PW.derivative(entry.function, nil, .pytorch, -1e300)
            let farRight = PW.derivative(entry.function, nil, .pytorch, 1e300)
            #expect(p.saturating == (abs(farLeft) < 1e-12 || abs(farRight) < 1e-12), "\(entry.name)")
        }
    }
}
