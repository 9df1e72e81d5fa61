/// A Taylor expansion around a simple root x₀ of a derivative, for the neighbourhood where the
/// direct formula cancels.
///
/// gelu', swish' and mish' cross zero at one negative point. Near it the direct formula is a
/// difference of two terms of size ~0.3 whose absolute error (~1e-17) is huge relative to the
/// result, so a grid point 1e-3 away from the root would be ~100 ulp off. Here x - x₀ is formed
/// exactly (x₀ = hi + lo, and x - hi is exact by Sterbenz's lemma within the radius) and the
/// series is summed by Horner; its coefficients come from mpmath at 80 digits and the
/// truncation error over the radius is below 3e-18 relative (checked on 40 points).
struct RootSeries: Sendable {
    let rootHi: Double
    let rootLo: Double
    /// Half-width of the interval around the root where the series is used.
    let radius: Double
    /// Coefficients of (x - x₀)^k, from k = 0 (which is 0).
    let coefficients: [Double]

    @inline(__always)
    func contains<T: ActivationReal>(_ x: T) -> Bool {
        abs(x - T(rootHi)) < T(radius)
    }

    /// f'(x) for x = hi + lo near the root.
    @inline(__always)
    func evaluate<T: ActivationReal>(_ hi: T, _ lo: T = 0) -> T {
        let d = (hi - T(rootHi)) + (lo - T(rootLo))
        return coefficients.withUnsafeBufferPointer { c in Polynomial.evaluate(c, at: d) }
    }
}

extension RootSeries {
    /// gelu'(x) = Φ(x) + xφ(x), root at x ≈ -0.7518.
    static let gelu = RootSeries(
        rootHi: -0.7517915246935645, rootLo: 1.4956759177009883e-17, radius: 0.45,
        coefficients: [
            0.0, 0.4314939923140469, 0.388284982990552, -0.018199676398671087,
            -0.1140082332972217, -0.014771522148244337, 0.019421679838189067,
            0.004539228379125415, -0.002239538068073497, -0.0007448268386746817,
            0.00018633974623233514, 8.615947861116571e-05, -1.121438018842664e-05,
            -7.74846130700372e-06, 4.3284506257392273e-07, 5.702764979242107e-07,
            -1.6044265494246427e-09, -3.5459866461783865e-08, -1.396942086426202e-09,
            1.90319840501314e-09, 1.4506418938779426e-10, -8.950037692726255e-11,
        ])

    /// d/dx x·σ(2u(x)), the tanh-form gelu', root at x ≈ -0.7525.
    static let geluTanh = RootSeries(
        rootHi: -0.7524614220710163, rootLo: 3.635560509207687e-17, radius: 0.45,
        coefficients: [
            0.0, 0.4304000910248585, 0.38751844613578895, -0.01578285352184803,
            -0.11394448308095899, -0.01661932834305256, 0.019682309459833118,
            0.005261059254921912, -0.0024227318458750974, -0.0009274420230205449,
            0.00026392764052681053, 0.00012425227802639782, -3.4956171694436116e-05,
            -1.5950896871645105e-05, 5.918611710894005e-06, 2.4335516344299543e-06,
            -9.898647747433667e-07, -4.3102482988029016e-07, 1.4157556987729473e-07,
            7.520740909289922e-08, -1.6978217459781023e-08, -1.196180847972441e-08,
            1.7637802707907564e-09, 1.744987137846621e-09, -1.708811216951738e-10,
            -2.433873557833449e-10,
        ])

    /// σ(t)(1 + tσ(-t)), swish' as a function of t = βx, root at t ≈ -1.2785.
    static let swish = RootSeries(
        rootHi: -1.2784645427610737, rootLo: -1.0946994183093437e-16, radius: 0.65,
        coefficients: [
            0.0, 0.2178117057198001, 0.1466487969969469, 0.018874814223782312,
            -0.015222655223188032, -0.006606589138356696, 0.000126627410081122,
            0.0007985218818397998, 0.00018570724361186496, -4.090534237428612e-05,
            -2.9733542213263917e-05, -2.942631888842464e-06, 2.346029682463866e-06,
            8.599695028268575e-07, -3.051244750055421e-08, -9.266646309267441e-08,
            -1.8877622907727957e-08, 4.619379769031606e-09, 2.9177603026903803e-09,
            2.3648315053103244e-10, -2.251366201881081e-10, -7.50344609385287e-11,
            3.998547874723996e-12, 8.04274075537398e-12, 1.4842855116792256e-12,
            -4.1428341124873365e-13, -2.3496573817834053e-13, -1.5376365106809265e-14,
            1.8397842645887054e-14,
        ])

    /// mish'(x), root at x ≈ -1.1924.
    static let mish = RootSeries(
        rootHi: -1.1924312145154952, rootLo: -4.8484829848031044e-17, radius: 0.5,
        coefficients: [
            0.0, 0.2669479140495345, 0.20473126408010586, 0.04190782104360987,
            -0.020271822716684245, -0.01582112656173338, -0.0033606849270232685,
            0.0010924055409445854, 0.0009898181021289196, 0.00025412936386191073,
            -4.1961496031696126e-05, -5.582891567360688e-05, -1.72992708103044e-05,
            9.427361327376651e-07, 2.9088199364912223e-06, 1.071676702702074e-06,
            2.6879417855557728e-08, -1.4117255919499382e-07, -6.174424363104907e-08,
            -5.460186173028381e-09, 6.3895954615089855e-09, 3.3604012383661332e-09,
            4.817646300218697e-10, -2.6751871594311224e-10, -1.7442209713382678e-10,
            -3.3904729895707114e-11,
        ])

    /// c₁ = f''(x₀) and c₂ = f'''(x₀)/2 as double-doubles (mpmath, 120 digits); gelu's are
    /// φ(x₀)(2 − x₀²) and −x₀φ(x₀)(4 − x₀²)/2.
    static let geluC1 = (hi: 0.4314939923140469, lo: 2.7308688141129613e-17)
    static let geluC2 = (hi: 0.388284982990552, lo: 2.3344842362524718e-17)
    static let geluTanhC1 = (hi: 0.4304000910248585, lo: 2.028254970529195e-17)
    static let geluTanhC2 = (hi: 0.38751844613578895, lo: -2.562359819429644e-17)
}

extension RootSeries {
    /// The series in double length, for x inside the interval: d = x − x₀ exactly as a
    /// double-double, the terms from c₃ on in double, the last two Horner steps and the product
    /// with d in double length with c₁ and c₂ given as double-doubles (the stored doubles would
    /// leave 2^-53). For the GLU family and gelu's derivative, rounded once by the caller.
    func doubleLength(
        _ x: Double, c1: (hi: Double, lo: Double), c2: (hi: Double, lo: Double)
    ) -> (hi: Double, lo: Double) {
        let (dh, dl) = ErrorFree.twoSum(x - rootHi, -rootLo)  // x − rootHi is exact
        let c = coefficients
        var tail = 0.0
        for k in stride(from: c.count - 1, through: 3, by: -1) { tail = c[k].addingProduct(dh, tail) }
        let a = ErrorFree.product((dh, dl), (tail, 0))
        var inner = DoubleDouble(c2.hi, c2.lo)
        inner.add(a.hi)
        inner.add(a.lo)
        let b = ErrorFree.product((dh, dl), (inner.hi, inner.lo))
        var outer = DoubleDouble(c1.hi, c1.lo)
        outer.add(b.hi)
        outer.add(b.lo)
        return ErrorFree.product((dh, dl), (outer.hi, outer.lo))
    }
}
