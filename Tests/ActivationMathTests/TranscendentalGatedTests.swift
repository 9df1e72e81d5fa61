import Testing
@testable import ActivationMath

/// swish, gelu (both forms) and mish against mpmath literals (400 digits, correctly rounded),
/// including the roots of their derivatives, the far negative tails down to the subnormals, and
/// swish's β partial; special values exactly.
@Suite struct TranscendentalGatedTests {
    @Test func swishAgainstLiterals() {
        expectRows(kernel(Swish<Double>.self, ["beta": .number(1)]), Self.swishRows)
        expectRows(kernel(Swish<Double>.self, ["beta": .number(1.702)]), Self.swishBetaRows)
    }

    @Test func swishSpecialValuesAndPartials() {
        let f = kernel(Swish<Double>.self, ["beta": .number(1)])
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
        expectSpecial(f, at: -.infinity, value: -0.0, derivative: 0)
        expectSpecial(f, at: 0, value: 0, derivative: 0.5)
        expectSpecial(f, at: -0.0, value: -0.0, derivative: 0.5)
        #expect(f.parameterPartials(.nan).0.isNaN)
        #expect(f.parameterPartials(.infinity) == (0, 0) && f.parameterPartials(-.infinity) == (0, 0))
        #expect(f.parameterPartials(2).1 == 0)
    }

    /// β = 0 makes swish x/2 and a negative β mirrors the gate.
    @Test func swishWithZeroAndNegativeBeta() {
        let half = kernel(Swish<Double>.self, ["beta": .number(0)])
        #expect(half.value(3) == 1.5 && half.derivative(-7) == 0.5 && half.parameterPartials(2).0 == 1)
        let mirrored = kernel(Swish<Double>.self, ["beta": .number(-1)])
        #expect(ulpDistance(mirrored.value(2), 0.23840584404423512) <= 2)
        #expect(mirrored.value(.infinity) == 0 && mirrored.value(-.infinity) == -.infinity)
    }

    /// The exact form's worst measured value error is 3 ulp (glibc's erfc is up to ~2.2 ulp
    /// off); the tanh form meets the 2 ulp bar.
    @Test func geluAgainstLiterals() {
        expectRows(kernel(GELU<Double>.self, ["approximate": .choice("none")]), Self.geluRows,
                   valueBound: 3, derivativeBound: 4)
        expectRows(kernel(GELU<Double>.self, ["approximate": .choice("tanh")]), Self.geluTanhRows)
    }

    /// The exact form is the default when the parameter is absent, as in PyTorch.
    @Test func geluDefaultsToTheExactForm() {
        let unspecified = kernel(GELU<Double>.self)
        let exact = kernel(GELU<Double>.self, ["approximate": .choice("none")])
        let tanhForm = kernel(GELU<Double>.self, ["approximate": .choice("tanh")])
        #expect(unspecified.value(1.5) == exact.value(1.5))
        #expect(tanhForm.value(1.5) != exact.value(1.5))
    }

    @Test func geluSpecialValues() {
        for form in ["none", "tanh"] {
            let f = kernel(GELU<Double>.self, ["approximate": .choice(form)])
            expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
            expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
            expectSpecial(f, at: -.infinity, value: -0.0, derivative: -0.0)
            expectSpecial(f, at: 0, value: 0, derivative: 0.5)
            expectSpecial(f, at: -0.0, value: -0.0, derivative: 0.5)
        }
    }

    /// The whole negative tail survives (1 + erf(x/√2) would be exactly 0 below x ≈ -8.3).
    @Test func geluKeepsTheNegativeTail() {
        let f = kernel(GELU<Double>.self)
        #expect(f.value(-30) < 0 && f.value(-38) < 0)
        #expect(ulpDistance(f.value(-9), -1.0157295653584566e-18) <= 3)
    }

    @Test func mishAgainstLiterals() {
        expectRows(kernel(Mish<Double>.self), Self.mishRows)
    }

    @Test func mishSpecialValues() {
        let f = kernel(Mish<Double>.self)
        expectSpecial(f, at: .nan, value: .nan, derivative: .nan)
        expectSpecial(f, at: .infinity, value: .infinity, derivative: 1)
        expectSpecial(f, at: -.infinity, value: -0.0, derivative: -0.0)
        expectSpecial(f, at: 0, value: 0, derivative: 0.6)
        expectSpecial(f, at: -0.0, value: -0.0, derivative: 0.6)
    }

    static let swishRows: [KernelRowWithPartial] = [
        (-3.0, -0.14227761953270035, -0.08810410601516962, 0.4065899375782092),
        (-1.0, -0.2689414213699951, 0.07232948812851327, 0.19661193324148185),
        (-0.5, -0.18877033439907273, 0.2600388126973482, 0.058750928050398624),
        (0.25, 0.14054412522144952, 0.6237100215701977, 0.015383380171099897),
        (1.0, 0.7310585786300049, 0.9276705118714867, 0.19661193324148185),
        (2.5, 2.310354549946891, 1.0994011113415267, 0.43814822840692597),
        (40.0, 40.0, 1.0000000000000002, 6.797366808466542e-15),
        (-40.0, -1.6993417021166355e-16, -1.6568581595637197e-16, 6.797366808466542e-15),
        (750.0, 750.0, 1.0, 1.0697e-320),
        (-750.0, -1.5e-323, -1.5e-323, 1.0697e-320),
        (1e+300, 1e+300, 1.0, 0),
        (-1e+300, -0.0, -0.0, 0),
        (1e-300, 5e-301, 0.5, 0),
        (-1e-08, -4.9999999750000005e-09, 0.499999995, 2.5e-17),
        (1e-08, 5.000000025e-09, 0.500000005, 2.5e-17),
        (5e-324, 0, 0.5, 0),
        (-2.5e-310, -1.25e-310, 0.5, 0),
        (-1.2784645427610737, -0.2784645427610738, 2.3843834755243115e-17, 0.27846454276107374),
        (-1.3, -0.2784145220446738, -0.004622854252336921, 0.2844242325727118),
        (-1.0, -0.2689414213699951, 0.07232948812851327, 0.19661193324148185),
        (-1.5, -0.2736382857095345, -0.041294154299142946, 0.3355795171582489),
        (-710.0, -3.1781632202293424e-306, -3.173686934003667e-306, 2.256495886362833e-303),
        (-20.0, -4.122307236380407e-08, -3.9161918660646786e-08, 8.244614455767398e-07),
    ]

    static let swishBetaRows: [KernelRowWithPartial] = [
        (-3.0, -0.01807130970778597, -0.024548323905652352, 0.05388735688880319),
        (-1.0, -0.1542042340671787, -0.06777960655633405, 0.13042528826293348),
        (-0.5, -0.1496115633936199, 0.12077808803458574, 0.0524221617957268),
        (0.25, 0.1511996499001942, 0.7065004409742669, 0.014938578345107255),
        (1.0, 0.8457957659328212, 1.067779606556334, 0.13042528826293348),
        (2.5, 2.46501383495143, 1.0447186660813745, 0.08624138087661941),
        (40.0, 40.0, 1.0, 4.338620407261729e-27),
        (-40.0, -1.0846551018154323e-28, -1.81896660574448e-28, 4.338620407261729e-27),
        (750.0, 750.0, 1.0, 0),
        (-750.0, -0.0, -0.0, 0),
        (1e+300, 1e+300, 1.0, 0),
        (-1e+300, -0.0, -0.0, 0),
        (1e-300, 5e-301, 0.5, 0),
        (-1e-08, -4.99999995745e-09, 0.49999999149, 2.5e-17),
        (1e-08, 5.0000000425500004e-09, 0.50000000851, 2.5e-17),
        (5e-324, 0, 0.5, 0),
        (-2.5e-310, -1.25e-310, 0.5, 0),
        (-1.2784645427610737, -0.1303156534939318, -0.09725776482276458, 0.1496217728131795),
        (-1.3, -0.1282121066168159, -0.09807072193359824, 0.1502373943187389),
        (-1.0, -0.1542042340671787, -0.06777960655633405, 0.13042528826293348),
        (-1.5, -0.10833780155292343, -0.09884806462410292, 0.15076962308406452),
        (-710.0, -0.0, -0.0, 0),
        (-20.0, -3.2934102413993747e-14, -5.4407137187917576e-14, 6.586820482798738e-13),
    ]

    static let geluRows: [KernelRow] = [
        (-3.0, -0.0040496940948902835, -0.011945647204183927),
        (-1.0, -0.15865525393145705, -0.0833154705876863),
        (-0.5, -0.15426876936299344, 0.13250487534383715),
        (0.25, 0.14967658142073093, 0.695373354883636),
        (1.0, 0.8413447460685429, 1.0833154705876864),
        (2.5, 2.4844758366855597, 1.037611085908145),
        (40.0, 40.0, 1.0),
        (-40.0, -0.0, -0.0),
        (750.0, 750.0, 1.0),
        (-750.0, -0.0, -0.0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -0.0, -0.0),
        (1e-300, 5e-301, 0.5),
        (-1e-08, -4.999999960105772e-09, 0.4999999920211544),
        (1e-08, 5.000000039894228e-09, 0.5000000079788456),
        (5e-324, 0, 0.5),
        (-2.5e-310, -1.25e-310, 0.5),
        (-0.7517915246935645, -0.16997120747990366, -6.453751729367753e-18),
        (-0.75, -0.16997051428265114, 0.0007742782607648957),
        (-1.25, -0.13206221708356908, -0.12266158306942213),
        (-5.0, -1.4332578593959695e-06, -7.146946001792295e-06),
        (-10.0, -7.619853024160526e-23, -7.618400096464814e-22),
        (-20.5, -2.206758018052147e-92, -4.523803306172878e-91),
        (-30.0, -1.472014178144456e-196, -4.416031690708495e-195),
        (-37.0, -2.1184613523340935e-298, -7.838298669418516e-297),
        (-38.5, -5.4e-323, -2.085e-321),
        (8.0, 7.999999999999995, 1.0000000000000397),
    ]

    static let geluTanhRows: [KernelRow] = [
        (-3.0, -0.003637392081773019, -0.011584166630969726),
        (-1.0, -0.1588080093917233, -0.08296408384578255),
        (-0.5, -0.15428599017485609, 0.1326300964653577),
        (0.25, 0.149675350701685, 0.6953540951510604),
        (1.0, 0.8411919906082767, 1.0829640838457826),
        (2.5, 2.484915733910001, 1.037951576212666),
        (40.0, 40.0, 1.0),
        (-40.0, -0.0, -0.0),
        (750.0, 750.0, 1.0),
        (-750.0, -0.0, -0.0),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -0.0, -0.0),
        (1e-300, 5e-301, 0.5),
        (-1e-08, -4.999999960105772e-09, 0.4999999920211544),
        (1e-08, 5.000000039894228e-09, 0.5000000079788456),
        (5e-324, 0, 0.5),
        (-2.5e-310, -1.25e-310, 0.5),
        (-0.7517915246935645, -0.17004065395871265, 0.00028849779121015265),
        (-0.75, -0.1700394448343797, 0.0010617438625857023),
        (-1.25, -0.1322857970302854, -0.12249263224964864),
        (-5.0, -2.291796196629506e-07, -1.5463619875325946e-06),
        (-10.0, -1.204092348209806e-37, -2.7576380638540315e-36),
        (-20.5, -1.3502940601643467e-280, -1.2356213261882888e-278),
        (-30.0, -0.0, -0.0),
        (-37.0, -0.0, -0.0),
        (-38.5, -0.0, -0.0),
        (8.0, 8.0, 1.0),
    ]

    static let mishRows: [KernelRow] = [
        (-3.0, -0.14564746127562458, -0.09339311453232084),
        (-1.0, -0.3034014613741089, 0.05921675587739495),
        (-0.5, -0.22074377465173, 0.2895106779135122),
        (0.25, 0.1695724096638176, 0.7541726677205928),
        (1.0, 0.8650983882673103, 1.0490362200997922),
        (2.5, 2.471392304557881, 1.0411295301313532),
        (40.0, 40.0, 1.0),
        (-40.0, -1.6993417021166355e-16, -1.6568581595637197e-16),
        (750.0, 750.0, 1.0),
        (-750.0, -1.5e-323, -1.5e-323),
        (1e+300, 1e+300, 1.0),
        (-1e+300, -0.0, -0.0),
        (1e-300, 6e-301, 0.6),
        (-1e-08, -5.999999968e-09, 0.5999999936),
        (1e-08, 6.000000032e-09, 0.6000000064),
        (5e-324, 5e-324, 0.6),
        (-2.5e-310, -1.5e-310, 0.6),
        (-1.1924312145154952, -0.30884341301725043, 1.2942924190978498e-17),
        (-1.2, -0.3088357963148625, -0.002008761393529047),
        (-2.0, -0.2525014826957089, -0.10835509242039394),
        (-0.7, -0.267870234795501, 0.18441607325678191),
        (-710.0, -3.1781632202293424e-306, -3.173686934003667e-306),
        (-720.0, -1.46320617774547e-310, -1.46117394694305e-310),
        (30.0, 30.0, 1.0),
    ]
}
