import Testing
@testable import ActivationMath

/// The vector functions' fast paths (``SoftmaxFast``, ``GatedSingle``) deliver a result only when
/// their error bound decides its rounding: then it must be the very number the precise path
/// gives. Here both paths run on the same inputs and every delivered result is compared bit for
/// bit; and the fast path must actually be taken on ordinary inputs, or it buys nothing.
@Suite struct VectorFastPathTests {
    /// A reproducible generator (SplitMix64).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Random slices: lengths 1 to 200, spreads from 2^-40 to 700, some with repeated entries,
    /// rounded to float32 for that target.
    static func slices(_ count: Int, float32: Bool, seed: UInt64) -> [([Double], [Double])] {
        var random = Generator(state: seed)
        return (0..<count).map { k in
            let n = Int.random(in: 1...200, using: &random)
            let spread = [0x1p-40, 1, 4, 30, 200, 700][k % 6]
            let centre = Double.random(in: -50...50, using: &random)
            var x = (0..<n).map { _ in centre + spread * Double.random(in: -1...1, using: &random) }
            if k % 7 == 0, n > 2 { x[1] = x[0] }
            var g = (0..<n).map { _ in Double.random(in: -3...3, using: &random) }
            if float32 {
                x = x.map { Double(Float($0)) }
                g = g.map { Double(Float($0)) }
            }
            return (x, g)
        }
    }

    enum Kind: CaseIterable { case softmax, softmin, logSoftmax, logSoftmaxGradient }

    /// y and dx of one slice by the precise path only, or by the kernel (fast path first).
    static func evaluate(_ kind: Kind, _ x: [Double], _ g: [Double], target: Certified.Target, fast: Bool)
        -> (y: [Double], dx: [Double])
    {
        let n = x.count
        var xs = x, gs = g
        var y = [Double](repeating: .nan, count: n), dx = y
        var work = [Double](repeating: 0, count: 3 * n)
        xs.withUnsafeMutableBufferPointer { xb in
            gs.withUnsafeMutableBufferPointer { gb in
                y.withUnsafeMutableBufferPointer { yb in
                    dx.withUnsafeMutableBufferPointer { db in
                        work.withUnsafeMutableBufferPointer { wb in
                            switch kind {
                            case .softmax, .softmin:
                                SoftmaxKernel.softmax(
                                    xb, g: nil, y: yb, dx: nil, work: wb, negate: kind == .softmin, target: target,
                                    fast: fast)
                            case .logSoftmax:
                                SoftmaxKernel.logSoftmax(xb, g: nil, y: yb, dx: nil, work: wb, target: target, fast: fast)
                            case .logSoftmaxGradient:
                                SoftmaxKernel.logSoftmax(xb, g: gb, y: yb, dx: db, work: wb, target: target, fast: fast)
                            }
                        }
                    }
                }
            }
        }
        return (y, dx)
    }

    @Test(arguments: Kind.allCases, [Certified.Target.float32, .float64])
    func softmaxFamilyAgreesWithThePrecisePath(kind: Kind, target: Certified.Target) {
        var taken = 0
        let slices = Self.slices(600, float32: target == .float32, seed: 11)
        for (x, g) in slices {
            let precise = Self.evaluate(kind, x, g, target: target, fast: false)
            let chosen = Self.evaluate(kind, x, g, target: target, fast: true)
            #expect(chosen.y.map(\.bitPattern) == precise.y.map(\.bitPattern), "x = \(x)")
            #expect(chosen.dx.map(\.bitPattern) == precise.dx.map(\.bitPattern), "x = \(x), g = \(g)")
            // Whether the fast path decided the slice: run it alone.
            var xs = x, gs = g
            var y = x, dx = x, work = [Double](repeating: 0, count: 3 * x.count)
            let decided = xs.withUnsafeMutableBufferPointer { xb in
                gs.withUnsafeMutableBufferPointer { gb in
                    y.withUnsafeMutableBufferPointer { yb in
                        dx.withUnsafeMutableBufferPointer { db in
                            work.withUnsafeMutableBufferPointer { wb in
                                switch kind {
                                case .softmax, .softmin:
                                    if kind == .softmin { for i in xb.indices { xb[i] = -xb[i] } }
                                    return SoftmaxFast.softmax(xb, y: yb, work: wb, target: target)
                                case .logSoftmax:
                                    return SoftmaxFast.logSoftmax(xb, g: nil, y: yb, dx: nil, work: wb, target: target)
                                case .logSoftmaxGradient:
                                    return SoftmaxFast.logSoftmax(xb, g: gb, y: yb, dx: db, work: wb, target: target)
                                }
                            }
                        }
                    }
                }
            }
            if decided { taken += 1 }
        }
        // Spreads up to 200 (five of the six) keep every entry within 600 of the maximum; the
        // slices of one entry (log_softmax 0, an exact zero) and cancelling gradients go the
        // precise way. At least 3/4 of the slices must take the fast path.
        #expect(taken * 4 >= slices.count * 3, "fast path taken for \(taken) of \(slices.count) slices")
    }

    @Test(arguments: [GatedKernels.Activation.sigmoid, .swish, .gelu])
    func gatedFloat32AgreesWithTheDoubleLengthPath(activation: GatedKernels.Activation) {
        var random = Generator(state: 12)
        let count = 20000
        // h across the whole range, next to swish's minimum, and l, g with float32 values.
        let h = (0..<count).map { i -> Double in
            let v: Double = switch i % 4 {
            case 0: Double.random(in: -8...8, using: &random)
            case 1: -1.2784645427610738 + Double.random(in: -1e-6...1e-6, using: &random)
            case 2: Double.random(in: -120...120, using: &random)
            default: Double.random(in: -1...1, using: &random) * 0x1p-20
            }
            return Double(Float(v))
        }
        let l = (0..<count).map { _ in Double(Float(Double.random(in: -1e3...1e3, using: &random))) }
        let g = (0..<count).map { _ in Double(Float(Double.random(in: -10...10, using: &random))) }
        func run(_ single: Bool) -> [[UInt64]] {
            var y = [Double](repeating: 0, count: count), dl = y, dh = y
            y.withUnsafeMutableBufferPointer { yb in
                dl.withUnsafeMutableBufferPointer { lb in
                    dh.withUnsafeMutableBufferPointer { hb in
                        GatedKernels.apply(
                            activation, h: h, l: l, g: g, y: yb.baseAddress!, dl: lb.baseAddress!,
                            dh: hb.baseAddress!, count: count, float32: true, singleFast: single)
                    }
                }
            }
            return [y.map(\.bitPattern), dl.map(\.bitPattern), dh.map(\.bitPattern)]
        }
        let fast = run(true), precise = run(false)
        for q in 0..<3 {
            let differing = (0..<count).filter { fast[q][$0] != precise[q][$0] }
            #expect(differing.isEmpty, "quantity \(q): \(differing.prefix(5).map { (h[$0], l[$0], g[$0]) })")
        }
        // The fast path decides nearly every value with |h| ≤ 8 (but next to swish's minimum,
        // a quarter of the inputs, for swish).
        var taken = 0
        for j in 0..<count {
            guard j % 4 != 2 else { continue }  // |h| ≤ 8 or tiny
            let single: GatedSingle.Result? = switch activation {
            case .sigmoid: GatedSingle.sigmoid(h[j], derivative: true)
            case .swish: GatedSingle.swish(h[j], derivative: true)
            default: GatedSingle.gelu(h[j], derivative: true)
            }
            guard let s = single else { continue }
            let v = l[j] * s.a
            if SoftmaxFast.decided(v, 0, bound: abs(v) * (s.aError + 0x1p-52), .float32) != nil { taken += 1 }
        }
        let candidates = count - count / 4 - (activation == .swish ? count / 4 : 0)
        #expect(taken * 100 >= candidates * 98, "decided \(taken) of \(candidates)")
    }

    /// geglu float64's lanes (``GatedGaussianLanes``) give, input by input, the very bits of the
    /// scalar fast path ``GatedFast/gelu(_:derivative:)`` (whose error budget the stated accuracy
    /// rests on): over every region and its edges, in blocks of every fill, values with and
    /// without the derivative; and inputs outside the fast range are marked, not computed.
    @Test func gaussianLanesMatchTheScalarFastPath() {
        var random = Generator(state: 31)
        var h: [Double] = []
        // The regions' edges: |h| = 1, z = |h|/√2 = 1.5, 3, 6, and |h| = 20, with neighbours.
        for edge in [1.0, 1.5 * 2.0.squareRoot(), 3 * 2.0.squareRoot(), 6 * 2.0.squareRoot(), 20] {
            var x = edge
            for _ in 0..<4 { x = x.nextDown }
            for _ in 0..<9 {
                h += [x, -x]
                x = x.nextUp
            }
        }
        for i in 0..<6000 {
            let v: Double = switch i % 6 {
            case 0: Double.random(in: -1...1, using: &random)
            case 1: Double.random(in: -4...4, using: &random)
            case 2: Double.random(in: -21...21, using: &random)
            case 3: -0.7517915246935645 + Double.random(in: -0.5...0.5, using: &random)
            case 4: Double.random(in: -1...1, using: &random) * 0x1p-30
            default: [Double.nan, .infinity, -.infinity, 0, 25, -1e300, 0x1p-1074][i / 6 % 7]
            }
            h.append(v)
        }
        let block = GatedGaussianLanes.block
        for derivative in [true, false] {
            var start = 0, fill = 1
            while start < h.count {
                let n = min(fill, h.count - start)
                var values = [Double](repeating: .nan, count: 4 * block)
                var regions = [Int8](repeating: 0, count: block)
                var indices = [Int16](repeating: 0, count: 5 * block)
                h.withUnsafeBufferPointer { hb in
                    GatedGaussianLanes.evaluate(
                        hb.baseAddress! + start, count: n, derivative: derivative, values: &values,
                        regions: &regions, indices: &indices)
                }
                for j in 0..<n {
                    let x = h[start + j]
                    guard let (a, da) = GatedFast.gelu(x, derivative: derivative) else {
                        #expect(regions[j] == -1, "h = \(x)")
                        continue
                    }
                    #expect(regions[j] >= 0, "h = \(x)")
                    #expect(values[j].bitPattern == a.hi.bitPattern && values[block + j].bitPattern == a.lo.bitPattern,
                            "value at h = \(x)")
                    if derivative && !RootSeries.gelu.contains(x) {
                        #expect(values[2 * block + j].bitPattern == da.hi.bitPattern
                                && values[3 * block + j].bitPattern == da.lo.bitPattern, "derivative at h = \(x)")
                    }
                }
                start += n
                fill = (fill + 37) % block + 1
            }
        }
    }

    /// Values alone (no dl, dh: the request asked for values only) take their own blocks
    /// (glu's and swiglu's exponentials, geglu's lanes without act'): each value must be the
    /// very bits of the value computed with the gradients, in both dtypes.
    @Test(arguments: [GatedKernels.Activation.sigmoid, .swish, .gelu, .geluTanh])
    func valuesAloneMatchTheValuesWithGradients(activation: GatedKernels.Activation) {
        var random = Generator(state: 77)
        let count = 3001
        var h = (0..<count).map { i -> Double in
            switch i % 5 {
            case 0: Double.random(in: -8...8, using: &random)
            case 1: Double.random(in: -800...800, using: &random)
            case 2: Double.random(in: -1...1, using: &random) * 0x1p-30
            case 3: [Double.nan, .infinity, -.infinity, 0, -0.0, 25, -1e300][i / 5 % 7]
            default: Double.random(in: -30...30, using: &random)
            }
        }
        // l: tiny and huge factors (products that leave the lanes' moderate range), and special
        // values (the plain products); g: a few zeros, which send a pair to the plain products too.
        var l = (0..<count).map { i -> Double in
            if i % 11 == 0 { return 0x1p-1000 }
            if i % 13 == 0 { return i % 2 == 0 ? 1e300 : -1e300 }
            if i % 17 == 0 { return [0, -0.0, .infinity, .nan][i / 17 % 4] }
            return Double.random(in: -1e3...1e3, using: &random)
        }
        let g = (0..<count).map { i in i % 19 == 0 ? 0 : Double.random(in: -10...10, using: &random) }
        // Pairs whose float32 value the lanes cannot decide: 2^k·σ(2^-23) and 2^k·swish(2^-23)
        // lie 2^-73 (relative) below a float32 midpoint (σ(h) = ½(1 + h/2 − h³/24 + …)).
        for i in stride(from: 5, to: count, by: 23) {
            h[i] = 0x1p-23
            l[i] = (i % 2 == 0 ? 1 : -1) * Double(sign: .plus, exponent: i % 41 - 20, significand: 1)
        }
        for float32 in [false, true] {
            let hh = float32 ? h.map { Double(Float($0)) } : h
            let ll = float32 ? l.map { Double(Float($0)) } : l
            var alone = [Double](repeating: 0, count: count), withGradients = alone, dl = alone, dh = alone
            var aloneWithG = alone
            alone.withUnsafeMutableBufferPointer { y in
                GatedKernels.apply(activation, h: hh, l: ll, g: nil, y: y.baseAddress!, dl: nil, dh: nil,
                                   count: count, float32: float32)
            }
            aloneWithG.withUnsafeMutableBufferPointer { y in
                GatedKernels.apply(activation, h: hh, l: ll, g: g, y: y.baseAddress!, dl: nil, dh: nil,
                                   count: count, float32: float32)
            }
            withGradients.withUnsafeMutableBufferPointer { y in
                dl.withUnsafeMutableBufferPointer { a in
                    dh.withUnsafeMutableBufferPointer { b in
                        GatedKernels.apply(activation, h: hh, l: ll, g: g, y: y.baseAddress!, dl: a.baseAddress!,
                                           dh: b.baseAddress!, count: count, float32: float32)
                    }
                }
            }
            // Without g, a pair whose g is 0 in the gradient call took another path (the plain one).
            let differing = (0..<count).filter {
                g[$0] != 0 && alone[$0].bitPattern != withGradients[$0].bitPattern
            }
            #expect(differing.isEmpty, "float32 \(float32): \(differing.prefix(5).map { (hh[$0], ll[$0]) })")
            let differingWithG = (0..<count).filter { aloneWithG[$0].bitPattern != withGradients[$0].bitPattern }
            #expect(differingWithG.isEmpty, "with g, float32 \(float32): \(differingWithG.prefix(5).map { (hh[$0], ll[$0]) })")
        }
    }

    /// glu's and swiglu's float32 values alone on lanes (``GatedLogisticSingle``): pairs built to
    /// lie next to a float32 midpoint must go to the scalar loop (the lanes' bound cannot decide
    /// them), ordinary pairs must be decided on the lanes, and every value, decided on the lanes
    /// or not, must be the bits of the double-length path.
    @Test(arguments: [false, true])
    func logisticLanesSendUndecidedPairsToTheScalarLoop(swish: Bool) {
        let activation: GatedKernels.Activation = swish ? .swish : .sigmoid
        var random = Generator(state: 91)
        var h: [Double] = [], l: [Double] = [], crafted: Set<Int> = []
        for i in 0..<4001 {
            switch i % 8 {
            case 3:
                // l·act(h) within 2^-52 of a float32 midpoint M: l = M / act(h), act(h) from
                // the double-length path (2^-55).
                var x = Double(Float(Double.random(in: -10...10, using: &random)))
                if x == 0 { x = 1 }
                let a = (swish ? GatedFast.swish(x, derivative: false) : GatedFast.sigmoid(x, derivative: false))!.0
                let f = Float(Double.random(in: 0.5...1000, using: &random))
                let midpoint = (Double(f) + Double(f.nextUp)) / 2
                h.append(x)
                l.append((i % 16 == 3 ? -midpoint : midpoint) / a.hi)
                crafted.insert(i)
            case 7:
                // float32 inputs: 2^k·act(2^-23) lies 2^-73 (relative) below a float32 midpoint.
                h.append(0x1p-23)
                l.append((i % 16 == 7 ? -1 : 1) * Double(sign: .plus, exponent: i % 61 - 30, significand: 1))
                crafted.insert(i)
            default:
                h.append(Double(Float(Double.random(in: -30...30, using: &random))))
                l.append(Double(Float(Double.random(in: -1e3...1e3, using: &random))))
            }
        }
        let count = h.count
        var precise = [Double](repeating: 0, count: count), dl = precise, dh = precise
        precise.withUnsafeMutableBufferPointer { y in
            dl.withUnsafeMutableBufferPointer { a in
                dh.withUnsafeMutableBufferPointer { b in
                    GatedKernels.apply(activation, h: h, l: l, g: nil, y: y.baseAddress!, dl: a.baseAddress!,
                                       dh: b.baseAddress!, count: count, float32: true, singleFast: false)
                }
            }
        }
        // The lanes alone: which pairs they leave to the scalar loop, and what they deliver.
        var lanes = [Double](repeating: .nan, count: count)
        var fallback: [Int] = []
        lanes.withUnsafeMutableBufferPointer { y in
            GatedLogisticSingle.values(swish: swish, h, l, nil, y.baseAddress!, count: count) { fallback.append($0) }
        }
        let left = Set(fallback)
        #expect(crafted.subtracting(left).isEmpty, "decided next to a midpoint: \(crafted.subtracting(left).sorted().prefix(5))")
        // Ordinary pairs: undecided about once in 2^24; the last pair (count is not a multiple of 4).
        #expect(left.count <= crafted.count + 3, "\(left.count - crafted.count) ordinary pairs left to the scalar loop")
        #expect(left.contains(count - 1))
        let wrong = (0..<count).filter { !left.contains($0) && lanes[$0].bitPattern != precise[$0].bitPattern }
        #expect(wrong.isEmpty, "lanes: \(wrong.prefix(5).map { (h[$0], l[$0], lanes[$0], precise[$0]) })")
        // The whole values-alone path (lanes, then the scalar loop for the pairs they leave).
        var alone = [Double](repeating: .nan, count: count)
        alone.withUnsafeMutableBufferPointer { y in
            GatedKernels.apply(activation, h: h, l: l, g: nil, y: y.baseAddress!, dl: nil, dh: nil, count: count,
                               float32: true)
        }
        let differing = (0..<count).filter { alone[$0].bitPattern != precise[$0].bitPattern }
        #expect(differing.isEmpty, "values alone: \(differing.prefix(5).map { (h[$0], l[$0], alone[$0], precise[$0]) })")
    }
}
