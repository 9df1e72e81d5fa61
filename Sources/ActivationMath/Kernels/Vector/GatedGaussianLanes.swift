/// geglu's act(h) = h·Φ(h) and act'(h) = Φ(h) + h·φ(h) on four SIMD lanes: ``GatedFast/gelu(_:derivative:)``
/// for a block of inputs at once, the same operations in the same order, so the same bits lane
/// by lane (VectorFastPathTests compares them), and so the same error budget.
///
/// The scalar fast path spends its time in Φ, a polynomial of 17 to 26 terms (the erf series for
/// |h| < 1, one of ``Erfcx``'s four pieces beyond), a chain of dependent FMAs, and in a dozen
/// double-length operations after it. Lanes can share a polynomial only when their inputs lie
/// in the same piece, so a block is first sorted into its regions (indices per region), each
/// region evaluated four inputs at a time (the last group padded with a repeated input), and
/// the results scattered back into the block's buffer, where the pair loop of ``GatedKernels``
/// reads them. Inputs with |h| > 20 or not finite are marked and take the scalar paths;
/// gelu′ next to its root (``RootSeries/gelu``) is the pair loop's business, as in the scalar
/// path.
enum GatedGaussianLanes {
    typealias V = SIMD4<Double>

    /// Pairs per block: the buffer holds 4 doubles per pair (act and act′, each hi and lo).
    static let block = 128

    /// Region of an input: 0 for |h| < 1, 1 to 4 for ``Erfcx``'s pieces by z = |h|/√2
    /// (rounded, as ``GatedGaussian/halfErfcx(_:)`` rounds it), -1 outside the fast range.
    @inline(__always)
    static func region(_ h: Double) -> Int {
        let a = abs(h)
        guard a <= 20, a >= GatedFast.smallest else { return -1 }
        if a < 1 { return 0 }
        let z = a * Constants.invSqrt2.hi
        return z < 1.5 ? 1 : z < 3 ? 2 : z < 6 ? 3 : 4
    }

    /// For the `count` (≤ ``block``) inputs at h: `values` gets act(h) as hi at [j] and lo at
    /// [block + j], and act'(h) at [2·block + j], [3·block + j] (when `derivative`); `regions`
    /// [j] is the input's region, -1 where nothing was computed. `indices` is scratch for
    /// 5·``block`` entries.
    static func evaluate(
        _ h: UnsafePointer<Double>, count: Int, derivative: Bool, values: UnsafeMutablePointer<Double>,
        regions: UnsafeMutablePointer<Int8>, indices: UnsafeMutablePointer<Int16>
    ) {
        let counts = sort(h, count: count, regions: regions, indices: indices)
        ExpDoubleDouble.table.withUnsafeBufferPointer { table in
            GatedGaussian.erfSeries.withUnsafeBufferPointer { series in
                run(h, indices, counts[0], derivative, values, table) { x, y in centralSeries(x, y, series) }
            }
            Erfcx.pieces.withUnsafeBufferPointer { pieces in
                for p in 0..<4 where counts[p + 1] > 0 {
                    let piece = pieces[p]
                    piece.coefficients.withUnsafeBufferPointer { c in
                        run(h, indices + (p + 1) * block, counts[p + 1], derivative, values, table) { x, y in
                            halfErfcx(x, y, lower: piece.lower, upper: piece.upper, c)
                        }
                    }
                }
            }
        }
    }

    /// The regions of `count` inputs into `regions`, the inputs of region r listed from
    /// indices[r·block]; their counts.
    @inline(__always)
    static func sort(
        _ h: UnsafePointer<Double>, count: Int, regions: UnsafeMutablePointer<Int8>, indices: UnsafeMutablePointer<Int16>
    ) -> SIMD8<Int> {
        // The running counts in memory, not in a SIMD8 (whose element updates went through a
        // vector store and a scalar load each time, a store-forwarding stall per input).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 5) { scratch in
            let c = scratch.baseAddress!
            c.initialize(repeating: 0, count: 5)
            for j in 0..<count {
                let r = region(h[j])
                regions[j] = Int8(truncatingIfNeeded: r)
                guard r >= 0 else { continue }
                let n = c[r]
                indices[r &* block &+ n] = Int16(truncatingIfNeeded: j)
                c[r] = n &+ 1
            }
            return SIMD8(c[0], c[1], c[2], c[3], c[4], 0, 0, 0)
        }
    }

    /// One region: `count` inputs named by `indices`, eight at a time as two groups of four
    /// (the last padded with a repeated input) whose polynomial chains `phi` runs together, so
    /// that one group's FMAs fill the other's latency; each lane's operations are those of a
    /// single group, so the bits are the same. `phi` gives the two groups' polynomial parts.
    @inline(__always)
    static func run(
        _ h: UnsafePointer<Double>, _ indices: UnsafePointer<Int16>, _ count: Int, _ derivative: Bool,
        _ values: UnsafeMutablePointer<Double>, _ table: UnsafeBufferPointer<(hi: Double, lo: Double)>,
        _ phi: (V, V) -> (Phi, Phi)
    ) {
        var i = 0
        while i < count {
            var x = V(), y = V()
            var at = SIMD8<Int>()
            for lane in 0..<8 {
                at[lane] = Int(indices[Swift.min(i + lane, count - 1)])
            }
            for lane in 0..<4 {
                x[lane] = h[at[lane]]
                y[lane] = h[at[lane + 4]]
            }
            let (px, py) = phi(x, y)
            let (vx, dx) = gelu(x, derivative, table, px)
            let (vy, dy) = gelu(y, derivative, table, py)
            for lane in 0..<Swift.min(8, count - i) {
                let j = at[lane]
                let value = lane < 4 ? vx : vy, d = lane < 4 ? dx : dy, k = lane & 3
                values[j] = value.hi[k]
                values[block + j] = value.lo[k]
                if derivative {
                    values[2 * block + j] = d.hi[k]
                    values[3 * block + j] = d.lo[k]
                }
            }
            i += 8
        }
    }

    /// A group's Φ once its polynomial is known: the central series' z (hi, lo) and Q, or a
    /// piece's erfcx (hi, lo), z's low part and the sign mask.
    enum Phi {
        case central(zh: V, zl: V, q: V)
        case tail(h: V, zh: V, zl: V, r: V, rl: V)
    }

    /// geglu's float64 values alone for a block already through ``evaluate(_:count:derivative:values:regions:indices:)``:
    /// y = l·act(h) rounded once, the pair loop's product (``ErrorFree/product(_:_:)`` of (l, 0)
    /// and act) and its rounding (the high part) four pairs at a time, so the same bits. A pair
    /// with a special input (zero, not finite), outside the lanes' range (region -1) or whose
    /// product is not moderate (``GatedFast/moderate(_:)``) goes to `scalar`, the pair loop for
    /// that one pair.
    @inline(__always)
    static func products(
        _ h: UnsafePointer<Double>, _ l: UnsafePointer<Double>, _ g: UnsafePointer<Double>?,
        _ y: UnsafeMutablePointer<Double>, count: Int, values: UnsafePointer<Double>, regions: UnsafePointer<Int8>,
        scalar: (Int) -> Void
    ) {
        var j = 0
        while j + 4 <= count {
            var a = V(repeating: 1), al = V(), lv = V(repeating: 1)
            var eligible = SIMD4<Int>()
            for lane in 0..<4 {
                let k = j + lane
                let hj = h[k], lj = l[k], gj = g?[k] ?? 1
                guard regions[k] >= 0, hj.isFinite, hj != 0, lj.isFinite, lj != 0, gj.isFinite, gj != 0 else {
                    continue
                }
                a[lane] = values[k]
                al[lane] = values[block + k]
                lv[lane] = lj
                eligible[lane] = 1
            }
            let v = times(DD(lv, V()), DD(a, al))
            for lane in 0..<4 {
                let m = abs(v.hi[lane])
                if eligible[lane] == 1 && m >= 0x1p-960 && m <= 0x1p1020 {
                    y[j + lane] = v.hi[lane]
                } else {
                    scalar(j + lane)
                }
            }
            j += 4
        }
        while j < count {
            scalar(j)
            j += 1
        }
    }

    /// ``GatedFast/gelu(_:derivative:)`` for |h| ≤ 20 in one region (its root series aside).
    @inline(__always)
    static func gelu(
        _ h: V, _ derivative: Bool, _ table: UnsafeBufferPointer<(hi: Double, lo: Double)>, _ phi: Phi
    ) -> (DD, DD) {
        let (hh, hl) = twoProduct(h, h)
        let g = ExpMedium.exp((-hh) / 2, (-hl) / 2, table: table)
        let gauss = DD(g.hi, g.lo)
        let p: DD
        switch phi {
        case let .central(zh, zl, q): p = centralFinish(zh, zl, q)
        case let .tail(h, zh, zl, r, rl): p = halfErfcxFinish(h, zh, zl, r, rl, gauss)
        }
        let value = times(DD(h, V()), p)
        guard derivative else { return (value, DD(V(), V())) }
        let density = times(gauss, DD(V(repeating: Constants.invSqrt2Pi.hi), V(repeating: Constants.invSqrt2Pi.lo)))
        let hd = times(DD(h, V()), density)
        var d = p
        d.add(hd.hi)
        d.add(hd.lo)
        return (value, d)
    }

    /// ``GatedGaussian/centralDistribution(_:)``'s z = h/√2 (hi, lo) for two groups, and the
    /// series Q(z²) for both, the two Horner chains interleaved.
    @inline(__always)
    static func centralSeries(_ x: V, _ y: V, _ series: UnsafeBufferPointer<Double>) -> (Phi, Phi) {
        let (xh, x0) = twoProduct(x, V(repeating: Constants.invSqrt2.hi))
        let xl = x0 + x * Constants.invSqrt2.lo
        let (yh, y0) = twoProduct(y, V(repeating: Constants.invSqrt2.hi))
        let yl = y0 + y * Constants.invSqrt2.lo
        let wx = xh * xh, wy = yh * yh
        var qx = V(), qy = V()
        var k = series.count - 1
        while k >= 0 {
            let c = V(repeating: series[k])
            qx = c.addingProduct(wx, qx)
            qy = c.addingProduct(wy, qy)
            k -= 1
        }
        return (.central(zh: xh, zl: xl, q: qx), .central(zh: yh, zl: yl, q: qy))
    }

    /// ``GatedGaussian/centralDistribution(_:)`` from z and Q.
    @inline(__always)
    static func centralFinish(_ zh: V, _ zl: V, _ q: V) -> DD {
        let (w2, w2e) = twoProduct(zh, zh)
        let wq = times(DD(w2, w2e + 2 * zh * zl), DD(q, V()))
        var p = DD(V(repeating: 1), V())
        p.add(-wq.hi)
        p.add(-wq.lo)
        let c = DD(V(repeating: Constants.twoOverSqrtPi.hi / 2), V(repeating: Constants.twoOverSqrtPi.lo / 2))
        let half = times(times(DD(zh, zl), p), c)
        var result = DD(V(repeating: 0.5), V())
        result.add(half.hi)
        result.add(half.lo)
        return result
    }

    /// Φ(h) for 1 ≤ |h| ≤ 20 in one of ``Erfcx``'s pieces: T = ½·erfcx(|h|/√2)·e^(-h²/2)
    /// (``GatedGaussian/halfErfcx(_:)``), then T for h < 0 and 1 − T for h > 0; here the
    /// erfcx part for two groups, their polynomials interleaved.
    @inline(__always)
    static func halfErfcx(
        _ x: V, _ y: V, lower: Double, upper: Double, _ c: UnsafeBufferPointer<Double>
    ) -> (Phi, Phi) {
        let a = x.replacing(with: -x, where: x .< 0)
        let (ah, a0) = twoProduct(a, V(repeating: Constants.invSqrt2.hi))
        let al = a0 + a * Constants.invSqrt2.lo
        let b = y.replacing(with: -y, where: y .< 0)
        let (bh, b0) = twoProduct(b, V(repeating: Constants.invSqrt2.hi))
        let bl = b0 + b * Constants.invSqrt2.lo
        let sa = (2 * ah - lower - upper) / (upper - lower)
        let sb = (2 * bh - lower - upper) / (upper - lower)
        let (accA, accB) = polynomial(UnsafeBufferPointer(rebasing: c[1...]), at: sa, sb)
        let (pa, pal) = twoProduct(sa, accA)
        let (ra, ral) = twoSum(V(repeating: c[0]), pa)
        let (pb, pbl) = twoProduct(sb, accB)
        let (rb, rbl) = twoSum(V(repeating: c[0]), pb)
        return (.tail(h: x, zh: ah, zl: al, r: ra, rl: ral + pal), .tail(h: y, zh: bh, zl: bl, r: rb, rl: rbl + pbl))
    }

    /// The rest of ``halfErfcx(_:_:lower:upper:_:)`` for one group, with e^(-h²/2).
    @inline(__always)
    static func halfErfcxFinish(_ h: V, _ zh: V, _ zl: V, _ r: V, _ rl0: V, _ gauss: DD) -> DD {
        var rl = rl0
        rl += zl * (2 * zh * r - Constants.twoOverSqrtPi.hi)
        let t = times(DD(r / 2, rl / 2), gauss)
        var complement = DD(V(repeating: 1), V())
        complement.add(-t.hi)
        complement.add(-t.lo)
        let negative = h .< 0
        return DD(complement.hi.replacing(with: t.hi, where: negative),
                  complement.lo.replacing(with: t.lo, where: negative))
    }

    /// ``Erfcx/evaluate(_:lower:upper:_:)``: erfcx(z) as hi + lo in one piece.
    @inline(__always)
    static func erfcx(_ z: V, lower: Double, upper: Double, _ c: UnsafeBufferPointer<Double>) -> (V, V) {
        let s = (2 * z - lower - upper) / (upper - lower)
        let acc = polynomial(UnsafeBufferPointer(rebasing: c[1...]), at: s)
        let (p, pl) = twoProduct(s, acc)
        let (hi, lo) = twoSum(V(repeating: c[0]), p)
        return (hi, lo + pl)
    }

    /// ``Polynomial/evaluate(_:at:)``: two Horner chains, E(x²) + x·O(x²).
    @inline(__always)
    static func polynomial(_ c: UnsafeBufferPointer<Double>, at x: V) -> V {
        let x2 = x * x
        var even = V(), odd = V()
        var k = c.count - 1
        if k % 2 == 0 {
            even = V(repeating: c[k])
            k -= 1
        }
        while k >= 1 {
            odd = V(repeating: c[k]).addingProduct(odd, x2)
            even = V(repeating: c[k - 1]).addingProduct(even, x2)
            k -= 2
        }
        return even.addingProduct(odd, x)
    }

    /// ``polynomial(_:at:)`` at two groups, the four chains interleaved.
    @inline(__always)
    static func polynomial(_ c: UnsafeBufferPointer<Double>, at x: V, _ y: V) -> (V, V) {
        let x2 = x * x, y2 = y * y
        var ex = V(), ox = V(), ey = V(), oy = V()
        var k = c.count - 1
        if k % 2 == 0 {
            ex = V(repeating: c[k])
            ey = ex
            k -= 1
        }
        while k >= 1 {
            let co = V(repeating: c[k]), ce = V(repeating: c[k - 1])
            ox = co.addingProduct(ox, x2)
            ex = ce.addingProduct(ex, x2)
            oy = co.addingProduct(oy, y2)
            ey = ce.addingProduct(ey, y2)
            k -= 2
        }
        return (ex.addingProduct(ox, x), ey.addingProduct(oy, y))
    }

    /// A double-double per lane, with ``DoubleDouble``'s addition.
    struct DD {
        var hi: V
        var lo: V

        @inline(__always)
        init(_ hi: V, _ lo: V) {
            self.hi = hi
            self.lo = lo
        }

        /// ``DoubleDouble/add(_:)`` for finite operands.
        @inline(__always)
        mutating func add(_ x: V) {
            let (s, e) = GatedGaussianLanes.twoSum(hi, x)
            let (h, l) = GatedGaussianLanes.twoSum(s, e + lo)
            hi = h
            lo = l
        }
    }

    /// ``ErrorFree/twoSum(_:_:)``.
    @inline(__always)
    static func twoSum(_ a: V, _ b: V) -> (V, V) {
        let s = a + b
        let bb = s - a
        return (s, (a - (s - bb)) + (b - bb))
    }

    /// ``ErrorFree/product(_:_:)`` of two doubles, for finite products (one FMA: exact).
    @inline(__always)
    static func twoProduct(_ a: V, _ b: V) -> (V, V) {
        let p = a * b
        return (p, (-p).addingProduct(a, b))
    }

    /// ``ErrorFree/product(_:_:)`` of two double-length pairs, for finite products.
    @inline(__always)
    static func times(_ a: DD, _ b: DD) -> DD {
        let (p, e) = twoProduct(a.hi, b.hi)
        let lo = e + (a.hi * b.lo + a.lo * b.hi)
        let hi = p + lo
        return DD(hi, lo - (hi - p))
    }
}

extension GatedGaussianLanes {
    /// ``GatedSingle/gelu(_:derivative:)`` on lanes, for float32 results: act(h), act'(h) and
    /// act′'s relative error bound in plain double (act's is 2^-48), the same formulas and
    /// bounds, but e^(-h²/2) from ``ExpMedium``'s lanes (its high part, within 2^-53 + 2^-68,
    /// where the scalar path takes glibc's e^x, 4u, with a first-order correction: 6u in its
    /// budget). `values` gets act at [j], act' at [block + j] and its bound at [2·block + j];
    /// `regions` and `indices` as for ``evaluate(_:count:derivative:values:regions:indices:)``.
    static func evaluateSingle(
        _ h: UnsafePointer<Double>, count: Int, derivative: Bool, values: UnsafeMutablePointer<Double>,
        regions: UnsafeMutablePointer<Int8>, indices: UnsafeMutablePointer<Int16>
    ) {
        let counts = sort(h, count: count, regions: regions, indices: indices)
        ExpDoubleDouble.table.withUnsafeBufferPointer { table in
            GatedGaussian.erfSeries.withUnsafeBufferPointer { series in
                runSingle(h, indices, counts[0], derivative, values, table) { x, _ in centralSingle(x, series) }
            }
            Erfcx.pieces.withUnsafeBufferPointer { pieces in
                for p in 0..<4 where counts[p + 1] > 0 {
                    let piece = pieces[p]
                    piece.coefficients.withUnsafeBufferPointer { c in
                        runSingle(h, indices + (p + 1) * block, counts[p + 1], derivative, values, table) {
                            halfErfcxSingle($0, $1, lower: piece.lower, upper: piece.upper, c)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func runSingle(
        _ h: UnsafePointer<Double>, _ indices: UnsafePointer<Int16>, _ count: Int, _ derivative: Bool,
        _ values: UnsafeMutablePointer<Double>, _ table: UnsafeBufferPointer<(hi: Double, lo: Double)>,
        _ phi: (V, V) -> V
    ) {
        var i = 0
        while i < count {
            var x = V()
            var at = SIMD4<Int>()
            for lane in 0..<4 {
                at[lane] = Int(indices[Swift.min(i + lane, count - 1)])
                x[lane] = h[at[lane]]
            }
            let (hh, hl) = twoProduct(x, x)
            let gauss = ExpMedium.exp((-hh) / 2, (-hl) / 2, table: table).hi
            let p = phi(x, gauss)
            let value = x * p
            var d = V(), dError = V()
            if derivative {
                let hd = x * (gauss * Constants.invSqrt2Pi.hi)  // h·φ within 9u
                d = p + hd
                dError = (magnitude(p) * 0x1p-48 + magnitude(hd) * 0x1p-49) / magnitude(d) + 0x1p-53
            }
            for lane in 0..<Swift.min(4, count - i) {
                let j = at[lane]
                values[j] = value[lane]
                values[block + j] = d[lane]
                values[2 * block + j] = dError[lane]
            }
            i += 4
        }
    }

    /// Φ for |h| < 1 as ``GatedSingle/gelu(_:derivative:)`` forms it: ½ + (1/√π)·z·(1 − z²·Q).
    @inline(__always)
    static func centralSingle(_ x: V, _ series: UnsafeBufferPointer<Double>) -> V {
        let z = x * Constants.invSqrt2.hi
        let w = z * z
        var q = V()
        var k = series.count - 1
        while k >= 0 {
            q = V(repeating: series[k]).addingProduct(w, q)
            k -= 1
        }
        let half = V(repeating: Constants.twoOverSqrtPi.hi / 2) * z * (1 - w * q)
        return 0.5 + half
    }

    /// Φ for 1 ≤ |h| ≤ 20 in one of ``Erfcx``'s pieces, as ``GatedSingle/gelu(_:derivative:)``
    /// forms it.
    @inline(__always)
    static func halfErfcxSingle(
        _ h: V, _ gauss: V, lower: Double, upper: Double, _ c: UnsafeBufferPointer<Double>
    ) -> V {
        let a = magnitude(h)
        let zh = a * Constants.invSqrt2.hi
        let zl = (-zh).addingProduct(a, V(repeating: Constants.invSqrt2.hi)) + a * Constants.invSqrt2.lo
        let (r, rl) = erfcx(zh, lower: lower, upper: upper, c)
        // erfcx(zh + zl) = erfcx(zh) + zl·(2z·erfcx − 2/√π) to first order.
        let e = r + (rl + zl * (2 * zh * r - Constants.twoOverSqrtPi.hi))
        let t = 0.5 * e * gauss
        return (1 - t).replacing(with: t, where: h .< 0)
    }

    @inline(__always)
    static func magnitude(_ v: V) -> V {
        v.replacing(with: -v, where: v .< 0)
    }

    /// The lanes files' store: all four lanes of `v` at `y + j` at once when every one is
    /// `delivered`, else the delivered lanes one by one and `scalar` for the others.
    @inline(__always)
    static func store(
        _ v: V, delivered: SIMDMask<V.MaskStorage>, to y: UnsafeMutablePointer<Double>, at j: Int,
        otherwise scalar: (Int) -> Void
    ) {
        if all(delivered) {
            UnsafeMutableRawPointer(y + j).storeBytes(of: v, as: V.self)
        } else {
            for lane in 0..<4 {
                if delivered[lane] {
                    y[j + lane] = v[lane]
                } else {
                    scalar(j + lane)
                }
            }
        }
    }
}
