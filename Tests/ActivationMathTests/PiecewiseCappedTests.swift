import Testing
@testable import ActivationMath

/// relu6, leaky_relu6, hardtanh, hard_sigmoid, hard_swish and threshold.
@Suite("Piecewise capped and hard functions")
struct PiecewiseCappedTests {
    @Test func relu6ClampsAndTakesZeroAtBothKinks() {
        #expect(PW.value(.relu6, nil, .pytorch, 3.5) == 3.5)
        #expect(PW.value(.relu6, nil, .pytorch, 7) == 6)
        #expect(PW.value(.relu6, nil, .pytorch, -7) == 0)
        #expect(PW.derivative(.relu6, nil, .pytorch, 3.5) == 1)
        #expect(PW.derivative(.relu6, nil, .pytorch, 6.5) == 0)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.relu6, nil, convention, 0) == 0)
            #expect(PW.derivative(.relu6, nil, convention, 6) == 0)
            #expect(PW.derivative(.relu6, nil, convention, 6.0.nextDown) == 1)
        }
        #expect(PW.value(.relu6, nil, .pytorch, 0x1p-1063) == 0x1p-1063)
        #expect(PW.isPositiveZero(PW.value(.relu6, nil, .pytorch, -0.0)))
        let top = PW.combined(.relu6, nil, .pytorch, .infinity)
        #expect(top.value == 6 && top.derivative == 0)
        #expect(PW.combined(.relu6, nil, .pytorch, -.infinity).value == 0)
        #expect(PW.combined(.relu6, nil, .pytorch, .nan).derivative.isNaN)
    }

    @Test func leakyRelu6IsLeakyBelowAndCappedAbove() {
        #expect(PW.value(.leakyReLU6, nil, .pytorch, -4) == -0.04)
        #expect(PW.value(.leakyReLU6, nil, .pytorch, 4) == 4)
        #expect(PW.value(.leakyReLU6, nil, .pytorch, 40) == 6)
        #expect(PW.derivative(.leakyReLU6, nil, .pytorch, -4) == 0.01)
        #expect(PW.derivative(.leakyReLU6, nil, .pytorch, 4) == 1)
        #expect(PW.derivative(.leakyReLU6, nil, .pytorch, 40) == 0)
        #expect(PW.derivative(.leakyReLU6, nil, .pytorch, 0) == 0.01)
        #expect(PW.derivative(.leakyReLU6, nil, .jax, 0) == 1)
        #expect(PW.derivative(.leakyReLU6, nil, .pytorch, 6) == 0)
        #expect(PW.derivative(.leakyReLU6, nil, .jax, 6) == 0)
        let custom = PW.parameters(["alpha": 0.5, "cap": 2.5])
        #expect(PW.value(.leakyReLU6, custom, .pytorch, -3) == -1.5)
        #expect(PW.value(.leakyReLU6, custom, .pytorch, 3) == 2.5)
        #expect(PW.derivative(.leakyReLU6, custom, .pytorch, 2.5) == 0)
        // alpha = 1: min(x, cap), no kink at 0 under either convention.
        let linear = PW.parameters(["alpha": 1, "cap": 6])
        #expect(PW.derivative(.leakyReLU6, linear, .pytorch, 0) == 1)
        #expect(PW.value(.leakyReLU6, linear, .pytorch, -5) == -5)
        #expect(PW.isNegativeZero(PW.value(.leakyReLU6, nil, .pytorch, -0.0)))
        #expect(PW.value(.leakyReLU6, nil, .pytorch, .infinity) == 6)
        #expect(PW.value(.leakyReLU6, nil, .pytorch, -.infinity) == -.infinity)
        #expect(PW.derivative(.leakyReLU6, nil, .pytorch, -.infinity) == 0.01)
        #expect(PW.value(.leakyReLU6, nil, .jax, .nan).isNaN)
        #expect(PW.derivative(.leakyReLU6, nil, .jax, .nan).isNaN)
    }

    @Test func hardtanhBoundsUnderBothConventions() {
        #expect(PW.value(.hardtanh, nil, .pytorch, 0.25) == 0.25)
        #expect(PW.value(.hardtanh, nil, .pytorch, -3) == -1)
        #expect(PW.value(.hardtanh, nil, .pytorch, 3) == 1)
        #expect(PW.derivative(.hardtanh, nil, .pytorch, 0.25) == 1)
        #expect(PW.derivative(.hardtanh, nil, .pytorch, -3) == 0)
        for bound in [-1.0, 1.0] {
            #expect(PW.derivative(.hardtanh, nil, .pytorch, bound) == 0)
            #expect(PW.derivative(.hardtanh, nil, .jax, bound) == 1)
        }
        #expect(PW.derivative(.hardtanh, nil, .jax, 1.0.nextUp) == 0)
        let wide = PW.parameters(["min_val": -2, "max_val": 5])
        #expect(PW.value(.hardtanh, wide, .pytorch, 4.5) == 4.5)
        #expect(PW.value(.hardtanh, wide, .pytorch, 9) == 5)
        #expect(PW.derivative(.hardtanh, wide, .jax, -2) == 1)
        #expect(PW.derivative(.hardtanh, wide, .pytorch, -2) == 0)
        #expect(PW.isNegativeZero(PW.value(.hardtanh, nil, .pytorch, -0.0)))
        #expect(PW.value(.hardtanh, nil, .pytorch, -.infinity) == -1)
        #expect(PW.derivative(.hardtanh, nil, .jax, .infinity) == 0)
        #expect(PW.value(.hardtanh, nil, .pytorch, .nan).isNaN)
        #expect(PW.derivative(.hardtanh, nil, .pytorch, .nan).isNaN)
    }

    @Test func hardSigmoidIsASixthSlopeClampedToTheUnitInterval() {
        #expect(PW.value(.hardSigmoid, nil, .pytorch, 0) == 0.5)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, 1.5) == 0.75)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, -4) == 0)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, 4) == 1)
        #expect(PW.derivative(.hardSigmoid, nil, .pytorch, 1) == 1.0 / 6)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.hardSigmoid, nil, convention, -3) == 0)
            #expect(PW.derivative(.hardSigmoid, nil, convention, 3) == 0)
        }
        #expect(PW.value(.hardSigmoid, nil, .pytorch, -3) == 0)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, 3) == 1)
        // Next to −3 the value is tiny and exact: (x + 3) is exact there.
        let x = (-3.0).nextUp
        #expect(PW.value(.hardSigmoid, nil, .pytorch, x) == (x + 3) / 6)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, 0x1p-1063) == 0.5)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, .infinity) == 1)
        #expect(PW.derivative(.hardSigmoid, nil, .pytorch, -.infinity) == 0)
        #expect(PW.value(.hardSigmoid, nil, .pytorch, .nan).isNaN)
        #if arch(x86_64)
        var worst = 0.0
        for x in stride(from: -2.999, to: 3, by: 0.0137) {
            worst = max(worst, PW.ulps(PW.value(.hardSigmoid, nil, .pytorch, x), (Float80(x) + 3) / 6))
        }
        #expect(worst <= 0.51)
        #endif
    }

    @Test func hardSwishAndItsFixedBoundaryGradients() {
        #expect(PW.value(.hardSwish, nil, .pytorch, 1) == 1.0 * 4 / 6)
        #expect(PW.value(.hardSwish, nil, .pytorch, -1.5) == -0.375)
        #expect(PW.value(.hardSwish, nil, .pytorch, 5) == 5)
        #expect(PW.derivative(.hardSwish, nil, .pytorch, -1.5) == 0)
        #expect(PW.derivative(.hardSwish, nil, .pytorch, 1.5) == 1)
        #expect(PW.derivative(.hardSwish, nil, .pytorch, 5) == 1)
        #expect(PW.derivative(.hardSwish, nil, .pytorch, -5) == 0)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.hardSwish, nil, convention, -3) == 0)
            #expect(PW.derivative(.hardSwish, nil, convention, 3) == 1)
        }
        #expect(PW.isNegativeZero(PW.value(.hardSwish, nil, .pytorch, -4)))
        #expect(PW.value(.hardSwish, nil, .pytorch, -.infinity) == 0)
        #expect(!PW.value(.hardSwish, nil, .pytorch, -.infinity).isNaN)
        #expect(PW.value(.hardSwish, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.derivative(.hardSwish, nil, .pytorch, .infinity) == 1)
        #expect(PW.isNegativeZero(PW.value(.hardSwish, nil, .pytorch, -0.0)))
        let tiny = Double.leastNonzeroMagnitude * 8
        #expect(PW.value(.hardSwish, nil, .pytorch, tiny) == tiny / 2)
        // x/2 is a tie for an odd subnormal; x²/6 > 0 breaks it upwards.
        let u = Double.leastNonzeroMagnitude
        #expect(PW.value(.hardSwish, nil, .pytorch, u) == u)
        #expect(PW.value(.hardSwish, nil, .pytorch, 3 * u) == 2 * u)
        #expect(PW.value(.hardSwish, nil, .pytorch, -u) == 0)
        #expect(PW.value(.hardSwish, nil, .pytorch, -3 * u) == -u)
        #expect(PW.value(.hardSwish, nil, .pytorch, .nan).isNaN)
        #if arch(x86_64)
        var worstValue = 0.0
        var worstDerivative = 0.0
        for x in stride(from: -2.9993, to: 3, by: 0.00731) {
            let wide = Float80(x)
            worstValue = max(worstValue, PW.ulps(PW.value(.hardSwish, nil, .pytorch, x), wide * (wide + 3) / 6))
            worstDerivative = max(worstDerivative, PW.ulps(PW.derivative(.hardSwish, nil, .pytorch, x), (2 * wide + 3) / 6))
        }
        #expect(worstValue <= 0.51)
        #expect(worstDerivative <= 0.51)
        #endif
    }

    @Test func thresholdReplacesAtAndBelowTheCutOff() {
        let p = PW.parameters(["threshold": 1, "value": -7])
        #expect(PW.value(.threshold, p, .pytorch, 2) == 2)
        #expect(PW.value(.threshold, p, .pytorch, 1) == -7)
        #expect(PW.value(.threshold, p, .pytorch, 0.5) == -7)
        #expect(PW.derivative(.threshold, p, .pytorch, 2) == 1)
        #expect(PW.derivative(.threshold, p, .pytorch, 0.5) == 0)
        #expect(PW.derivative(.threshold, p, .pytorch, 1) == 0)
        #expect(PW.derivative(.threshold, p, .jax, 1) == 0)
        #expect(PW.derivative(.threshold, p, .pytorch, 1.0.nextUp) == 1)
        #expect(PW.value(.threshold, p, .pytorch, -.infinity) == -7)
        #expect(PW.value(.threshold, p, .pytorch, .infinity) == .infinity)
        #expect(PW.value(.threshold, p, .pytorch, .nan).isNaN)
        #expect(PW.derivative(.threshold, p, .pytorch, .nan).isNaN)
    }
}
