import Testing
@testable import ActivationMath

/// relu_squared, star_relu, softsign and squareplus, with float64 accuracy measured against
/// Float80 evaluations (11 more bits, and an exponent range where x² never overflows).
@Suite("Piecewise algebraic functions")
struct PiecewiseAlgebraicTests {
    @Test func reluSquaredValuesAndRanges() {
        #expect(PW.value(.reluSquared, nil, .pytorch, 3) == 9)
        #expect(PW.derivative(.reluSquared, nil, .pytorch, 3) == 6)
        #expect(PW.value(.reluSquared, nil, .pytorch, -3) == 0)
        #expect(PW.derivative(.reluSquared, nil, .pytorch, -3) == 0)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.reluSquared, nil, convention, 0) == 0)
        }
        #expect(PW.isPositiveZero(PW.value(.reluSquared, nil, .pytorch, -0.0)))
        #expect(PW.value(.reluSquared, nil, .pytorch, 1e200) == .infinity)
        #expect(PW.derivative(.reluSquared, nil, .pytorch, 1e200) == 2e200)
        #expect(PW.value(.reluSquared, nil, .pytorch, 1e-200) == 0)
        #expect(PW.value(.reluSquared, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.derivative(.reluSquared, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.value(.reluSquared, nil, .pytorch, -.infinity) == 0)
        #expect(PW.combined(.reluSquared, nil, .pytorch, .nan).derivative.isNaN)
        #if arch(x86_64)
        let x = 1e-160  // the square is subnormal, rounded once
        #expect(PW.ulps(PW.value(.reluSquared, nil, .pytorch, x), Float80(x) * Float80(x)) <= 0.5)
        #endif
    }

    @Test func starReluValuesAndPartials() {
        let p = PW.parameters(["scale": 0.5, "bias": -1])
        let at2 = PW.combined(.starReLU, p, .pytorch, 2)
        #expect(at2.value == 1 && at2.derivative == 2)
        #expect(at2.partials == (4, 1))
        let below = PW.combined(.starReLU, p, .pytorch, -2)
        #expect(below.value == -1 && below.derivative == 0 && below.partials == (0, 1))
        #expect(PW.combined(.starReLU, nil, .jax, 0).derivative == 0)
        let top = PW.combined(.starReLU, p, .pytorch, .infinity)
        #expect(top.value == .infinity && top.derivative == .infinity)
        #expect(top.partials == (.infinity, 1))
        let bottom = PW.combined(.starReLU, p, .pytorch, -.infinity)
        #expect(bottom.value == -1 && bottom.derivative == 0 && bottom.partials == (0, 1))
        let flat = PW.combined(.starReLU, PW.parameters(["scale": 0, "bias": 2]), .pytorch, .infinity)
        #expect(flat.value == 2 && flat.derivative == 0)
        let nan = PW.combined(.starReLU, p, .pytorch, .nan)
        #expect(nan.value.isNaN && nan.derivative.isNaN && nan.partials.0.isNaN && nan.partials.1.isNaN)
        let negativeScale = PW.combined(.starReLU, PW.parameters(["scale": -2, "bias": 0]), .pytorch, 3)
        #expect(negativeScale.value == -18 && negativeScale.derivative == -12)
    }

    #if arch(x86_64)
    @Test func starReluSurvivesCancellationAndOverflowOfTheSquare() {
        // 0.1 · 3² − 0.9 is tiny: the naive two roundings lose most of its digits.
        let scale = 0.1, bias = -0.9
        let p = PW.parameters(["scale": scale, "bias": bias])
        let reference = Float80(scale) * 9 + Float80(bias)
        #expect(PW.ulps(PW.value(.starReLU, p, .pytorch, 3), reference) <= 0.5)
        // x² overflows but scale · x² does not.
        let small = PW.parameters(["scale": 1e-300, "bias": 0])
        let big = PW.value(.starReLU, small, .pytorch, 1e200)
        #expect(PW.ulps(big, Float80(1e-300) * Float80(1e200) * Float80(1e200)) <= 1)
    }
    #endif

    @Test func softsignValuesSignsAndLimits() {
        #expect(PW.value(.softsign, nil, .pytorch, 1) == 0.5)
        #expect(PW.value(.softsign, nil, .pytorch, -3) == -0.75)
        #expect(PW.derivative(.softsign, nil, .pytorch, 1) == 0.25)
        #expect(PW.derivative(.softsign, nil, .pytorch, -3) == 1.0 / 16)
        #expect(PW.derivative(.softsign, nil, .pytorch, 0) == 1)
        #expect(PW.isNegativeZero(PW.value(.softsign, nil, .pytorch, -0.0)))
        #expect(PW.isPositiveZero(PW.value(.softsign, nil, .pytorch, 0)))
        #expect(PW.value(.softsign, nil, .pytorch, -Double.leastNonzeroMagnitude) == -Double.leastNonzeroMagnitude)
        #expect(PW.derivative(.softsign, nil, .pytorch, Double.leastNonzeroMagnitude) == 1)
        #expect(PW.value(.softsign, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.softsign, nil, .pytorch, -.infinity) == -1)
        #expect(PW.derivative(.softsign, nil, .pytorch, -.infinity) == 0)
        #expect(PW.value(.softsign, nil, .pytorch, -.greatestFiniteMagnitude) == -1)
        #expect(PW.derivative(.softsign, nil, .pytorch, .greatestFiniteMagnitude) == 0)
        #expect(PW.value(.softsign, nil, .pytorch, 0x1p54) == 1)
        #expect(PW.value(.softsign, nil, .pytorch, 0x1p52) < 1)
        let nan = PW.combined(.softsign, nil, .pytorch, .nan)
        #expect(nan.value.isNaN && nan.derivative.isNaN)
    }

    #if arch(x86_64)
    @Test func softsignIsAccurateOverEveryMagnitude() {
        var worstValue = 0.0
        var worstDerivative = 0.0
        var xs = stride(from: -20.0, through: 20, by: 0.0173).map { $0 }
        for e in stride(from: -1074, through: 1023, by: 3) {
            let m = Double(sign: .plus, exponent: e, significand: 1.618033988749895)
            if m.isFinite { xs += [m, -m] }
        }
        for x in xs {
            let wide = Float80(x)
            let d = 1 + abs(wide)
            let value = PW.value(.softsign, nil, .pytorch, x)
            let combined = PW.combined(.softsign, nil, .pytorch, x)
            #expect(combined.value == value)
            worstValue = max(worstValue, PW.ulps(value, wide / d))
            worstDerivative = max(worstDerivative, PW.ulps(combined.derivative, 1 / (d * d)))
            #expect(PW.derivative(.softsign, nil, .pytorch, x) == combined.derivative)
        }
        #expect(worstValue <= 1)
        #expect(worstDerivative <= 1)
    }
    #endif

    @Test func squareplusValuesAndSpecialValues() {
        #expect(PW.value(.squareplus, nil, .pytorch, 0) == 1)
        #expect(PW.derivative(.squareplus, nil, .pytorch, 0) == 0.5)
        #expect(PW.value(.squareplus, nil, .pytorch, -0.0) == 1)
        // x² + 4 = 25 at x = ±sqrt(21) is not exact, so check exact squares: x = 0 with b = 9.
        let b9 = PW.parameters(["b": 9])
        #expect(PW.value(.squareplus, b9, .pytorch, 0) == 1.5)
        // x = 4, b = 9: √25 = 5, f = 4.5, f' = (1 + 4/5)/2 = 0.9.
        #expect(PW.value(.squareplus, b9, .pytorch, 4) == 4.5)
        #expect(PW.derivative(.squareplus, b9, .pytorch, 4) == 0.9)
        // x = −4, b = 9: f = 9/(2 · 9) = 0.5, f' = 9/(2 · 5 · 9) = 0.1.
        #expect(PW.value(.squareplus, b9, .pytorch, -4) == 0.5)
        #expect(PW.derivative(.squareplus, b9, .pytorch, -4) == 0.1)
        #expect(PW.value(.squareplus, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.derivative(.squareplus, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.squareplus, nil, .pytorch, -.infinity) == 0)
        #expect(PW.derivative(.squareplus, nil, .pytorch, -.infinity) == 0)
        let nan = PW.combined(.squareplus, nil, .pytorch, .nan)
        #expect(nan.value.isNaN && nan.derivative.isNaN)
        // b = 0 is relu with f'(0) = 1/2 under both conventions.
        let relu = PW.parameters(["b": 0])
        #expect(PW.value(.squareplus, relu, .pytorch, 3) == 3)
        #expect(PW.value(.squareplus, relu, .pytorch, 0x1p-1030) == 0x1p-1030)
        #expect(PW.value(.squareplus, relu, .pytorch, -3) == 0)
        #expect(PW.derivative(.squareplus, relu, .pytorch, 0) == 0.5)
        #expect(PW.derivative(.squareplus, relu, .jax, 0) == 0.5)
        #expect(PW.derivative(.squareplus, relu, .jax, -1e-300) == 0)
    }

    @Test func squareplusDoesNotOverflowAtTheExtremes() {
        #expect(PW.value(.squareplus, nil, .pytorch, 1e300) == 1e300)
        #expect(PW.derivative(.squareplus, nil, .pytorch, 1e300) == 1)
        #expect(PW.value(.squareplus, nil, .pytorch, -1e300) == 1.0 / 1e300)
        #expect(PW.derivative(.squareplus, nil, .pytorch, -1e300) == 0)
        let max = Double.greatestFiniteMagnitude
        #expect(PW.value(.squareplus, nil, .pytorch, max) == max)
        #expect(PW.derivative(.squareplus, nil, .pytorch, max) == 1)
        let tail = PW.value(.squareplus, nil, .pytorch, -max)
        #expect(tail > 0 && tail.isSubnormal)
        #expect(tail == 1 / max)
        #expect(PW.derivative(.squareplus, nil, .pytorch, -max) == 0)
        // Where b/(4x²) is subnormal it is returned, not flushed: x = −1e160 gives 1e−320.
        let subnormal = PW.derivative(.squareplus, nil, .pytorch, -1e160)
        #expect(subnormal > 0 && subnormal.isSubnormal)
    }

    #if arch(x86_64)
    @Test func squareplusIsAccurateForEveryMagnitudeAndB() {
        for b in [4.0, 0.5, 1e-300, Double.leastNonzeroMagnitude, 1e300, 1.7e308] {
            let p = PW.parameters(["b": b])
            let wb = Float80(b)
            var worstValue = 0.0
            var worstDerivative = 0.0
            var xs = stride(from: -30.0, through: 30, by: 0.0411).map { $0 }
            for e in stride(from: -1074, through: 1023, by: 5) {
                let m = Double(sign: .plus, exponent: e, significand: 1.4142135623730951)
                if m.isFinite { xs += [m, -m] }
            }
            xs += [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, -1e300]
            for x in xs {
                let w = Float80(x)
                let root = (w * w + wb).squareRoot()
                let value = w >= 0 ? (w + root) / 2 : wb / (2 * (root - w))
                let slope = w >= 0 ? (1 + w / root) / 2 : wb / (2 * root * (root - w))
                let computed = PW.combined(.squareplus, p, .pytorch, x)
                worstValue = Swift.max(worstValue, PW.ulps(computed.value, value))
                worstDerivative = Swift.max(worstDerivative, PW.ulps(computed.derivative, slope))
            }
            #expect(worstValue <= 1, "b = \(b)")
            #expect(worstDerivative <= 2, "b = \(b)")
        }
    }

    @Test func float32EvaluationsAreRoundedOnceFromDouble() {
        let xs: [Float] = [-7.25, -1.5, -0.3, 0, 0.3, 1.5, 7.25, 1e30, -1e30, 0x1p-133]
        for function in [ActivationFunction.softsign, .squareplus, .hardSwish, .sparsePlus] {
            var values = [Float](repeating: .nan, count: xs.count)
            xs.withUnsafeBufferPointer { input in
                values.withUnsafeMutableBufferPointer { out in
                    _ = ElementwiseEvaluator.run(
                        function, parameters: PW.defaults(function), convention: .pytorch,
                        ElementwiseBuffers(input: input, values: out))
                }
            }
            for (x, y) in zip(xs, values) {
                let expected = Float(PW.value(function, nil, .pytorch, Double(x)))
                #expect(y == expected, "\(function.name) at \(x)")
            }
        }
    }
    #endif
}
