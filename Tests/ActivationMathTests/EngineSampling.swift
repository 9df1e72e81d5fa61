@testable import ActivationMath

/// Runs the engine's elementwise loop the way the service does, over whole arrays, and measures
/// errors in units in the last place.
enum EngineSampling {
    /// Whether a function's kernel is written: its metadata is in the catalogue (the skeleton's
    /// placeholders trap, and a trap would take the whole test process down with it).
    static func isImplemented(_ function: ActivationFunction) -> Bool {
        function == .relu || Catalogue.metadata(for: function) != nil
    }

    /// The elementwise functions, in catalogue order.
    static let elementwise = ActivationFunction.allCases.filter { $0.kind == .elementwise }

    /// f(x) and grad_output · f'(x) with grad_output = 1 for every x, in one pass of the engine.
    static func valuesAndDerivatives<T: ReferenceScalar>(
        _ function: ActivationFunction, _ parameters: ResolvedParameters,
        _ convention: KinkConvention, _ xs: [T]
    ) -> (values: [T], derivatives: [T]) {
        var values = [T](repeating: .nan, count: xs.count)
        var derivatives = [T](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { v in
                derivatives.withUnsafeMutableBufferPointer { d in
                    _ = T.run(function, parameters, convention,
                              ElementwiseBuffers(input: input, values: v, gradients: d))
                }
            }
        }
        return (values, derivatives)
    }

    /// ∂f/∂p at each x, for the learnable parameters in metadata order: the engine's parameter
    /// gradient of a one-element evaluation (grad_output = 1), rounded to the dtype as the
    /// engine reports it.
    static func partials<T: ReferenceScalar>(
        _ function: ActivationFunction, _ parameters: ResolvedParameters, _ xs: [T]
    ) -> (first: [T], second: [T]) {
        var first: [T] = [], second: [T] = []
        first.reserveCapacity(xs.count)
        second.reserveCapacity(xs.count)
        for x in xs {
            var input = x
            var gradient = T.nan
            let sums = withUnsafePointer(to: &input) { inputPointer in
                withUnsafeMutablePointer(to: &gradient) { gradientPointer in
                    T.run(function, parameters, .pytorch, ElementwiseBuffers(
                        input: UnsafeBufferPointer(start: inputPointer, count: 1),
                        gradients: UnsafeMutableBufferPointer(start: gradientPointer, count: 1),
                        wantsParameterGradients: true))
                }
            }
            first.append(T(sums.sums.0))
            second.append(T(sums.sums.1))
        }
        return (first, second)
    }

    /// |got − reference| in units of the reference's ULP in its dtype (the smallest subnormal
    /// when the reference is 0). NaN matches only NaN, an infinity only the same infinity
    /// (anything else is an infinite error), and +0 equals −0 (docs/numerical-conventions.md §6).
    static func ulpError<T: BinaryFloatingPoint>(_ got: T, _ reference: T) -> Double {
        if reference.isNaN || got.isNaN { return reference.isNaN && got.isNaN ? 0 : .infinity }
        if reference.isInfinite || got.isInfinite { return got == reference ? 0 : .infinity }
        if got == reference { return 0 }
        let unit = reference == 0 ? T.leastNonzeroMagnitude : reference.magnitude.ulp
        // Exact for nearby values (Sterbenz); an overflowing difference is a huge error anyway.
        return Double(((got - reference) / unit).magnitude)
    }

    /// Whether x is a special input, whose results must be exact: ±0, ±inf, NaN.
    static func isSpecial<T: BinaryFloatingPoint>(_ x: T) -> Bool {
        x == 0 || !x.isFinite
    }
}

/// The worst error of one quantity over a table, and where it occurred.
struct WorstError: CustomStringConvertible {
    var ulps = 0.0
    var at = Double.nan
    var got = Double.nan
    var expected = Double.nan
    /// The input in the dtype's shortest exact spelling.
    var atText = ""
    /// Special inputs whose result was not exact.
    var specialMismatches: [String] = []

    mutating func record<T: BinaryFloatingPoint>(x: T, got: T, expected: T) {
        let error = EngineSampling.ulpError(got, expected)
        // Special inputs are held to exactness on their own, so that one wrong limit does not
        // hide the worst error over the finite inputs.
        if EngineSampling.isSpecial(x) {
            if error != 0 { specialMismatches.append("x=\(x): got \(got), expected \(expected)") }
            return
        }
        if error > ulps || (error.isNaN && !ulps.isNaN) {
            ulps = error
            at = Double(x)
            atText = "\(x)"
            self.got = Double(got)
            self.expected = Double(expected)
        }
    }

    var description: String {
        ulps == 0 ? "0" : "\(ulps.formatted6) @ \(atText)"
    }
}
