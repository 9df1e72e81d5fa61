import Testing
@testable import ActivationMath

/// The kinks each function's metadata lists agree with the reference vectors: the derivative
/// PyTorch's and JAX's conventions take there (issue 2 §2, docs/numerical-conventions.md §7), and every
/// point where the two conventions differ is listed.
@Suite struct KinkConventionTests {
    /// The float64 table at the default parameters.
    static func defaults(_ function: ActivationFunction) -> [String: [Double]]? {
        ReferenceData.cases(for: function, dtype: "f64").first { $0.parameterSet == 0 }
            .map { $0.load(as: Double.self) }
    }

    @Test("metadata kinks take the reference's convention values", arguments: EngineSampling.elementwise)
    func metadataKinks(function: ActivationFunction) {
        guard let metadata = Catalogue.metadata(for: function) else { return }
        guard let table = Self.defaults(function), let xs = table["x"], let d = table["d"] else {
            Issue.record("\(function.name): no float64 reference at the defaults")
            return
        }
        let dj = table["dj"] ?? d
        for kink in metadata.kinks {
            guard let i = xs.firstIndex(of: kink.locationAtDefaults) else {
                Issue.record("\(function.name): kink \(kink.location) = \(kink.locationAtDefaults) is not a reference point")
                continue
            }
            #expect(kink.pytorchAtDefaults == d[i], "\(function.name) at \(kink.location): PyTorch's \(kink.pytorchAtDefaults), reference \(d[i])")
            #expect(kink.jaxAtDefaults == dj[i], "\(function.name) at \(kink.location): JAX's \(kink.jaxAtDefaults), reference \(dj[i])")
        }
        for i in xs.indices where d[i] != dj[i] && !(d[i].isNaN && dj[i].isNaN) {
            #expect(metadata.kinks.contains { $0.locationAtDefaults == xs[i] },
                    "\(function.name): conventions differ at x = \(xs[i]) but the metadata lists no kink there")
        }
    }

    /// The engine's derivative at each listed kink is the convention's value, for both
    /// conventions (the accuracy tests cover the same points; this names the failure plainly).
    @Test("engine takes each convention's value at the kinks", arguments: EngineSampling.elementwise)
    func engineAtKinks(function: ActivationFunction) {
        guard let metadata = Catalogue.metadata(for: function),
            let reference = ReferenceData.cases(for: function, dtype: "f64").first(where: { $0.parameterSet == 0 })
        else { return }
        for kink in metadata.kinks {
            let x = kink.locationAtDefaults
            let torch = ElementwiseEvaluator.derivative(function, parameters: reference.resolved, convention: .pytorch, at: x)
            let jax = ElementwiseEvaluator.derivative(function, parameters: reference.resolved, convention: .jax, at: x)
            #expect(torch == kink.pytorchAtDefaults, "\(function.name)'(\(x)) pytorch: \(torch)")
            #expect(jax == kink.jaxAtDefaults, "\(function.name)'(\(x)) jax: \(jax)")
        }
    }
}
