import Testing
@testable import ActivationMath

/// sigmoid, log_sigmoid, tanh and softplus against mpmath literals (400 digits, correctly
/// rounded): ordinary points, far tails (±40, ±750, ±1e300), near 0 and subnormals, within
/// issue 2's float64 bars (2 ulp values, 4 ulp derivatives); special values exactly.
@Suite struct TranscendentalLogisticTests {
    @Test func sigmoidAgainstLiterals() {
        expectRows(kernel(Sigmoid<Double>.self), Self.sigmoidRows)
    }

    /// Where y(1-y) is exactly 0 (y rounds to 1 beyond x ≈ 36.7) the derivative is still e^-x.
    @Test func sigmoidDerivativeSurvivesWhereOneMinusYIsZero() {
        let s = kernel(Sigmoid<Double>.self)
        let y = s.value(40)
        #expect(y * (1 - y) == 0)
        #expect(ulpDistance(s.derivative(40), 4.248354255291589e-18) <= 4)
        #expect(s.derivative(700) > 0 && s.derivative(-700) > 0)
    }

    @Test func sigmoidSpecialValues() {
        let s = kernel(Sigmoid<Double>.self)
        expectSpecial(s, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(s, at: .infinity, value: 1, derivative: 0)
        expectSpecial(s, at: -.infinity, value: 0, derivative: 0)
        expectSpecial(s, at: 0, value: 0.5, derivative: 0.25)
        expectSpecial(s, at: -0.0, value: 0.5, derivative: 0.25)
    }

    @Test func logSigmoidAgainstLiterals() {
        expectRows(kernel(LogSigmoid<Double>.self), Self.logSigmoidRows)
    }

    @Test func logSigmoidSpecialValues() {
        let f = kernel(LogSigmoid<Double>.self)
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: -.infinity, value: -.infinity, derivative: 1)
        expectSpecial(f, at: .infinity, value: 0, derivative: 0)
        #expect(ulpDistance(f.value(0), -0.6931471805599453) <= 1)
    }

    @Test func tanhAgainstLiterals() {
        expectRows(kernel(Tanh<Double>.self), Self.tanhRows)
    }

    @Test func tanhSpecialValuesKeepTheSignOfZero() {
        let t = kernel(Tanh<Double>.self)
        expectSpecial(t, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(t, at: .infinity, value: 1, derivative: 0)
        expectSpecial(t, at: -.infinity, value: -1, derivative: 0)
        expectSpecial(t, at: 0, value: 0, derivative: 1)
        expectSpecial(t, at: -0.0, value: -0.0, derivative: 1)
    }

    /// 1 - t² is exactly 0 for |x| > 19.1; the derivative must not be.
    @Test func tanhDerivativeDoesNotCancel() {
        let t = kernel(Tanh<Double>.self)
        let y = t.value(20)
        #expect(1 - y * y == 0)
        #expect(ulpDistance(t.derivative(20), 1.6993417021166355e-17) <= 4)
    }

    @Test func softplusAgainstLiterals() {
        expectRows(kernel(Softplus<Double>.self, ["beta": .number(1)]), Self.softplusRows)
        expectRows(kernel(Softplus<Double>.self, ["beta": .number(3.3)]), Self.softplusBeta3Rows)
    }

    @Test func softplusSpecialValues() {
        let f = kernel(Softplus<Double>.self, ["beta": .number(1)])
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
        expectSpecial(f, at: -.infinity, value: 0, derivative: 0)
    }

    /// Exact by default; with a threshold, PyTorch's cut-over: x and 1 strictly above it, the
    /// exact formula at and below it (so f' jumps from σ(threshold) to 1).
    @Test func softplusThresholdIsPyTorchsLinearCutOver() {
        let exact = kernel(Softplus<Double>.self, ["beta": .number(1)])
        let cut = kernel(Softplus<Double>.self, ["beta": .number(2), "threshold": .number(20)])
        #expect(exact.value(25) != 25 && ulpDistance(exact.value(25), 25.000000000013888) <= 2)
        #expect(cut.value(10.5) == 10.5 && cut.derivative(10.5) == 1)
        #expect(ulpDistance(cut.derivative(10), 0.9999999979388464) <= 4)
        #expect(ulpDistance(cut.value(10), 10.000000001030577) <= 2)
    }

    static let sigmoidRows: [KernelRow] = [
        (-3.0, 0.04742587317756678, 0.04517665973091213),
        (-1.0, 0.2689414213699951, 0.19661193324148185),
        (-0.5, 0.37754066879814546, 0.2350037122015945),
        (0.25, 0.5621765008857981, 0.24613408273759835),
        (1.0, 0.7310585786300049, 0.19661193324148185),
        (2.5, 0.9241418199787564, 0.07010371654510816),
        (40.0, 1.0, 4.248354255291589e-18),
        (-40.0, 4.248354255291589e-18, 4.248354255291589e-18),
        (750.0, 1.0, 0),
        (-750.0, 0, 0),
        (1e+300, 1.0, 0),
        (-1e+300, 0, 0),
        (1e-300, 0.5, 0.25),
        (-1e-08, 0.4999999975, 0.25),
        (1e-08, 0.5000000025, 0.25),
        (5e-324, 0.5, 0.25),
        (-2.5e-310, 0.5, 0.25),
        (-36.7, 1.1518409493076095e-16, 1.1518409493076095e-16),
        (17.0, 0.9999999586006245, 4.1399373760035016e-08),
        (-745.0, 5e-324, 5e-324),
        (-700.5, 5.980196118639791e-305, 5.980196118639791e-305),
    ]

    static let logSigmoidRows: [KernelRow] = [
        (-3.0, -3.048587351573742, 0.9525741268224333),
        (-1.0, -1.3132616875182228, 0.7310585786300049),
        (-0.5, -0.9740769841801067, 0.6224593312018546),
        (0.25, -0.5759394198788436, 0.4378234991142019),
        (1.0, -0.3132616875182228, 0.2689414213699951),
        (2.5, -0.07888973429254963, 0.07585818002124355),
        (40.0, -4.248354255291589e-18, 4.248354255291589e-18),
        (-40.0, -40.0, 1.0),
        (750.0, -0.0, 0),
        (-750.0, -750.0, 1.0),
        (1e+300, -0.0, 0),
        (-1e+300, -1e+300, 1.0),
        (1e-300, -0.6931471805599453, 0.5),
        (-1e-08, -0.6931471855599454, 0.5000000025),
        (1e-08, -0.6931471755599453, 0.4999999975),
        (5e-324, -0.6931471805599453, 0.5),
        (-2.5e-310, -0.6931471805599453, 0.5),
        (20.0, -2.061153620314381e-09, 2.0611536181902037e-09),
        (745.5, -0.0, 0),
        (-20.0, -20.000000002061153, 0.9999999979388464),
    ]

    static let tanhRows: [KernelRow] = [
        (-3.0, -0.9950547536867305, 0.00986603716544019),
        (-1.0, -0.7615941559557649, 0.4199743416140261),
        (-0.5, -0.46211715726000974, 0.7864477329659274),
        (0.25, 0.24491866240370913, 0.940014848806378),
        (1.0, 0.7615941559557649, 0.4199743416140261),
        (2.5, 0.9866142981514303, 0.02659222668316062),
        (40.0, 1.0, 7.219405551381661e-35),
        (-40.0, -1.0, 7.219405551381661e-35),
        (750.0, 1.0, 0),
        (-750.0, -1.0, 0),
        (1e+300, 1.0, 0),
        (-1e+300, -1.0, 0),
        (1e-300, 1e-300, 1.0),
        (-1e-08, -1e-08, 0.9999999999999999),
        (1e-08, 1e-08, 0.9999999999999999),
        (5e-324, 5e-324, 1.0),
        (-2.5e-310, -2.5e-310, 1.0),
        (0.54, 0.49298796667532435, 0.7569628647133293),
        (0.56, 0.5079774328978962, 0.7419589276664634),
        (-19.1, -1.0, 1.0280418219381054e-16),
        (360.0, 1.0, 8.12892320967e-313),
        (-200.0, -1.0, 7.660678386856023e-174),
    ]

    static let softplusRows: [KernelRow] = [
        (-3.0, 0.04858735157374206, 0.04742587317756678),
        (-1.0, 0.3132616875182228, 0.2689414213699951),
        (-0.5, 0.4740769841801067, 0.37754066879814546),
        (0.25, 0.8259394198788436, 0.5621765008857981),
        (1.0, 1.3132616875182228, 0.7310585786300049),
        (2.5, 2.5788897342925496, 0.9241418199787564),
        (40.0, 40.0, 1.0),
        (-40.0, 4.248354255291589e-18, 4.248354255291589e-18),
        (750.0, 750.0, 1.0),
        (-750.0, 0, 0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, 0, 0),
        (1e-300, 0.6931471805599453, 0.5),
        (-1e-08, 0.6931471755599453, 0.4999999975),
        (1e-08, 0.6931471855599454, 0.5000000025),
        (5e-324, 0.6931471805599453, 0.5),
        (-2.5e-310, 0.6931471805599453, 0.5),
        (-20.0, 2.061153620314381e-09, 2.0611536181902037e-09),
        (-745.5, 0, 0),
        (-709.0, 1.216780750623423e-308, 1.216780750623423e-308),
    ]

    static let softplusBeta3Rows: [KernelRow] = [
        (-3.0, 1.5204067681490583e-05, 5.017216468376425e-05),
        (-1.0, 0.010975532991108873, 0.03557118927263618),
        (-0.5, 0.05323467800452498, 0.16110894957658525),
        (0.25, 0.36012626125047603, 0.6952966693475654),
        (1.0, 1.010975532991109, 0.9644288107273639),
        (2.5, 2.500079158919766, 0.9997388096809042),
        (40.0, 40.0, 1.0),
        (-40.0, 1.427626000470797e-58, 4.71116580155363e-58),
        (750.0, 750.0, 1.0),
        (-750.0, 0, 0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, 0, 0),
        (1e-300, 0.2100446001696804, 0.5),
        (-1e-08, 0.21004459516968044, 0.49999999175),
        (1e-08, 0.21004460516968046, 0.50000000825),
        (5e-324, 0.2100446001696804, 0.5),
        (-2.5e-310, 0.2100446001696804, 0.5),
        (-20.0, 6.57733942819287e-30, 2.170522011303647e-29),
        (-745.5, 0, 0),
        (-709.0, 0, 0),
    ]
}
