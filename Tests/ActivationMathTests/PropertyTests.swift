import Testing
@testable import ActivationMath

/// Every property the metadata claims, checked against its definition (``PropertyKey/definition``)
/// by sampling the engine's elementwise loop, at the default parameters and at the non-default
/// parameter sets below, both ways: a claim must hold everywhere sampled, and a property claimed
/// absent must be shown absent by a witness (a decreasing pair, an asymmetric pair, a far slope
/// that does not vanish, a derivative that jumps, ...). The range is checked against the samples,
/// and the bounded and sign properties are read from it.
@Suite struct PropertyTests {
    @Test("claims at the defaults hold", arguments: EngineSampling.elementwise)
    func defaults(function: ActivationFunction) throws {
        let metadata = try #require(Catalogue.metadata(for: function), "\(function.name): no metadata")
        let sample = check(PropertyCase(metadata: metadata, parameters: Self.defaults(metadata)))
        // At the defaults the old `zero_centered` (f(0) = 0 and both signs) is `takes_both_signs`
        // for every elementwise function, so clients of the old meaning lose nothing.
        let old = sample.valueAtZero == 0 && sample.takesBothSigns
        #expect(old == metadata.outputRange?.takesBothSigns, "\(function.name): old zero_centered \(old)")
    }

    @Test("claims at other parameters hold", arguments: PropertyCase.nonDefault)
    func nonDefaults(_ propertyCase: PropertyCase) {
        check(propertyCase)
    }

    /// Every elementwise function with a numeric or choice parameter has at least one set here.
    @Test func everyParameterisedFunctionHasANonDefaultSet() {
        let covered = Set(PropertyCase.nonDefault.map(\.function))
        for metadata in Catalogue.all where metadata.kind == .elementwise && !metadata.parameters.isEmpty {
            #expect(covered.contains(metadata.function), "\(metadata.name)")
        }
    }

    @discardableResult
    func check(_ c: PropertyCase) -> FunctionSample {
        let sample = FunctionSample(c.function, parameters: c.resolved)
        let p = c.properties
        let name = c.description
        // zero_centered: odd symmetry.
        #expect(sample.odd == p.zeroCentered, "\(name) zero_centered: claim \(p.zeroCentered), largest |f(x) + f(-x)| \(sample.oddityWitness)")
        // monotonicity.
        #expect(sample.monotonicity == p.monotonicity, "\(name) monotonicity: claim \(p.monotonicity), sampled \(sample.monotonicity)")
        // vanishing_gradient and dying, per side.
        #expect(sample.vanishing == p.vanishingGradient, "\(name) vanishing_gradient: claim \(p.vanishingGradient.rawValue), |f'| far left \(sample.farLeftSlopes), far right \(sample.farRightSlopes)")
        #expect(sample.dying == p.dying, "\(name) dying: claim \(p.dying.rawValue), sampled \(sample.dying.rawValue)")
        // differentiable and not_differentiable_at: every claimed point is a corner or a jump, and
        // every jump of f' on the fine grid is next to a claimed point.
        let points = p.notDifferentiableAt.compactMap(PropertyCase.coordinate)
        #expect(points.count == p.notDifferentiableAt.count, "\(name): unreadable points \(p.notDifferentiableAt)")
        for point in points {
            #expect(sample.notDifferentiable(at: point), "\(name): claimed not differentiable at \(point), but f' is continuous there")
        }
        for jump in sample.derivativeJumps {
            #expect(points.contains { abs($0 - jump) <= 1e-3 }, "\(name): f' jumps at \(jump), not listed in not_differentiable_at \(p.notDifferentiableAt)")
        }
        #expect(p.differentiable == points.isEmpty)
        #expect(p.continuousDerivative == (sample.continuousDerivative && p.differentiable), "\(name) continuous_derivative: claim \(p.continuousDerivative), largest relative jump of f' \(sample.derivativeJump.size) at \(sample.derivativeJump.at)")
        #expect(p.smooth == (sample.smooth && p.continuousDerivative), "\(name) smooth: claim \(p.smooth), largest relative jump of f'' \(sample.secondDerivativeJump.size) at \(sample.secondDerivativeJump.at)")
        #expect(sample.selfGated == p.selfGated, "\(name) self_gated: claim \(p.selfGated), gate range [\(sample.gateRange.0), \(sample.gateRange.1)], far gates \(sample.farGates)")
        // The range, and the properties read from it.
        guard let range = OutputRange(parsing: c.range) else {
            Issue.record("\(name): range \(c.range) does not parse")
            return sample
        }
        #expect(sample.fits(range), "\(name) range \(c.range): sampled [\(sample.minimum), \(sample.maximum)]")
        #expect(sample.takesBothSigns == range.takesBothSigns, "\(name) takes_both_signs: range \(c.range), sampled [\(sample.minimum), \(sample.maximum)]")
        #expect(sample.boundedBelow == range.boundedBelow, "\(name) bounded_below: range \(c.range), minimum \(sample.minimum)")
        #expect(sample.boundedAbove == range.boundedAbove, "\(name) bounded_above: range \(c.range), maximum \(sample.maximum)")
        // The deprecated booleans keep their old definitions.
        #expect(p.monotonic == sample.nonDecreasing, "\(name) monotonic (deprecated)")
        #expect(p.saturating == (sample.vanishing != .none), "\(name) saturating (deprecated)")
        return sample
    }

    /// The points listed at the defaults are among the kinks (whose conventions the metadata gives).
    @Test(arguments: EngineSampling.elementwise)
    func pointsAreKinks(function: ActivationFunction) throws {
        let metadata = try #require(Catalogue.metadata(for: function))
        let kinks = metadata.kinks.map(\.locationAtDefaults)
        for point in metadata.properties.notDifferentiableAt.compactMap(PropertyCase.coordinate) {
            #expect(kinks.contains(point), "\(function.name): \(point) is not among the kinks \(kinks)")
        }
    }

    /// The default parameters from the metadata. Parameters without a default (threshold's
    /// `threshold` and `value`) take 0, where the metadata states threshold's properties.
    static func defaults(_ metadata: FunctionMetadata) -> [String: ParameterValue] {
        var values: [String: ParameterValue] = [:]
        for spec in metadata.parameters {
            switch spec.requirement {
            case .defaulted(let value): values[spec.name] = value
            case .required: values[spec.name] = .number(0)
            case .optional: break
            }
        }
        return values
    }

    /// The checks themselves, on functions known to be each thing: they must tell both answers
    /// apart (otherwise the tests above could not fail).
    @Test func checksDistinguishBothAnswers() {
        let relu = FunctionSample(.relu, parameters: ResolvedParameters())
        #expect(relu.monotonicity == .increasing && !relu.odd && relu.boundedBelow && !relu.boundedAbove)
        #expect(relu.vanishing == .negative && relu.dying == .negative && relu.selfGated)
        #expect(relu.notDifferentiable(at: 0) && !relu.notDifferentiable(at: 1))
        #expect(relu.derivativeJumps.count == 1 && relu.derivativeJumps[0].magnitude < 1e-3)
        let sigmoid = FunctionSample(.sigmoid, parameters: ResolvedParameters())
        #expect(!sigmoid.odd && sigmoid.vanishing == .both && sigmoid.dying == .none && sigmoid.smooth)
        #expect(!sigmoid.notDifferentiable(at: 0) && sigmoid.derivativeJumps.isEmpty)
        let tanh = FunctionSample(.tanh, parameters: ResolvedParameters())
        #expect(tanh.odd && tanh.takesBothSigns)
        let gelu = FunctionSample(.gelu, parameters: ResolvedParameters(["approximate": .choice("none")]))
        #expect(gelu.monotonicity == .none && !gelu.odd && gelu.takesBothSigns && gelu.selfGated)
        let relu6 = FunctionSample(.relu6, parameters: ResolvedParameters())
        #expect(relu6.dying == .both && relu6.vanishing == .both)
        let cut = FunctionSample(.softplus, parameters: ResolvedParameters(["beta": .number(1), "threshold": .number(20)]))
        #expect(cut.notDifferentiable(at: 20) && !cut.notDifferentiable(at: 19))
        #expect(OutputRange(parsing: "[0, 1)")?.contains(1) == false && OutputRange(parsing: "[0, inf]") == nil)
    }
}
