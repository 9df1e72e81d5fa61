import Testing
@testable import ActivationMath

/// hardshrink, softshrink, sparse_plus and sparse_sigmoid.
@Suite("Piecewise shrinks and sparse functions")
struct PiecewiseSparseTests {
    @Test func hardshrinkZeroesTheDeadZone() {
        #expect(PW.value(.hardshrink, nil, .pytorch, 0.75) == 0.75)
        #expect(PW.value(.hardshrink, nil, .pytorch, -0.75) == -0.75)
        #expect(PW.value(.hardshrink, nil, .pytorch, 0.25) == 0)
        #expect(PW.derivative(.hardshrink, nil, .pytorch, -0.75) == 1)
        #expect(PW.derivative(.hardshrink, nil, .pytorch, 0.25) == 0)
        for convention in KinkConvention.allCases {
            for edge in [-0.5, 0.5] {
                #expect(PW.value(.hardshrink, nil, convention, edge) == 0)
                #expect(PW.derivative(.hardshrink, nil, convention, edge) == 0)
            }
        }
        #expect(PW.value(.hardshrink, nil, .pytorch, 0.5.nextUp) == 0.5.nextUp)
        #expect(PW.isPositiveZero(PW.value(.hardshrink, nil, .pytorch, -0.0)))
        let none = PW.parameters(["lambd": 0])
        #expect(PW.value(.hardshrink, none, .pytorch, 0x1p-1063) == 0x1p-1063)
        #expect(PW.derivative(.hardshrink, none, .pytorch, 0) == 0)
        #expect(PW.value(.hardshrink, nil, .pytorch, -.infinity) == -.infinity)
        #expect(PW.derivative(.hardshrink, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.hardshrink, nil, .pytorch, .nan).isNaN)
        #expect(PW.derivative(.hardshrink, nil, .pytorch, .nan).isNaN)
    }

    @Test func softshrinkShrinksTowardsZero() {
        #expect(PW.value(.softshrink, nil, .pytorch, 2) == 1.5)
        #expect(PW.value(.softshrink, nil, .pytorch, -2) == -1.5)
        #expect(PW.value(.softshrink, nil, .pytorch, 0.3) == 0)
        #expect(PW.derivative(.softshrink, nil, .pytorch, 2) == 1)
        #expect(PW.derivative(.softshrink, nil, .pytorch, -0.3) == 0)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.softshrink, nil, convention, 0.5) == 0)
            #expect(PW.derivative(.softshrink, nil, convention, -0.5) == 0)
        }
        // Just past the threshold the difference is exact (Sterbenz), not rounded to 0.
        #expect(PW.value(.softshrink, nil, .pytorch, 0.5.nextUp) == 0.5.nextUp - 0.5)
        #expect(PW.value(.softshrink, nil, .pytorch, 0.5.nextUp) > 0)
        #expect(PW.value(.softshrink, nil, .pytorch, (-0.5).nextDown) < 0)
        #expect(PW.isPositiveZero(PW.value(.softshrink, nil, .pytorch, -0.0)))
        let custom = PW.parameters(["lambd": 2])
        #expect(PW.value(.softshrink, custom, .pytorch, 5) == 3)
        #expect(PW.value(.softshrink, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.value(.softshrink, nil, .pytorch, -.infinity) == -.infinity)
        #expect(PW.derivative(.softshrink, nil, .pytorch, -.infinity) == 1)
        #expect(PW.value(.softshrink, nil, .pytorch, .nan).isNaN)
    }

    @Test func sparseSigmoidKinksDifferBetweenConventions() {
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, 0) == 0.5)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, 0.5) == 0.75)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, -3) == 0)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, 3) == 1)
        #expect(PW.derivative(.sparseSigmoid, nil, .pytorch, 0.5) == 0.5)
        #expect(PW.derivative(.sparseSigmoid, nil, .jax, 0.5) == 0.5)
        #expect(PW.derivative(.sparseSigmoid, nil, .jax, 3) == 0)
        for edge in [-1.0, 1.0] {
            #expect(PW.derivative(.sparseSigmoid, nil, .pytorch, edge) == 0)
            #expect(PW.derivative(.sparseSigmoid, nil, .jax, edge) == 0.25)
        }
        // (x + 1)/2 next to −1 is exact and tiny; next to 1 it rounds once.
        let x = (-1.0).nextUp
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, x) == (x + 1) / 2)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, 1 - 0x1p-52) == 1 - 0x1p-53)
        // (2 − 2^−53)/2 is halfway between 1 − 2^−53 and 1: ties to even give 1.
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, 1.0.nextDown) == 1)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, -.infinity) == 0)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.sparseSigmoid, nil, .pytorch, .nan).isNaN)
        #expect(PW.derivative(.sparseSigmoid, nil, .jax, .nan).isNaN)
    }

    @Test func sparsePlusPiecesJoinWithAContinuousDerivative() {
        #expect(PW.value(.sparsePlus, nil, .pytorch, 0) == 0.25)
        #expect(PW.value(.sparsePlus, nil, .pytorch, -0.0) == 0.25)
        #expect(PW.value(.sparsePlus, nil, .pytorch, 0.5) == 0.5625)
        #expect(PW.value(.sparsePlus, nil, .pytorch, -2) == 0)
        #expect(PW.value(.sparsePlus, nil, .pytorch, 2) == 2)
        #expect(PW.derivative(.sparsePlus, nil, .pytorch, 0.5) == 0.75)
        #expect(PW.derivative(.sparsePlus, nil, .pytorch, -2) == 0)
        #expect(PW.derivative(.sparsePlus, nil, .pytorch, 2) == 1)
        for convention in KinkConvention.allCases {
            #expect(PW.derivative(.sparsePlus, nil, convention, -1) == 0)
            #expect(PW.derivative(.sparsePlus, nil, convention, 1) == 1)
            #expect(PW.value(.sparsePlus, nil, convention, -1) == 0)
            #expect(PW.value(.sparsePlus, nil, convention, 1) == 1)
        }
        // Next to −1 the value is a square of a tiny exact number: it underflows as it should.
        let x = -1 + 0x1p-52
        #expect(PW.value(.sparsePlus, nil, .pytorch, x) == 0x1p-106)
        #expect(PW.derivative(.sparsePlus, nil, .pytorch, x) == 0x1p-53)
        let deeper = -1 + 0x1p-40
        #expect(PW.value(.sparsePlus, nil, .pytorch, deeper) == 0x1p-82)
        #expect(PW.value(.sparsePlus, nil, .pytorch, .infinity) == .infinity)
        #expect(PW.derivative(.sparsePlus, nil, .pytorch, .infinity) == 1)
        #expect(PW.value(.sparsePlus, nil, .pytorch, -.infinity) == 0)
        #expect(PW.derivative(.sparsePlus, nil, .pytorch, -.infinity) == 0)
        let nan = PW.combined(.sparsePlus, nil, .pytorch, .nan)
        #expect(nan.value.isNaN && nan.derivative.isNaN)
        #if arch(x86_64)
        var worstValue = 0.0
        var worstDerivative = 0.0
        for x in stride(from: -0.99991, to: 1, by: 0.000731) {
            let wide = Float80(x)
            worstValue = max(worstValue, PW.ulps(PW.value(.sparsePlus, nil, .pytorch, x), (wide + 1) * (wide + 1) / 4))
            worstDerivative = max(worstDerivative, PW.ulps(PW.combined(.sparsePlus, nil, .pytorch, x).derivative, (wide + 1) / 2))
        }
        #expect(worstValue <= 0.51)
        #expect(worstDerivative <= 0.5)
        #endif
    }
}
