import Testing
@testable import ActivationMath

/// identity, relu and the leaky family.
@Suite("Piecewise rectifiers")
struct PiecewiseRectifierTests {
    @Test func identityPassesEverythingThrough() {
        for x in [-2.5, 0.75, 0x1p-1030, -1e300, Double.greatestFiniteMagnitude] {
            #expect(PW.value(.identity, nil, .pytorch, x) == x)
            #expect(PW.derivative(.identity, nil, .pytorch, x) == 1)
        }
        #expect(PW.isNegativeZero(PW.value(.identity, nil, .pytorch, -0.0)))
        #expect(PW.value(.identity, nil, .pytorch, -.infinity) == -.infinity)
        #expect(PW.derivative(.identity, nil, .jax, .infinity) == 1)
        #expect(PW.value(.identity, nil, .pytorch, .nan).isNaN)
        #expect(PW.derivative(.identity, nil, .pytorch, .nan).isNaN)
    }

    @Test func reluValuesDerivativesAndSpecialValues() {
        #expect(PW.value(.relu, nil, .pytorch, 2.5) == 2.5)
        #expect(PW.value(.relu, nil, .pytorch, -2.5) == 0)
        #expect(PW.derivative(.relu, nil, .pytorch, 2.5) == 1)
        #expect(PW.derivative(.relu, nil, .pytorch, -2.5) == 0)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.relu, nil, convention, 0) == 0)
            #expect(PW.derivative(.relu, nil, convention, -0.0) == 0)
        }
        #expect(PW.isPositiveZero(PW.value(.relu, nil, .pytorch, -0.0)))
        #expect(PW.value(.relu, nil, .pytorch, Double.leastNonzeroMagnitude) == Double.leastNonzeroMagnitude)
        #expect(PW.derivative(.relu, nil, .pytorch, Double.leastNonzeroMagnitude) == 1)
        #expect(PW.value(.relu, nil, .pytorch, -Double.leastNonzeroMagnitude) == 0)
        #expect(PW.value(.relu, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.derivative(.relu, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.relu, nil, .pytorch, -.infinity) == 0)
        #expect(PW.derivative(.relu, nil, .pytorch, -.infinity) == 0)
        let nan = PW.combined(.relu, nil, .pytorch, .nan)
        #expect(nan.value.isNaN && nan.derivative.isNaN)
    }

    @Test func leakyReluUsesItsSlopeAndTheConventionAtZero() {
        #expect(PW.value(.leakyReLU, nil, .pytorch, -3) == 0.01 * -3)
        #expect(PW.value(.leakyReLU, nil, .pytorch, 3) == 3)
        #expect(PW.derivative(.leakyReLU, nil, .pytorch, -3) == 0.01)
        #expect(PW.derivative(.leakyReLU, nil, .pytorch, 3) == 1)
        #expect(PW.derivative(.leakyReLU, nil, .pytorch, 0) == 0.01)
        #expect(PW.derivative(.leakyReLU, nil, .jax, 0) == 1)
        #expect(PW.derivative(.leakyReLU, nil, .jax, -0.0) == 1)
        #expect(PW.derivative(.leakyReLU, nil, .jax, -3) == 0.01)
        let keras = PW.parameters(["alpha": 0.2])
        #expect(PW.value(.leakyReLU, keras, .pytorch, -2) == -0.4)
        #expect(PW.derivative(.leakyReLU, keras, .pytorch, 0) == 0.2)
        #expect(PW.isNegativeZero(PW.value(.leakyReLU, nil, .pytorch, -0.0)))
        // A subnormal times the slope rounds as the product does, not flushed.
        #expect(PW.value(.leakyReLU, nil, .pytorch, -0x1p-1030) == -0x1p-1030 * 0.01)
        #expect(PW.value(.leakyReLU, nil, .pytorch, -.infinity) == -.infinity)
        #expect(PW.derivative(.leakyReLU, nil, .pytorch, -.infinity) == 0.01)
        #expect(PW.derivative(.leakyReLU, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.leakyReLU, nil, .pytorch, .nan).isNaN)
        #expect(PW.derivative(.leakyReLU, nil, .jax, .nan).isNaN)
    }

    @Test func aZeroSlopeTimesMinusInfinityIsItsLimitNotNaN() {
        let zero = PW.parameters(["alpha": 0])
        let y = PW.value(.leakyReLU, zero, .pytorch, -.infinity)
        #expect(PW.isNegativeZero(y))
        #expect(PW.isNegativeZero(PW.value(.leakyReLU, zero, .pytorch, -1)))
        let capped = PW.parameters(["alpha": 0, "cap": 6])
        #expect(PW.value(.leakyReLU6, capped, .pytorch, -.infinity) == 0)
        #expect(!PW.value(.leakyReLU6, capped, .pytorch, -.infinity).isNaN)
    }

    @Test func preluValuesAndAlphaPartial() {
        #expect(PW.value(.prelu, nil, .pytorch, -2) == -0.5)
        #expect(PW.derivative(.prelu, nil, .pytorch, -2) == 0.25)
        #expect(PW.derivative(.prelu, nil, .pytorch, 0) == 0.25)
        #expect(PW.derivative(.prelu, nil, .jax, 0) == 1)
        let negative = PW.combined(.prelu, nil, .pytorch, -2)
        #expect(negative.partials == (-2, 0))
        #expect(PW.combined(.prelu, nil, .pytorch, 3).partials == (0, 0))
        #expect(PW.combined(.prelu, nil, .jax, 0).partials == (0, 0))
        #expect(PW.combined(.prelu, nil, .pytorch, -.infinity).partials.0 == -.infinity)
        #expect(PW.combined(.prelu, nil, .pytorch, .nan).partials.0.isNaN)
        let custom = PW.combined(.prelu, PW.parameters(["alpha": -0.5]), .pytorch, -4)
        #expect(custom.value == 2 && custom.derivative == -0.5 && custom.partials.0 == -4)
    }

    @Test func preluGradientSumsOverElements() {
        let xs: [Double] = [-1, -2, 3, 0, -0.5]
        let upstream: [Double] = [1, 0.5, 7, 9, 2]
        var gradients = [Double](repeating: .nan, count: xs.count)
        let sums = xs.withUnsafeBufferPointer { input in
            upstream.withUnsafeBufferPointer { g in
                gradients.withUnsafeMutableBufferPointer { out in
                    ElementwiseEvaluator.run(
                        .prelu, parameters: PW.defaults(.prelu), convention: .pytorch,
                        ElementwiseBuffers(input: input, gradOutput: g, gradients: out,
                                           wantsParameterGradients: true))
                }
            }
        }
        // Σ grad · x over x < 0: −1 − 1 − 1 = −3.
        #expect(sums.sums.0 == -3)
        #expect(gradients == [0.25, 0.125, 7, 2.25, 0.5])
    }

    @Test func rreluUsesTheMeanSlopeRoundedOnce() {
        let slope = (1.0 / 8 + 1.0 / 3) / 2
        #expect(PW.derivative(.rrelu, nil, .pytorch, -1) == slope)
        #expect(PW.derivative(.rrelu, nil, .pytorch, 0) == slope)
        #expect(PW.derivative(.rrelu, nil, .jax, 0) == 1)
        #expect(PW.value(.rrelu, nil, .pytorch, 2) == 2)
        #expect(PW.isNegativeZero(PW.value(.rrelu, nil, .pytorch, -0.0)))
        #expect(PW.value(.rrelu, nil, .pytorch, -.infinity) == -.infinity)
        #expect(PW.value(.rrelu, nil, .pytorch, .nan).isNaN)
        let equal = PW.parameters(["lower": 0.1, "upper": 0.1])
        #expect(PW.value(.rrelu, equal, .pytorch, -3) == 0.1 * -3)
        #if arch(x86_64)
        // The exact slope is (fl(1/8) + fl(1/3))/2; its product with x rounds once.
        let exactSlope = (Float80(1.0 / 8) + Float80(1.0 / 3)) / 2
        var worst = 0.0
        for x in stride(from: -50.0, to: 0, by: 0.37) {
            worst = max(worst, PW.ulps(PW.value(.rrelu, nil, .pytorch, x), exactSlope * Float80(x)))
        }
        #expect(worst <= 0.5 + 1e-3)
        #endif
    }
}
