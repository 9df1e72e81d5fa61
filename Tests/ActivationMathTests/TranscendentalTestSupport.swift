import Testing
@testable import ActivationMath

/// The distance between `got` and `expected` in units of the spacing of Double at |expected|
/// (the smallest subnormal when expected is 0), as docs/numerical-conventions.md §8 defines it. Infinite or
/// NaN expectations must be met exactly (distance 0, otherwise infinity).
func ulpDistance(_ got: Double, _ expected: Double) -> Double {
    if expected.isNaN { return got.isNaN ? 0 : .infinity }
    if expected.isInfinite || got.isInfinite || got.isNaN { return got == expected ? 0 : .infinity }
    return abs(got - expected) / abs(expected).ulp
}

/// One row of mpmath literals: x, f(x), f'(x) and, for learnable parameters, ∂f/∂p(x), each the
/// correctly rounded double of the value at 400 digits (generated once, pasted here).
typealias KernelRow = (x: Double, value: Double, derivative: Double)
typealias KernelRowWithPartial = (x: Double, value: Double, derivative: Double, partial: Double)

/// Checks a kernel against rows of literals: values within `valueBound` ulp, derivatives and
/// partials within `derivativeBound` (issue 2's float64 bars by default), and the combined pass
/// equal to the separate ones bit for bit.
func expectRows<K: ElementwiseKernel>(
    _ kernel: K, _ rows: [KernelRowWithPartial], valueBound: Double = 2, derivativeBound: Double = 4,
    sourceLocation: SourceLocation = #_sourceLocation
) where K.Scalar == Double {
    for row in rows {
        let value = kernel.value(row.x)
        let derivative = kernel.derivative(row.x)
        #expect(ulpDistance(value, row.value) <= valueBound,
                "f(\(row.x)) = \(value), expected \(row.value): \(ulpDistance(value, row.value)) ulp",
                sourceLocation: sourceLocation)
        #expect(ulpDistance(derivative, row.derivative) <= derivativeBound,
                "f'(\(row.x)) = \(derivative), expected \(row.derivative): \(ulpDistance(derivative, row.derivative)) ulp",
                sourceLocation: sourceLocation)
        if !row.partial.isNaN || row.x.isInfinite {
            let partial = kernel.parameterPartials(row.x).0
            #expect(ulpDistance(partial, row.partial) <= derivativeBound,
                    "∂f/∂p(\(row.x)) = \(partial), expected \(row.partial): \(ulpDistance(partial, row.partial)) ulp",
                    sourceLocation: sourceLocation)
        }
        let both = kernel.valueAndDerivative(row.x)
        #expect(both.value.bitPattern == value.bitPattern && both.derivative.bitPattern == derivative.bitPattern,
                "valueAndDerivative(\(row.x)) disagrees with value/derivative", sourceLocation: sourceLocation)
        expectOnePassAgrees(kernel, at: row.x, sourceLocation: sourceLocation)
    }
}

/// valueDerivativeAndPartials(x) gives the bits of value, derivative and parameterPartials
/// (any two NaNs count as equal).
func expectOnePassAgrees<K: ElementwiseKernel>(
    _ kernel: K, at x: Double, sourceLocation: SourceLocation = #_sourceLocation
) where K.Scalar == Double {
    let all = kernel.valueDerivativeAndPartials(x)
    let partials = kernel.parameterPartials(x)
    #expect(same(all.value, kernel.value(x)) && same(all.derivative, kernel.derivative(x))
            && same(all.partials.0, partials.0) && same(all.partials.1, partials.1),
            "valueDerivativeAndPartials(\(x)) disagrees with the separate calls", sourceLocation: sourceLocation)
}

/// The one-pass path of the kernels that override it (swish, snake), over a dense grid, every
/// branch (series, roots, difference, large |αx|) and several parameters.
@Test(arguments: [0.25, 1, 1.7, 3, 1e-3, 1e3])
func onePassAgreesWithSeparateCalls(parameter: Double) {
    let swish = kernel(Swish<Double>.self, ["beta": .number(parameter)])
    let snake = kernel(Snake<Double>.self, ["alpha": .number(parameter)])
    var xs: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e-300, -1e-300, 1e300, -1e300, 0x1p21, -0x1p21]
    for i in -20_000...20_000 { xs.append(Double(i) / 97) }
    for e in stride(from: -60.0, through: 60.0, by: 0.37) { xs += [Double.pow(2, e), -Double.pow(2, e)] }
    for x in xs {
        expectOnePassAgrees(swish, at: x)
        expectOnePassAgrees(snake, at: x)
    }
}

/// Rows without a partial (functions without learnable parameters).
func expectRows<K: ElementwiseKernel>(
    _ kernel: K, _ rows: [KernelRow], valueBound: Double = 2, derivativeBound: Double = 4,
    sourceLocation: SourceLocation = #_sourceLocation
) where K.Scalar == Double {
    expectRows(kernel, rows.map { ($0.x, $0.value, $0.derivative, Double.nan) },
               valueBound: valueBound, derivativeBound: derivativeBound, sourceLocation: sourceLocation)
}

/// Equal bits, with any two NaNs equal.
func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

/// Exact expectations at NaN, ±inf and ±0, signs of zero included (NaN expectations match any NaN).
func expectSpecial<K: ElementwiseKernel>(
    _ kernel: K, at x: Double, value: Double, derivative: Double,
    sourceLocation: SourceLocation = #_sourceLocation
) where K.Scalar == Double {
    let (v, d) = kernel.valueAndDerivative(x)
    #expect(same(v, value), "f(\(x)) = \(v), expected \(value)", sourceLocation: sourceLocation)
    #expect(same(d, derivative), "f'(\(x)) = \(d), expected \(derivative)", sourceLocation: sourceLocation)
    #expect(same(kernel.value(x), value) && same(kernel.derivative(x), derivative),
            "separate value/derivative at \(x) differ from the combined pass", sourceLocation: sourceLocation)
}

/// A kernel bound to parameters by name.
func kernel<K: ElementwiseKernel>(
    _: K.Type, _ parameters: [String: ParameterValue] = [:], convention: KinkConvention = .pytorch
) -> K {
    K(parameters: ResolvedParameters(parameters), convention: convention)
}

@Test func ulpDistanceMeasuresSpacingsAndSpecials() {
    #expect(ulpDistance(1.0.nextUp, 1.0) == 1)
    #expect(ulpDistance(-3.0, -3.0) == 0)
    #expect(ulpDistance(5e-324, 0) == 1)
    #expect(ulpDistance(.nan, .nan) == 0 && ulpDistance(1, .nan) == .infinity)
    #expect(ulpDistance(.infinity, .infinity) == 0 && ulpDistance(.greatestFiniteMagnitude, .infinity) == .infinity)
}
