import Testing
@testable import ActivationMath

/// The arithmetic under the softmax family's certified results: e^x in double-double and in
/// ``WideFloat``, exact sums, and rounding a scaled double-double once.
@Suite struct VectorExpTests {
    /// e^a = (hi + lo)·2^scale, hi in [1, 2): mpmath at 400 bits, rounded to double-double.
    static let references: [(a: Double, hi: Double, lo: Double, scale: Int)] = [
        (-0x1.68108c0f97f81p+9, 0x1.0d4ca4ad5d192p+0, -0x1.245102c87d56dp-55, -1039),
        (-0x1.0000000000000p-1, 0x1.368b2fc6f960ap+0, -0x1.85314b9559e64p-60, -1),
        (-0x1.b7cdfd9d7bdbbp-34, 0x1.ffffffff24190p+0, 0x1.31714b6a191dcp-56, -1),
        (-0x1.2a00000000000p+5, 0x1.3278bcd70e981p+0, -0x1.879383c9730eep-57, -54),
        (0x0.0p+0, 0x1.0000000000000p+0, 0x0.0p+0, 0),
        (-0x1.74c0000000000p+9, 0x1.62cbd81bac73bp+0, 0x1.dd9211cd43249p-59, -1076),
        (-0x1.76f999999999ap+10, 0x1.12b2f5afc1522p+0, 0x1.621b409837a73p-54, -2164),
        (-0x1.62e42fefa39efp-2, 0x1.6a09e667f3bcdp+0, -0x1.7233c057e4796p-54, -1),
        (-0x0.0000000000001p-1022, 0x1.0000000000000p+0, 0x0.0p+0, 0),
        (-0x1.34a456d5cfaadp+10, 0x1.dc1cae943dd1ap+0, 0x1.a51b307867d99p-54, -1782),
        (-0x1.d32d201b72ae2p+9, 0x1.02892fc3b5da9p+0, -0x1.22a879232f618p-54, -1348),
        (-0x1.162b8d0c4e6d1p+10, 0x1.abf9aea2c0222p+0, -0x1.b4e6de1f5c45ap-54, -1606),
        (-0x1.2a3295113d5cbp+10, 0x1.1f78eee78851ep+0, -0x1.628cb34c93f39p-56, -1721),
        (-0x1.616b3a2c9221ap+10, 0x1.6967c3964a979p+0, 0x1.c9fd3f8e84247p-54, -2040),
        (-0x1.1576435f70616p+10, 0x1.c67471bb0b965p+0, 0x1.a59c62b75c834p-54, -1602),
        (-0x1.59df331e387a7p+10, 0x1.08ed590891c28p+0, -0x1.610eeefec641cp-54, -1996),
        (-0x1.db38beb9086e0p-6, 0x1.f15cd548905e0p+0, 0x1.4499d5e34bd37p-56, -1),
        (-0x1.dccc2f63529c2p-2, 0x1.4167ad3fb42f5p+0, -0x1.d45081f84e770p-54, -1),
        (-0x1.e2ffa6cff07a8p-1, 0x1.8ea996d6c0eebp+0, 0x1.39e9e6d4d41bcp-54, -2),
        (-0x1.4c46648351904p-1, 0x1.0b8fc96e62c08p+0, -0x1.ed9a394d31857p-55, -1),
    ]

    /// The relative distance of (hi + lo)·2^scale from a reference, measured at the reference's scale.
    static func distance(_ got: (hi: Double, lo: Double, scale: Int), _ r: (a: Double, hi: Double, lo: Double, scale: Int)) -> Double {
        let shift = got.scale - r.scale
        let h = Certified.scaleExactly(got.hi, shift), l = got.lo * Certified.power(shift)
        return abs((h - r.hi) + (l - r.lo)) / r.hi
    }

    @Test func doubleDoubleExpIsWithinItsBound() {
        for r in Self.references where r.a >= ExpDoubleDouble.lowestArgument {
            let got = ExpDoubleDouble.exp(r.a, 0)
            #expect(Self.distance(got, r) <= ExpDoubleDouble.relativeError, "e^\(r.a): \(got)")
            #expect(got.hi >= 1 && got.hi < 2)
        }
    }

    @Test func mediumExpIsWithinItsBound() {
        for r in Self.references where r.a >= -680 {
            let (hi, lo) = ExpMedium.exp(r.a, 0)
            let got = (hi: Certified.scaleExactly(hi, -r.scale), lo: Certified.scale(lo, -r.scale), scale: r.scale)
            #expect(Self.distance(got, r) <= ExpMedium.relativeError, "e^\(r.a): \(hi), \(lo)")
        }
    }

    /// The same arguments split as a + b with |b| = ulp(a), the most x − max leaves in b: a low
    /// part far above ulp(r) once a is large.
    @Test func expsAreWithinTheirBoundsWithALowPart() {
        for r in Self.references where r.a != 0 && r.a.nextDown >= ExpDoubleDouble.lowestArgument {
            let a = r.a.nextDown, b = r.a - r.a.nextDown  // exact
            let dd = ExpDoubleDouble.exp(a, b)
            #expect(Self.distance((dd.hi, dd.lo, dd.scale), r) <= ExpDoubleDouble.relativeError, "e^(\(a) + \(b))")
            guard r.a >= -680 else { continue }
            let (hi, lo) = ExpMedium.exp(a, b)
            let got = (hi: Certified.scaleExactly(hi, -r.scale), lo: Certified.scale(lo, -r.scale), scale: r.scale)
            #expect(Self.distance(got, r) <= ExpMedium.relativeError, "e^(\(a) + \(b)): \(hi), \(lo)")
        }
    }

    /// The four-lane ExpMedium gives the scalar one's results bit for bit.
    @Test func mediumExpLanesMatchTheScalarOne() {
        var state: UInt64 = 7
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1p-53
        }
        ExpDoubleDouble.table.withUnsafeBufferPointer { table in
            for _ in 0..<4000 {
                let a = SIMD4<Double>(-700 * next(), -700 * next(), -next(), -0x1p-30 * next())
                var b = SIMD4<Double>()
                for lane in 0..<4 { b[lane] = (next() - 0.5) * a[lane].ulp }
                let e = ExpMedium.exp(a, b, table: table)
                for lane in 0..<4 {
                    let s = ExpMedium.exp(a[lane], b[lane])
                    #expect(s.hi.bitPattern == e.hi[lane].bitPattern && s.lo.bitPattern == e.lo[lane].bitPattern,
                            "e^(\(a[lane]) + \(b[lane]))")
                }
            }
        }
    }

    /// The plain-double e^x of glu's and swiglu's float32 lanes (``GatedLogisticSingle/exp(_:table:)``)
    /// within its stated bound over [-600, 0], against ``ExpMedium`` (2^-68, itself checked
    /// against mpmath above): random arguments at every scale, and arguments on both sides of
    /// the reduction's switch points (n·ln2/32 + ln2/64, where |r| is largest).
    @Test func plainExpLanesAreWithinTheirBound() {
        var state: UInt64 = 19
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1p-53
        }
        var arguments: [Double] = [0, -0x1p-1074, -600, -1, -0.5]
        for _ in 0..<6000 {
            arguments += [-600 * next(), -next(), -0x1p-20 * next()]
        }
        for n in stride(from: 0, through: 27_000, by: 37) {
            let edge = -(Double(n) + 0.5) * (0x1.62e42fefa39efp-1 / 32)
            arguments += [edge.nextUp, edge, edge.nextDown]
        }
        arguments = arguments.filter { $0 >= -600 }
        while arguments.count % 4 != 0 { arguments.append(-2) }
        var worst = 0.0
        ExpDoubleDouble.table32.withUnsafeBufferPointer { table in
            for i in stride(from: 0, to: arguments.count, by: 4) {
                let x = SIMD4<Double>(arguments[i], arguments[i + 1], arguments[i + 2], arguments[i + 3])
                let e = GatedLogisticSingle.exp(x, table: table)
                for lane in 0..<4 {
                    let (hi, lo) = ExpMedium.exp(x[lane], 0)
                    let error = abs((e[lane] - hi) - lo) / hi
                    worst = max(worst, error)
                    #expect(error <= GatedLogisticSingle.expRelativeError - 0x1p-67, "e^\(x[lane]): \(e[lane]) against \(hi) + \(lo)")
                }
            }
        }
        // The bound is not loose by orders of magnitude: the worst case is above half an ulp.
        #expect(worst > 0x1p-54, "worst \(worst)")
    }

    @Test func wideExpIsWithinItsBound() {
        for r in Self.references {
            for limbs in [3, 6] {
                let got = WideFloat.exp(r.a, 0, limbs: limbs).doubleDouble
                #expect(Self.distance(got, r) <= 0x1p-104, "e^\(r.a) at \(limbs) limbs: \(got)")
            }
        }
    }

    /// Sums keep a term 2^1039 times smaller exactly when the precision holds it, and lose it,
    /// within the stated bound, when it does not.
    @Test func wideSumsTruncateWithinOneUnit() {
        let tiny = 0x1p-1039
        let wide = (WideFloat(1, limbs: 20) + WideFloat(tiny, limbs: 20)) - WideFloat(1, limbs: 20)
        #expect(wide.doubleDouble.hi == 1 && wide.doubleDouble.scale == -1039)
        let narrow = (WideFloat(1, limbs: 3) + WideFloat(tiny, limbs: 3)) - WideFloat(1, limbs: 3)
        #expect(narrow.isZero)
        let product = WideFloat(3, limbs: 3) * WideFloat(-0x1p-1000, limbs: 3)
        #expect(product.doubleDouble.hi == -1.5 && product.doubleDouble.scale == -999)
        let third = WideFloat(1, limbs: 3).divided(by: 3)
        let (h, l, k) = third.doubleDouble
        let (p, pe) = ErrorFree.twoProduct(3, Certified.scaleExactly(h, k))
        #expect(abs((p - 1) + pe + 3 * Certified.scale(l, k)) <= 0x1p-104)  // 3·(1/3) = 1
    }

    @Test func exactSumDecidesZero() {
        var a = ExactSum()
        for v in [1, 0x1p-1074, -1, -0x1p-1074, 1e308, 1e308, -1e308, -1e308] { a.add(v) }
        #expect(a.isZero)
        var b = ExactSum()
        for v in [1, -1, 0x1p-1074] { b.add(v) }
        #expect(!b.isZero)
        var c = ExactSum()
        for v in [0.1, 0.2, -0.30000000000000004] { c.add(v) }
        #expect(!c.isZero)  // 0.1 + 0.2 is not 0.30000000000000004 exactly
    }

    /// One rounding into the subnormal range: halfway cases go to even, and lo decides
    /// what hi alone would leave on a tie.
    @Test func scaledRoundingIsCorrect() {
        let unit = Double.leastNonzeroMagnitude
        #expect(Certified.round(1.5, 0, -1074) == 2 * unit)
        #expect(Certified.round(1.5, -0x1p-60, -1074) == unit)
        #expect(Certified.round(1.5, 0x1p-60, -1074) == 2 * unit)
        #expect(Certified.round(1.25, 0, -1073) == 2 * unit)  // 2.5 units: ties to even
        #expect(Certified.round(1.25, 0x1p-70, -1073) == 3 * unit)
        #expect(Certified.round(-1.75, 0, -1074) == -2 * unit)
        #expect(Certified.round(1, 0x1p-53, 0) == 1)  // ties to even in the normal range
        #expect(Certified.round(1, 0x1p-53 + 0x1p-80, 0) == 1 + 0x1p-52)
        #expect(Certified.round(1.5, 0, 1024) == .infinity)
        #expect(Certified.round(1.5, 0, -1080) == 0)
        #expect(Certified.round(1.9, 0, -1030) == 1.9 * 0x1p-1030)
    }
}
