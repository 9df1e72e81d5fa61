/// e^(a + b) in double-double, scaled by a power of two so that it never underflows: for the
/// softmax family, whose VJPs cancel (gᵢ − Σⱼyⱼgⱼ) and then need each e^(xⱼ − m) to far more
/// than double precision, and whose values must not lose bits when e^(xⱼ − m) is subnormal.
///
/// Method (Tang's, in double length): n = round((a + b)·1024/ln 2), j = n mod 1024,
/// k = ⌊n/1024⌋; r = a + b − n·ln2/1024, |r| ≤ ln2/2048 + ε < 3.5e-4, formed exactly (ln2/1024 in
/// three pieces of 29, 29 and 53 bits, so n·C₁ and n·C₂ are exact for |n| < 2^22, and
/// a − n·C₁ is exact by Sterbenz's lemma); then
///
///     e^(a+b) = 2^k · 2^(j/1024) · (1 + r + r²/2 + r³/6 + r⁴/24 + … + r⁷/5040)
///
/// with 2^(j/1024) = 2^(j₁/32)·2^(j₂/1024) from two 32-entry double-double tables (mpmath, 60
/// digits; their products are tabulated once, 16 KB), r²/2 and r³/6 in double length and the rest (< 2^-50) in double. Errors, relative:
/// tables 2^-106 each and their product 2^-104, reduction 2^-108, truncation r⁸/8! < 2^-107,
/// the double-evaluated tail 2^-102.7, the double-length steps 2^-104: in all below 2^-100.
/// ``relativeError`` states 2^-98, the bound the certified results rely on, checked against
/// mpmath in VectorExpTests.
///
/// Valid for -1500 ≤ a + b ≤ 0 (|n| < 2^22); the softmax family passes x − max, and treats
/// arguments below -1500 (e^(a+b) < 2^-2164) as zero with an absolute error it accounts for.
enum ExpDoubleDouble {
    /// The bound on the relative error of ``exp(_:_:)``.
    static let relativeError = 0x1p-98
    /// Below this argument the softmax family takes e^(a+b) as 0.
    static let lowestArgument = -1500.0

    static let invLn2Times1024 = 0x1.71547652b82fep+10
    static let c1 = 0x1.62e42ff000000p-11
    static let c2 = -0x1.718432a000000p-45
    static let c3 = -0x1.b0e2633fe0685p-77
    static let sixth = 1.0 / 6

    /// e^(a + b) = (hi + lo)·2^scale, hi in [1, 2), for lowestArgument ≤ a + b ≤ 0, |b| ≤ ulp(a).
    @inline(__always)
    static func exp(_ a: Double, _ b: Double) -> (hi: Double, lo: Double, scale: Int) {
        // round(a·1024/ln 2) by the 1.5·2^52 shift (|a·1024/ln 2| < 2^22): no call to rint,
        // which the baseline build would make.
        let nd = (a * invLn2Times1024 + 0x1.8p52) - 0x1.8p52
        let n = Int(nd)
        let j = n & 1023
        let k = n >> 10
        // r = a − n·C₁ − n·C₂ − n·C₃ + b: the first difference is exact, the second is kept
        // exactly by TwoSum, the last terms are below 2^-54 and rounded once.
        let s1 = a - nd * c1
        let (s2, e2) = ErrorFree.twoSum(s1, -(nd * c2))
        // b (up to ulp(a), 2^-44 at a = -1000) joins exactly: added to e2 first, its rounding
        // alone would cost 2^-97.
        let (s3, e3) = ErrorFree.twoSum(s2, b)
        let (rh, rl) = ErrorFree.twoSum(s3, e3 + (e2 - nd * c3))

        // r²/2 and r³/6 in double length, the tail in double (Horner).
        let (s, se) = ErrorFree.twoProduct(rh, rh)
        let sLo = se + 2 * rh * rl
        let (c, ce) = ErrorFree.twoProduct(s, rh)
        let cLo = ce + (sLo * rh + s * rl)
        let q6 = c * sixth
        let (p6, e6) = ErrorFree.twoProduct(q6, 6)
        let q6Lo = (((c - p6) - e6) + cLo) * sixth  // (c − 6·q6 exactly, plus cLo)/6
        let tail = (s * s) * (1.0 / 24 + rh * (1.0 / 120 + rh * (1.0 / 720 + rh * (1.0 / 5040))))
        // p = r + r²/2 + r³/6 + tail, as P + pLo.
        let (aSum, aErr) = ErrorFree.twoSum(s / 2, q6)
        let low = aErr + (sLo / 2 + q6Lo + tail + rl)
        let (p, pe) = ErrorFree.twoSum(rh, aSum)
        let pLo = pe + low

        let (tHi, tl) = table.withUnsafeBufferPointer { $0[j] }

        // 2^(j/1024)·(1 + p) = tHi + tHi·p + tl·(1 + p).
        let (u, ue) = ErrorFree.twoProduct(tHi, p)
        let (h, he) = ErrorFree.twoSum(tHi, u)
        let lo = he + (ue + tHi * pLo + tl * (1 + p))
        let hi = h + lo
        let hiLo = lo - (hi - h)
        // Bring hi into [1, 2): it is in [1/2, 2) here.
        if hi < 1 { return (hi * 2, hiLo * 2, k - 1) }
        return (hi, hiLo, k)
    }

    /// 2^(j/1024), j = 0…1023, as hi + lo: the products of the two tables below in double length
    /// (2^-104), formed once, on first use.
    static let table: [(hi: Double, lo: Double)] = (0..<1024).map { j in
        let t1 = table32[j >> 5], t2 = table1024[j & 31]
        let (th, te) = ErrorFree.twoProduct(t1.hi, t2.hi)
        let tLo = te + (t1.hi * t2.lo + t1.lo * t2.hi)
        let (h, l) = ErrorFree.twoSum(th, tLo)
        return (h, l)
    }

    /// 2^(j/32), j = 0…31, as hi + lo.
    static let table32: [(hi: Double, lo: Double)] = [
        (0x1.0000000000000p+0, 0x0.0p+0), (0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55),
        (0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54), (0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54),
        (0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55), (0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54),
        (0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54), (0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55),
        (0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55), (0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54),
        (0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55), (0x1.44e086061892dp+0, 0x1.89b7a04ef80d0p-59),
        (0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56), (0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55),
        (0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54), (0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54),
        (0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54), (0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55),
        (0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55), (0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54),
        (0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54), (0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57),
        (0x1.9c49182a3f090p+0, 0x1.c7c46b071f2bep-56), (0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54),
        (0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54), (0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56),
        (0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55), (0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56),
        (0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55), (0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54),
        (0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54), (0x1.f50765b6e4540p+0, 0x1.9d3e12dd8a18bp-54),
    ]

    /// 2^(j/1024), j = 0…31, as hi + lo.
    static let table1024: [(hi: Double, lo: Double)] = [
        (0x1.0000000000000p+0, 0x0.0p+0), (0x1.002c605e2e8cfp+0, -0x1.d7c96f201bb2fp-55),
        (0x1.0058c86da1c0ap+0, -0x1.5e00e62d6b30dp-56), (0x1.0085382faef83p+0, 0x1.da93f90835f75p-56),
        (0x1.00b1afa5abcbfp+0, -0x1.4f6b2a7609f71p-55), (0x1.00de2ed0ee0f5p+0, -0x1.406ac4e81a645p-57),
        (0x1.010ab5b2cbd11p+0, 0x1.c1d0660524e08p-54), (0x1.0137444c9b5b5p+0, -0x1.2b6aeb6176892p-56),
        (0x1.0163da9fb3335p+0, 0x1.b61299ab8cdb7p-54), (0x1.019078ad6a19fp+0, -0x1.008eff5142bf9p-56),
        (0x1.01bd1e77170b4p+0, 0x1.5e7626621eb5bp-56), (0x1.01e9cbfe113efp+0, -0x1.c11f5239bf535p-55),
        (0x1.02168143b0281p+0, -0x1.2bf310fc54eb6p-55), (0x1.02433e494b755p+0, -0x1.314aa16278aa3p-54),
        (0x1.027003103b10ep+0, -0x1.082ef51b61d7ep-56), (0x1.029ccf99d720ap+0, 0x1.64cbba902ca27p-58),
        (0x1.02c9a3e778061p+0, -0x1.19083535b085dp-56), (0x1.02f67ffa765e6p+0, -0x1.b8db0e9dbd87ep-55),
        (0x1.032363d42b027p+0, 0x1.fea8d61ed6016p-54), (0x1.03504f75ef071p+0, 0x1.bc2ee8e5799acp-54),
        (0x1.037d42e11bbccp+0, 0x1.56811eeade11ap-57), (0x1.03aa3e170aafep+0, -0x1.f1a93c1b824d3p-54),
        (0x1.03d7411915a8ap+0, 0x1.b7c00e7b751dap-54), (0x1.04044be896ab6p+0, 0x1.9dc3add8f9c02p-54),
        (0x1.04315e86e7f85p+0, -0x1.0a31c1977c96ep-54), (0x1.045e78f5640b9p+0, 0x1.35bc86af4ee9ap-56),
        (0x1.048b9b35659d8p+0, 0x1.21cd53d5e8b66p-57), (0x1.04b8c54847a28p+0, -0x1.e7992580447b0p-56),
        (0x1.04e5f72f654b1p+0, 0x1.4c3793aa0d08dp-55), (0x1.051330ec1a03fp+0, 0x1.79a8be239ca45p-54),
        (0x1.0540727fc1762p+0, -0x1.abcae24b819dfp-54), (0x1.056dbbebb786bp+0, 0x1.06c87433776c9p-55),
    ]
}
