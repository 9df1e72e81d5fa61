import Testing
@testable import ActivationMath

/// The metadata of the thirteen transcendental functions agrees with their kernels: every entry
/// exists once, defaults bind a kernel, learnable parameters are listed in the order of
/// `parameterPartials`, bounds are the ones the kernels rely on, and each listed kink is the
/// kernel's derivative there under both conventions.
@Suite struct TranscendentalMetadataTests {
    static let functions: [ActivationFunction] = [
        .elu, .selu, .celu, .gelu, .sigmoid, .logSigmoid, .tanh, .softplus, .swish, .mish,
        .tanhshrink, .exponential, .snake,
    ]

    @Test func everyFunctionHasOneCompleteEntry() {
        let entries = Catalogue.transcendentalMetadata
        #expect(entries.map(\.function).sorted { $0.name < $1.name }
                == Self.functions.sorted { $0.name < $1.name })
        for entry in entries {
            #expect(!entry.summary.isEmpty && !entry.formula.isEmpty && !entry.formulaLatex.isEmpty)
            #expect(!entry.derivative.isEmpty && !entry.derivativeLatex.isEmpty, "\(entry.name)")
            #expect(!entry.reference.isEmpty && !entry.notes.isEmpty && entry.year > 1800, "\(entry.name)")
            #expect(entry.range.hasPrefix("(") || entry.range.hasPrefix("["), "\(entry.name) range \(entry.range)")
        }
    }

    @Test func learnableParametersMatchThePartials() {
        let learnable = Dictionary(uniqueKeysWithValues: Catalogue.transcendentalMetadata.map {
            ($0.function, $0.learnableParameters.map(\.name))
        })
        #expect(learnable[.swish] == ["beta"])
        #expect(learnable[.snake] == ["alpha"])
        for function in Self.functions where function != .swish && function != .snake {
            #expect(learnable[function] == [], "\(function.name)")
        }
    }

    /// Parameters a kernel divides by or takes the logarithm against are bounded away from 0.
    @Test func positiveParametersAreExclusiveAtZero() throws {
        for (function, name) in [(ActivationFunction.celu, "alpha"), (.snake, "alpha"), (.softplus, "beta")] {
            let spec = try #require(Catalogue.metadata(for: function)?.parameters.first { $0.name == name })
            #expect(spec.lowerBound == ParameterSpec.Bound(0, inclusive: false), "\(function.name).\(name)")
        }
        let threshold = try #require(Catalogue.metadata(for: .softplus)?.parameters.first { $0.name == "threshold" })
        #expect(threshold.requirement == .optional)
        let approximate = try #require(Catalogue.metadata(for: .gelu)?.parameters.first)
        #expect(approximate.kind == .choice(["none", "tanh"]) && approximate.requirement == .defaulted(.choice("none")))
    }

    /// The listed kinks are where the kernels take each convention's value.
    @Test func kinksMatchTheKernels() throws {
        for entry in Catalogue.transcendentalMetadata {
            var values: [String: ParameterValue] = [:]
            for spec in entry.parameters {
                if case .defaulted(let value) = spec.requirement { values[spec.name] = value }
            }
            for kink in entry.kinks {
                for convention in KinkConvention.allCases {
                    let d = ElementwiseEvaluator.derivative(
                        entry.function, parameters: ResolvedParameters(values), convention: convention,
                        at: kink.locationAtDefaults)
                    let expected = convention == .pytorch ? kink.pytorchAtDefaults : kink.jaxAtDefaults
                    #expect(d == expected, "\(entry.name)'(\(kink.locationAtDefaults)) \(convention): \(d)")
                }
            }
        }
        #expect(Catalogue.metadata(for: .selu)?.kinks.count == 1)
        #expect(Catalogue.metadata(for: .celu)?.kinks.isEmpty == true)
    }

    /// The ranges' finite ends are the functions' extremes at the defaults.
    @Test func statedMinimaAreAttained() {
        let minima: [(ActivationFunction, Double, Double)] = [
            (.swish, -1.2784645427610737, -0.2784645427610738),
            (.gelu, -0.7517915246935645, -0.16997120747990366),
            (.mish, -1.1924312145154952, -0.30884341301725043),
        ]
        for (function, at, minimum) in minima {
            let parameters = ResolvedParameters(["beta": .number(1), "approximate": .choice("none")])
            let value = ElementwiseEvaluator.value(function, parameters: parameters, at: at)
            #expect(ulpDistance(value, minimum) <= 2, "\(function.name)(\(at)) = \(value)")
            #expect(Catalogue.metadata(for: function)?.range.hasPrefix("[\(minimum)") == true)
        }
    }
}
