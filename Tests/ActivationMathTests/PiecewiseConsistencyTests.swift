import Testing
@testable import ActivationMath

/// The three entry points of every kernel agree, and the Float instantiation (which the engine
/// does not use, but the kernels are written for) agrees with the Double one.
@Suite("Piecewise kernel consistency")
struct PiecewiseConsistencyTests {
    static let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, 3, -3, 6, 0.5, -0.5]

    @Test(arguments: PW.functions)
    func valueDerivativeAndCombinedAgree(_ function: ActivationFunction) {
        for convention in KinkConvention.allCases {
            for x in PW.grid + Self.specials {
                let value = PW.value(function, nil, convention, x)
                let derivative = PW.derivative(function, nil, convention, x)
                let combined = PW.combined(function, nil, convention, x)
                if x.isNaN {
                    #expect(value.isNaN && derivative.isNaN && combined.value.isNaN && combined.derivative.isNaN)
                    continue
                }
                #expect(!value.isNaN && !derivative.isNaN, "\(function.name) at \(x)")
                #expect(value == combined.value || (value.isNaN && combined.value.isNaN), "\(function.name) at \(x)")
                #expect(derivative == combined.derivative, "\(function.name) at \(x)")
                #expect(value.sign == combined.value.sign || value != 0, "\(function.name) at \(x)")
            }
        }
    }

    @Test func derivativesMatchFiniteDifferencesAwayFromKinks() {
        let kinkFree: (ActivationFunction, Double) -> Bool = { function, x in
            let kinks = Catalogue.metadata(for: function)?.kinks.map(\.locationAtDefaults) ?? []
            return kinks.allSatisfy { abs($0 - x) > 1e-3 } && abs(abs(x) - 1) > 1e-3
        }
        for function in PW.functions {
            for x in stride(from: -7.9, through: 7.9, by: 0.0625) where kinkFree(function, x) {
                let h = 1e-6
                let slope = (PW.value(function, nil, .pytorch, x + h)
                    - PW.value(function, nil, .pytorch, x - h)) / (2 * h)
                let derivative = PW.derivative(function, nil, .pytorch, x)
                #expect(abs(slope - derivative) <= 1e-6 * max(1, abs(derivative)), "\(function.name) at \(x)")
            }
        }
    }

    static func floatMatchesDouble<F: ElementwiseKernel, D: ElementwiseKernel>(
        _: F.Type, _: D.Type, _ function: ActivationFunction
    ) where F.Scalar == Float, D.Scalar == Double {
        let p = PW.defaults(function)
        let f = F(parameters: p, convention: .pytorch)
        let d = D(parameters: p, convention: .pytorch)
        for x in stride(from: Float(-9), through: 9, by: 0.0390625) + [1e30, -1e30, 1e-30, -1e-30] {
            let (fy, fdy) = f.valueAndDerivative(x)
            let (dy, ddy) = d.valueAndDerivative(Double(x))
            for (computed, reference, label) in [(fy, dy, ""), (fdy, ddy, "'")] {
                let expected = Float(reference)  // overflows to inf where float32 does
                if !expected.isFinite {
                    #expect(computed == expected, "\(function.name)\(label) at \(x)")
                } else {
                    let unit = max(expected.magnitude.ulp, Float.leastNonzeroMagnitude)
                    #expect(abs(computed - expected) <= unit, "\(function.name)\(label) at \(x)")
                }
            }
        }
    }

    @Test func floatInstantiationsAgreeWithDouble() {
        Self.floatMatchesDouble(Identity<Float>.self, Identity<Double>.self, .identity)
        Self.floatMatchesDouble(ReLU<Float>.self, ReLU<Double>.self, .relu)
        Self.floatMatchesDouble(LeakyReLU<Float>.self, LeakyReLU<Double>.self, .leakyReLU)
        Self.floatMatchesDouble(PReLU<Float>.self, PReLU<Double>.self, .prelu)
        Self.floatMatchesDouble(RReLU<Float>.self, RReLU<Double>.self, .rrelu)
        Self.floatMatchesDouble(ReLU6<Float>.self, ReLU6<Double>.self, .relu6)
        Self.floatMatchesDouble(LeakyReLU6<Float>.self, LeakyReLU6<Double>.self, .leakyReLU6)
        Self.floatMatchesDouble(HardTanh<Float>.self, HardTanh<Double>.self, .hardtanh)
        Self.floatMatchesDouble(HardSigmoid<Float>.self, HardSigmoid<Double>.self, .hardSigmoid)
        Self.floatMatchesDouble(HardSwish<Float>.self, HardSwish<Double>.self, .hardSwish)
        Self.floatMatchesDouble(HardShrink<Float>.self, HardShrink<Double>.self, .hardshrink)
        Self.floatMatchesDouble(SoftShrink<Float>.self, SoftShrink<Double>.self, .softshrink)
        Self.floatMatchesDouble(Threshold<Float>.self, Threshold<Double>.self, .threshold)
        Self.floatMatchesDouble(SparsePlus<Float>.self, SparsePlus<Double>.self, .sparsePlus)
        Self.floatMatchesDouble(SparseSigmoid<Float>.self, SparseSigmoid<Double>.self, .sparseSigmoid)
        Self.floatMatchesDouble(ReLUSquared<Float>.self, ReLUSquared<Double>.self, .reluSquared)
        Self.floatMatchesDouble(StarReLU<Float>.self, StarReLU<Double>.self, .starReLU)
        Self.floatMatchesDouble(Softsign<Float>.self, Softsign<Double>.self, .softsign)
        Self.floatMatchesDouble(Squareplus<Float>.self, Squareplus<Double>.self, .squareplus)
    }
}
