import Testing
@testable import ActivationMath

/// elu, selu, celu and exponential against mpmath literals (400 digits, correctly rounded),
/// their kinks under both conventions, and special values exactly.
@Suite struct TranscendentalExponentialTests {
    @Test func eluAgainstLiterals() {
        expectRows(kernel(ELU<Double>.self, ["alpha": .number(1)]), Self.eluRows)
        expectRows(kernel(ELU<Double>.self, ["alpha": .number(0.3)]), Self.eluAlphaRows)
    }

    /// At x = 0 PyTorch's backward (x <= 0 branch) and JAX's where(x > 0, ...) both take alpha.
    @Test func eluKinkTakesAlphaInBothConventions() {
        for convention in KinkConvention.allCases {
            let f = kernel(ELU<Double>.self, ["alpha": .number(0.3)], convention: convention)
            #expect(f.derivative(0) == 0.3 && f.derivative(-0.0) == 0.3)
            #expect(f.derivative(Double.leastNonzeroMagnitude) == 1)
        }
    }

    @Test func eluSpecialValues() {
        let f = kernel(ELU<Double>.self, ["alpha": .number(2)])
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
        expectSpecial(f, at: -.infinity, value: -2, derivative: 0)
        expectSpecial(f, at: 0, value: 0, derivative: 2)
        expectSpecial(f, at: -0.0, value: -0.0, derivative: 2)
    }

    @Test func seluAgainstLiterals() {
        expectRows(kernel(SELU<Double>.self), Self.seluRows)
    }

    /// λα and λ from the paper's 32-digit constants, correctly rounded.
    @Test func seluConstantsAndKink() {
        let f = kernel(SELU<Double>.self)
        expectSpecial(f, at: 0, value: 0, derivative: 1.7580993408473768)
        expectSpecial(f, at: -.infinity, value: -1.7580993408473768, derivative: 0)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1.0507009873554805)
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        #expect(f.derivative(1e-300) == 1.0507009873554805)
    }

    @Test func celuAgainstLiterals() {
        expectRows(kernel(CELU<Double>.self, ["alpha": .number(1)]), Self.celuRows)
        expectRows(kernel(CELU<Double>.self, ["alpha": .number(2.7)]), Self.celuAlphaRows)
    }

    /// Continuous derivative at 0 for any alpha (no kink), and the limits.
    @Test func celuIsContinuouslyDifferentiable() {
        let f = kernel(CELU<Double>.self, ["alpha": .number(0.3)])
        expectSpecial(f, at: 0, value: 0, derivative: 1)
        expectSpecial(f, at: -0.0, value: -0.0, derivative: 1)
        expectSpecial(f, at: -.infinity, value: -0.3, derivative: 0)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        #expect(abs(f.derivative(-1e-12) - 1) < 1e-11)
    }

    @Test func exponentialAgainstLiterals() {
        expectRows(kernel(Exponential<Double>.self), Self.exponentialRows)
    }

    @Test func exponentialSpecialValues() {
        let f = kernel(Exponential<Double>.self)
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: .infinity)
        expectSpecial(f, at: -.infinity, value: 0, derivative: 0)
        expectSpecial(f, at: -0.0, value: 1, derivative: 1)
        #expect(f.value(-745) > 0, "subnormal results are not flushed")
    }

    static let eluRows: [KernelRow] = [
        (-3.0, -0.950212931632136, 0.049787068367863944),
        (-1.0, -0.6321205588285577, 0.36787944117144233),
        (-0.5, -0.3934693402873666, 0.6065306597126334),
        (0.25, 0.25, 1.0),
        (1.0, 1.0, 1.0),
        (2.5, 2.5, 1.0),
        (40.0, 40.0, 1.0),
        (-40.0, -1.0, 4.248354255291589e-18),
        (750.0, 750.0, 1.0),
        (-750.0, -1.0, 0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -1.0, 0),
        (1e-300, 1e-300, 1.0),
        (-1e-08, -9.999999950000001e-09, 0.9999999900000001),
        (1e-08, 1e-08, 1.0),
        (5e-324, 5e-324, 1.0),
        (-2.5e-310, -2.5e-310, 1.0),
        (-1e-20, -1e-20, 1.0),
        (-0.1, -0.09516258196404043, 0.9048374180359595),
        (-20.0, -0.9999999979388464, 2.061153622438558e-09),
    ]

    static let eluAlphaRows: [KernelRow] = [
        (-3.0, -0.2850638794896408, 0.014936120510359183),
        (-1.0, -0.1896361676485673, 0.1103638323514327),
        (-0.5, -0.11804080208620997, 0.18195919791379003),
        (0.25, 0.25, 1.0),
        (1.0, 1.0, 1.0),
        (2.5, 2.5, 1.0),
        (40.0, 40.0, 1.0),
        (-40.0, -0.3, 1.2745062765874766e-18),
        (750.0, 750.0, 1.0),
        (-750.0, -0.3, 0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -0.3, 0),
        (1e-300, 1e-300, 1.0),
        (-1e-08, -2.999999985e-09, 0.299999997),
        (1e-08, 1e-08, 1.0),
        (5e-324, 5e-324, 1.0),
        (-2.5e-310, -7.5e-311, 0.3),
        (-1e-20, -3e-21, 0.3),
        (-0.1, -0.02854877458921213, 0.27145122541078787),
        (-20.0, -0.2999999993816539, 6.183460867315673e-10),
    ]

    static let seluRows: [KernelRow] = [
        (-3.0, -1.670568728767112, 0.08753061208026489),
        (-1.0, -1.1113307378125628, 0.6467686030348141),
        (-0.5, -0.6917581878028713, 1.0663411530445055),
        (0.25, 0.2626752468388701, 1.0507009873554805),
        (1.0, 1.0507009873554805, 1.0507009873554805),
        (2.5, 2.6267524683887014, 1.0507009873554805),
        (40.0, 42.02803949421922, 1.0507009873554805),
        (-40.0, -1.7580993408473768, 7.469028815914292e-18),
        (750.0, 788.0257405166104, 1.0507009873554805),
        (-750.0, -1.7580993408473768, 0),
        (1e+300, 1.0507009873554805e+300, 1.0507009873554805),
        (-1e+300, -1.7580993408473768, 0),
        (1e-300, 1.0507009873554804e-300, 1.0507009873554805),
        (-1e-08, -1.7580993320568802e-08, 1.7580993232663835),
        (1e-08, 1.0507009873554805e-08, 1.0507009873554805),
        (5e-324, 5e-324, 1.0507009873554805),
        (-2.5e-310, -4.39524835211846e-310, 1.7580993408473768),
        (-1e-20, -1.7580993408473768e-20, 1.7580993408473768),
        (-0.1, -0.16730527262431397, 1.5907940682230628),
        (-20.0, -1.758099337223664, 3.6237128249944117e-09),
    ]

    static let celuRows: [KernelRow] = [
        (-3.0, -0.950212931632136, 0.049787068367863944),
        (-1.0, -0.6321205588285577, 0.36787944117144233),
        (-0.5, -0.3934693402873666, 0.6065306597126334),
        (0.25, 0.25, 1.0),
        (1.0, 1.0, 1.0),
        (2.5, 2.5, 1.0),
        (40.0, 40.0, 1.0),
        (-40.0, -1.0, 4.248354255291589e-18),
        (750.0, 750.0, 1.0),
        (-750.0, -1.0, 0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -1.0, 0),
        (1e-300, 1e-300, 1.0),
        (-1e-08, -9.999999950000001e-09, 0.9999999900000001),
        (1e-08, 1e-08, 1.0),
        (5e-324, 5e-324, 1.0),
        (-2.5e-310, -2.5e-310, 1.0),
        (-1e-20, -1e-20, 1.0),
        (-0.1, -0.09516258196404043, 0.9048374180359595),
        (-20.0, -0.9999999979388464, 2.061153622438558e-09),
    ]

    static let celuAlphaRows: [KernelRow] = [
        (-3.0, -1.811178932918655, 0.3291929878079056),
        (-1.0, -0.8357079137118052, 0.6904785504771092),
        (-0.5, -0.4564339472665116, 0.830950389901292),
        (0.25, 0.25, 1.0),
        (1.0, 1.0, 1.0),
        (2.5, 2.5, 1.0),
        (40.0, 40.0, 1.0),
        (-40.0, -2.6999990060342047, 3.6813547983070805e-07),
        (750.0, 750.0, 1.0),
        (-750.0, -2.7, 2.3048566289715505e-121),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -2.7, 0),
        (1e-300, 1e-300, 1.0),
        (-1e-08, -9.999999981481481e-09, 0.9999999962962963),
        (1e-08, 1e-08, 1.0),
        (5e-324, 5e-324, 1.0),
        (-2.5e-310, -2.5e-310, 1.0),
        (-1e-20, -1e-20, 1.0),
        (-0.1, -0.09817080038652719, 0.9636404443012863),
        (-20.0, -2.6983617974337815, 0.0006067416911921482),
    ]

    static let exponentialRows: [KernelRow] = [
        (-3.0, 0.049787068367863944, 0.049787068367863944),
        (-1.0, 0.36787944117144233, 0.36787944117144233),
        (-0.5, 0.6065306597126334, 0.6065306597126334),
        (0.25, 1.2840254166877414, 1.2840254166877414),
        (1.0, 2.718281828459045, 2.718281828459045),
        (2.5, 12.182493960703473, 12.182493960703473),
        (40.0, 2.3538526683702e+17, 2.3538526683702e+17),
        (-40.0, 4.248354255291589e-18, 4.248354255291589e-18),
        (750.0, .infinity, .infinity),
        (-750.0, 0, 0),
        (1e+300, .infinity, .infinity),
        (-1e+300, 0, 0),
        (1e-300, 1.0, 1.0),
        (-1e-08, 0.9999999900000001, 0.9999999900000001),
        (1e-08, 1.00000001, 1.00000001),
        (5e-324, 1.0, 1.0),
        (-2.5e-310, 1.0, 1.0),
        (709.7, 1.6549840276802644e+308, 1.6549840276802644e+308),
        (-745.1, 5e-324, 5e-324),
        (-708.5, 2.006132305331306e-308, 2.006132305331306e-308),
        (1e-16, 1.0, 1.0),
    ]
}
