import Testing
@testable import ActivationMath

/// tanhshrink and snake against mpmath literals (400 digits, correctly rounded), including the
/// cancellation of x - tanh x near 0, snake's α partial and the zeros of snake'; special values
/// exactly.
@Suite struct TranscendentalPeriodicTests {
    @Test func tanhshrinkAgainstLiterals() {
        expectRows(kernel(TanhShrink<Double>.self), Self.tanhshrinkRows)
    }

    /// x - tanh x computed as written is 0 for |x| < 1e-8 while the truth is x³/3.
    @Test func tanhshrinkKeepsItsCubeNearZero() {
        let f = kernel(TanhShrink<Double>.self)
        #expect(1e-9 - Double.tanh(1e-9) == 0)
        #expect(ulpDistance(f.value(1e-9), 3.3333333333333338e-28) <= 2)
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
        expectSpecial(f, at: -.infinity, value: -.infinity, derivative: 1)
        expectSpecial(f, at: 0, value: 0, derivative: 0)
        expectSpecial(f, at: -0.0, value: -0.0, derivative: 0)
    }

    @Test func snakeAgainstLiterals() {
        expectRows(kernel(Snake<Double>.self, ["alpha": .number(1)]), Self.snakeRows)
        expectRows(kernel(Snake<Double>.self, ["alpha": .number(0.3)]), Self.snakeAlphaRows)
    }

    /// ±inf: the value tends to ±inf (the sin² term is bounded); derivative and partial oscillate
    /// without a limit, so they are NaN. NaN gives NaN everywhere.
    @Test func snakeSpecialValues() {
        let f = kernel(Snake<Double>.self, ["alpha": .number(1)])
        for x in [Double.nan, .infinity, -.infinity] {
            expectSpecial(f, at: x, value: x.isNaN ? .nan : x, derivative: .nan)
            #expect(f.parameterPartials(x).0.isNaN)
        }
        expectSpecial(f, at: 0, value: 0, derivative: 1)
        #expect(f.parameterPartials(0) == (0, 0))
    }

    /// f' = 2 sin²(αx + π/4) touches 0 at αx = -π/4: relatively accurate right next to it.
    @Test func snakeDerivativeNearItsDoubleZero() {
        let f = kernel(Snake<Double>.self, ["alpha": .number(2)])
        let x = -0.39269908169872414 + 1e-6  // αx = -π/4 + 2e-6
        #expect(ulpDistance(f.derivative(x), 7.999999999806175e-12) <= 4)
        #expect(f.derivative(-0.39269908169872414) < 1e-30)
    }

    static let tanhshrinkRows: [KernelRow] = [
        (-3.0, -2.0049452463132695, 0.9901339628345598),
        (-1.0, -0.23840584404423512, 0.580025658385974),
        (-0.5, -0.03788284273999024, 0.2135522670340726),
        (0.25, 0.005081337596290871, 0.05998515119362204),
        (1.0, 0.23840584404423512, 0.580025658385974),
        (2.5, 1.5133857018485697, 0.9734077733168394),
        (40.0, 39.0, 1.0),
        (-40.0, -39.0, 1.0),
        (750.0, 749.0, 1.0),
        (-750.0, -749.0, 1.0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -1e+300, 1.0),
        (1e-300, 0, 0),
        (-1e-08, -3.3333333333333335e-25, 1e-16),
        (1e-08, 3.3333333333333335e-25, 1e-16),
        (5e-324, 0, 0),
        (-2.5e-310, -0.0, 0),
        (1e-05, 3.333333333200001e-16, 9.999999999333335e-11),
        (-0.3, -0.008687387548409094, 0.08486303817337079),
        (1.2, 0.3663453929878447, 0.694980003792591),
        (1.3, 0.43827684068669365, 0.742566803296906),
        (-1.25, -0.4017163600424871, 0.7195851338195673),
        (3.0, 2.0049452463132695, 0.9901339628345598),
        (0.01, 3.333200005396607e-07, 9.999333371109144e-05),
    ]

    static let snakeRows: [KernelRowWithPartial] = [
        (-3.0, -2.980085143325183, 1.2794154981989259, -0.8581613512715947),
        (-1.0, -0.2919265817264288, 0.0907025731743183, 0.2012240085521105),
        (-0.5, -0.2701511529340699, 0.1585290151921035, 0.1908866453380181),
        (0.25, 0.3112087190548136, 1.479425538604203, 0.05864766559623711),
        (1.0, 1.7080734182735713, 1.9092974268256817, 0.2012240085521105),
        (2.5, 2.8581689072683867, 0.04107572533686153, -2.755479593926233),
        (40.0, 40.55519362191952, 0.00611134607662481, -40.31073977885453),
        (-40.0, -39.44480637808048, 1.993888653923375, -40.31073977885453),
        (1e-300, 1e-300, 1.0, 0),
        (-1e-08, -9.9999999e-09, 0.99999998, 1e-16),
        (1e-08, 1.00000001e-08, 1.00000002, 1e-16),
        (5e-324, 5e-324, 1.0, 0),
        (-0.7853981633974483, -0.28539816339744833, 1.874699728327322e-33, 0.28539816339744833),
        (-0.78, -0.28539805852913375, 5.827977003370368e-05, 0.28535260030850745),
        (2.356, 2.8561944901874403, 7.565286888294155e-08, -2.8561943119492814),
        (-1.2, -0.33130314222937723, 0.324536819448849, -0.05814104110924156),
        (1000000.0, 1000000.1224954516, 0.34428568443653, -655714.4380589216),
    ]

    static let snakeAlphaRows: [KernelRowWithPartial] = [
        (-3.0, -0.9546631755115216, 0.026152369121804797, 2.9206868938203576),
        (-1.0, -0.7088926915161305, 0.4353575266049647, 0.9117838830372195),
        (-0.5, -0.42556081520934336, 0.7044797933386604, 0.24440306180004384),
        (0.25, 0.26871487010659617, 1.1494381324735992, 0.06214887670601205),
        (1.0, 1.2911073084838696, 1.5646424733950353, 0.9117838830372195),
        (2.5, 4.048771330553828, 1.9974949866040543, 3.149887119854359),
        (40.0, 40.95970165443834, 0.09442163799337577, -123.9427871156777),
        (-40.0, -39.04029834556166, 1.9055783620066242, -123.9427871156777),
        (1e-300, 1e-300, 1.0, 0),
        (-1e-08, -9.99999997e-09, 0.999999994, 1e-16),
        (1e-08, 1.000000003e-08, 1.000000006, 1e-16),
        (5e-324, 5e-324, 1.0, 0),
        (-0.7853981633974483, -0.6037423703780614, 0.5460095002604533, 0.5830250389198096),
        (-0.78, -0.6007871283770947, 0.5488977557808338, 0.5754895962268146),
        (2.356, 3.7617504643465858, 1.987670078888731, 3.070667471717547),
        (-1.2, -0.7863428819014916, 0.3406153280285269, 1.2586816275575312),
        (1000000.0, 1000000.0382087501, 0.7871034687413746, -709655.2315579182),
    ]
}
