import Testing
@testable import ActivationMath

/// sigmoid and swish on SIMD lanes (``LogisticLanes``) must give the scalar kernels' very bits:
/// both paths run on the same buffers, every output compared bit for bit, in float64 and
/// float32, values alone, gradients alone, both, both with an upstream gradient, and with swish's
/// ∂/∂β summed (the sums compared bit for bit, compensation included). And the
/// lanes must actually deliver ordinary elements, or they buy nothing.
@Suite struct LogisticLanesTests {
    typealias Generator = VectorFastPathTests.Generator

    /// A large random sample (the service's benchmark inputs, round(uniform(-6, 6), 6), wide
    /// and log-uniform spreads) and the adversarial inputs: ±0, subnormals, tiny, |x| ~ 16-40
    /// and ~700-750, the edges of the lanes' range and of swish's root window, ±inf, NaN,
    /// the largest finite numbers, and float32 inputs whose σ lies next to a float32 midpoint.
    static func inputs(seed: UInt64) -> [Double] {
        var random = Generator(state: seed)
        var x: [Double] = []
        for i in 0..<40_001 {
            switch i % 6 {
            case 0: x.append((Double.random(in: -6...6, using: &random) * 1e6).rounded() / 1e6)
            case 1: x.append(Double.random(in: -40...40, using: &random))
            case 2:
                let magnitude = Double.random(in: -60...9.7, using: &random)
                x.append((i % 12 == 2 ? -1 : 1) * Double.exp2(magnitude))
            case 3: x.append((i % 12 == 3 ? -1 : 1) * Double.random(in: 16...40, using: &random))
            case 4: x.append((i % 12 == 4 ? -1 : 1) * Double.random(in: 690...760, using: &random))
            default: x.append(Double.random(in: -2.5...0.2, using: &random))  // swish's root window
            }
        }
        var special: [Double] = [
            0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-1070,
            .infinity, -.infinity, .nan, -.nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            700, -700, 700.0.nextUp, (-700.0).nextDown, 708.4, -708.4, 745, -745, 745.2, -745.2, 746, -746,
            36.7, -36.7, 16.7, -16.7, 1, -1, 0.5, -0.5,
        ]
        let root = RootSeries.swish
        for edge in [root.rootHi - root.radius, root.rootHi + root.radius, root.rootHi] {
            special += [edge, edge.nextUp, edge.nextDown]
        }
        // 2^-k: σ = 1/2 + 2^-(k+2) − …, just below a float32 midpoint for k = 23.
        for k in 1...80 {
            special += [Double.exp2(Double(-k)), -Double.exp2(Double(-k))]
        }
        // Spread the specials so that they share lanes with ordinary inputs and with each other.
        for (k, value) in special.enumerated() {
            x[(k * 7919) % x.count] = value
            x[(k * 104_729 + 3) % x.count] = value
        }
        return x
    }

    enum Outputs: CaseIterable { case values, gradients, both, bothWithUpstream, partials, partialsWithUpstream }

    /// Runs one path over the buffers: the engine's dispatch (lanes for sigmoid and swish) or the
    /// scalar kernel's loop alone.
    static func evaluate<E: BinaryFloatingPoint, K: ElementwiseKernel>(
        _ function: ActivationFunction, _ kernel: K, _ parameters: ResolvedParameters, _ x: [E], _ outputs: Outputs,
        lanes: Bool
    ) -> (values: [E], gradients: [E], sums: ParameterGradientSums) where K.Scalar == Double {
        let n = x.count
        var values = [E](repeating: 7, count: n), gradients = values
        let upstream = (0..<n).map { E(Double($0 % 13) - 6.25) }
        var sums = ParameterGradientSums()
        let withUpstream = outputs == .bothWithUpstream || outputs == .partialsWithUpstream
        x.withUnsafeBufferPointer { input in
            upstream.withUnsafeBufferPointer { g in
                values.withUnsafeMutableBufferPointer { v in
                    gradients.withUnsafeMutableBufferPointer { d in
                        let buffers = ElementwiseBuffers(
                            input: input, gradOutput: withUpstream ? g : nil,
                            values: outputs == .gradients ? nil : v, gradients: outputs == .values ? nil : d,
                            wantsParameterGradients: outputs == .partials || outputs == .partialsWithUpstream)
                        if lanes {
                            sums = ElementwiseEvaluator.dispatch(
                                function, parameters: parameters, convention: .pytorch, buffers)
                        } else {
                            sums = ElementwiseEvaluator.drive(kernel, buffers)
                        }
                    }
                }
            }
        }
        return (values, gradients, sums)
    }

    static let cases: [(ActivationFunction, Double?)] = [(.sigmoid, nil), (.swish, 1), (.swish, 0.75), (.swish, -1.5)]

    @Test(arguments: 0..<cases.count, Outputs.allCases)
    func lanesGiveTheScalarKernelsBits(index: Int, outputs: Outputs) {
        let (function, beta) = Self.cases[index]
        let parameters = beta.map { ResolvedParameters(["beta": .number($0)]) } ?? ResolvedParameters()
        let x = Self.inputs(seed: 2026 + UInt64(index))
        func check<E: BinaryFloatingPoint>(_ x: [E], _ dtype: String) {
            let (lanes, scalar) = function == .sigmoid
                ? (Self.evaluate(function, Sigmoid<Double>(parameters: parameters, convention: .pytorch), parameters, x, outputs, lanes: true),
                   Self.evaluate(function, Sigmoid<Double>(parameters: parameters, convention: .pytorch), parameters, x, outputs, lanes: false))
                : (Self.evaluate(function, Swish<Double>(parameters: parameters, convention: .pytorch), parameters, x, outputs, lanes: true),
                   Self.evaluate(function, Swish<Double>(parameters: parameters, convention: .pytorch), parameters, x, outputs, lanes: false))
            var mismatches: [String] = []
            for i in x.indices {
                for (a, b, what) in [(lanes.values[i], scalar.values[i], "value"), (lanes.gradients[i], scalar.gradients[i], "gradient")]
                where !(a == b && a.sign == b.sign) && !(a.isNaN && b.isNaN) {
                    mismatches.append("\(what) at x = \(x[i]): lanes \(a), scalar \(b)")
                }
            }
            let (a, b) = (lanes.sums.parts, scalar.sums.parts)
            #expect([a.0, a.1, a.2, a.3].map(\.bitPattern) == [b.0, b.1, b.2, b.3].map(\.bitPattern),
                    "\(function.name) \(dtype) \(outputs): sums \(a) and \(b)")
            #expect(mismatches.isEmpty, "\(function.name) β = \(beta ?? 1) \(dtype) \(outputs): \(mismatches.count) differ, e.g. \(mismatches.prefix(5))")
        }
        check(x, "float64")
        check(x.map { Float($0) }, "float32")
    }

    /// Ordinary inputs are delivered by the lanes (the benchmark's inputs: all but a rare zero
    /// result), none of the special ones.
    @Test func lanesDeliverOrdinaryInputs() {
        var random = Generator(state: 5)
        let x = (0..<4096).map { _ in (Double.random(in: -6...6, using: &random) * 1e6).rounded() / 1e6 }
        var delivered = 0
        var swishDelivered = 0
        for j in stride(from: 0, to: x.count, by: 4) {
            let v = SIMD4(x[j], x[j + 1], x[j + 2], x[j + 3])
            let mask = LogisticLanes.sigmoid(v, derivative: true).3
            let swishMask = LogisticLanes.swish(v, beta: SIMD4(repeating: 1), derivative: false, partial: false).3
            for lane in 0..<4 {
                if mask[lane] { delivered += 1 }
                if swishMask[lane] { swishDelivered += 1 }
            }
        }
        #expect(delivered >= x.count * 99 / 100, "sigmoid: \(delivered) of \(x.count)")
        #expect(swishDelivered >= x.count * 99 / 100, "swish: \(swishDelivered) of \(x.count)")
        let special = SIMD4<Double>(.nan, .infinity, -.infinity, 750)
        let mask = LogisticLanes.sigmoid(special, derivative: true).3
        #expect(!any(mask))
    }
}
