import Testing
@testable import ActivationMath

/// sigmoid on SIMD lanes (``LogisticLanes``) must give the scalar kernel's very bits: both paths
/// run on the same buffers, every output compared bit for bit, in float64 and float32, values
/// alone, gradients alone, both, and both with an upstream gradient. And the lanes must actually
/// deliver ordinary elements, or they buy nothing.
@Suite struct LogisticLanesTests {
    typealias Generator = VectorFastPathTests.Generator

    /// A large random sample (the service's benchmark inputs, round(uniform(-6, 6), 6), wide
    /// and log-uniform spreads) and the adversarial inputs: ±0, subnormals, tiny, |x| ~ 16-40
    /// and ~700-750, the edges of the lanes' range, ±inf, NaN, the largest finite numbers, and
    /// float32 inputs whose σ lies next to a float32 midpoint.
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
            default: x.append(Double.random(in: -1...1, using: &random))
            }
        }
        var special: [Double] = [
            0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 0x1p-1070,
            .infinity, -.infinity, .nan, -.nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            700, -700, 700.0.nextUp, (-700.0).nextDown, 708.4, -708.4, 745, -745, 745.2, -745.2, 746, -746,
            36.7, -36.7, 16.7, -16.7, 1, -1, 0.5, -0.5,
        ]
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

    enum Outputs: CaseIterable { case values, gradients, both, bothWithUpstream }

    /// Runs one path over the buffers: the engine's dispatch (lanes for sigmoid) or the
    /// scalar kernel's loop alone.
    static func evaluate<E: BinaryFloatingPoint, K: ElementwiseKernel>(
        _ function: ActivationFunction, _ kernel: K, _ parameters: ResolvedParameters, _ x: [E], _ outputs: Outputs,
        lanes: Bool
    ) -> (values: [E], gradients: [E], sums: ParameterGradientSums) where K.Scalar == Double {
        let n = x.count
        var values = [E](repeating: 7, count: n), gradients = values
        let upstream = (0..<n).map { E(Double($0 % 13) - 6.25) }
        var sums = ParameterGradientSums()
        let withUpstream = outputs == .bothWithUpstream
        x.withUnsafeBufferPointer { input in
            upstream.withUnsafeBufferPointer { g in
                values.withUnsafeMutableBufferPointer { v in
                    gradients.withUnsafeMutableBufferPointer { d in
                        let buffers = ElementwiseBuffers(
                            input: input, gradOutput: withUpstream ? g : nil,
                            values: outputs == .gradients ? nil : v, gradients: outputs == .values ? nil : d)
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

    @Test(arguments: [UInt64(2026), 2027], Outputs.allCases)
    func lanesGiveTheScalarKernelsBits(seed: UInt64, outputs: Outputs) {
        let function = ActivationFunction.sigmoid
        let parameters = ResolvedParameters()
        let kernel = Sigmoid<Double>(parameters: parameters, convention: .pytorch)
        let x = Self.inputs(seed: seed)
        func check<E: BinaryFloatingPoint>(_ x: [E], _ dtype: String) {
            let lanes = Self.evaluate(function, kernel, parameters, x, outputs, lanes: true)
            let scalar = Self.evaluate(function, kernel, parameters, x, outputs, lanes: false)
            var mismatches: [String] = []
            for i in x.indices {
                for (a, b, what) in [(lanes.values[i], scalar.values[i], "value"), (lanes.gradients[i], scalar.gradients[i], "gradient")]
                where !(a == b && a.sign == b.sign) && !(a.isNaN && b.isNaN) {
                    mismatches.append("\(what) at x = \(x[i]): lanes \(a), scalar \(b)")
                }
            }
            #expect(mismatches.isEmpty, "\(dtype) \(outputs): \(mismatches.count) differ, e.g. \(mismatches.prefix(5))")
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
        for j in stride(from: 0, to: x.count, by: 4) {
            let v = SIMD4(x[j], x[j + 1], x[j + 2], x[j + 3])
            let mask = LogisticLanes.sigmoid(v, e: LogisticLanes.exponential(v), derivative: true).2
            for lane in 0..<4 {
                if mask[lane] { delivered += 1 }
            }
        }
        #expect(delivered >= x.count * 99 / 100, "sigmoid: \(delivered) of \(x.count)")
        let special = SIMD4<Double>(.nan, .infinity, -.infinity, 750)
        let mask = LogisticLanes.sigmoid(special, e: SIMD4(repeating: 0.5), derivative: true).2
        #expect(!any(mask))
    }
}
