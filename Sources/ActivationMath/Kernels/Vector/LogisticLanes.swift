import RealModule

/// Elementwise sigmoid and swish over contiguous buffers on four SIMD lanes, with the very bits
/// of the scalar kernels (``Sigmoid``, ``Swish`` through ``LogisticParts``).
///
/// Goals, in order: (1) every element gets exactly the answer of the scalar kernel, so the
/// stated accuracy and every test of it carry over unchanged; (2) no element waits for libm's
/// one-at-a-time exp, which was most of the scalar kernel's time.
///
/// The scalar kernels form e = exp(-|t|) by glibc and then only additions, multiplications,
/// FMAs and divisions, which the lanes repeat in the same order (the same bits, lane by lane).
/// The exponential is the one step that cannot be repeated: here it comes from ``ExpMedium``
/// (hi + lo within 2^-68 relative, hi the nearest double to hi + lo), and a lane keeps hi only
/// when |lo| ≤ 0.47 ulp(hi), hi not a power of two. Then the exact e^-|t| lies within
/// 0.47 ulp + 2^-15 ulp of hi and at least 0.52 ulp from any other double; glibc's exp
/// (2.28 and later, sysdeps/ieee754/dbl-64/e_exp.c) is within 0.5 + 1.11/128 + 0.25/128 < 0.511
/// ulp of the exact value, so it returns hi too. The lanes that fail the test (about 6 % of
/// them) call glibc's exp for that lane alone. NaN, ±inf, |t| > 700 (tails, subnormal
/// results), zero results, and for swish the window around the root of swish' where the scalar
/// kernel sums ``RootSeries/swish`` go to the scalar kernel.
///
/// float32 evaluations compute in double and round once, as the engine's scalar path does.
/// swish's ∂/∂β: each term on the lanes, the sum in element order, as the scalar loop adds it.
enum LogisticLanes {
    typealias V = SIMD4<Double>
    typealias Mask = SIMDMask<V.MaskStorage>

    /// The fraction of ulp(hi) that e^-|t|'s low part may reach for hi to be glibc's answer.
    static let decidedFraction = 0.47

    /// Runs sigmoid or swish on `buffers` through the lanes; nil for other functions and for a
    /// swish β that is zero or not finite (the scalar path).
    @inline(__always)
    static func run<Element: BinaryFloatingPoint>(
        _ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention,
        _ buffers: ElementwiseBuffers<Element>
    ) -> ParameterGradientSums? {
        guard Element.self == Double.self || Element.self == Float.self else { return nil }
        switch function {
        case .sigmoid:
            let kernel = Sigmoid<Double>(parameters: parameters, convention: convention)
            return drive(kernel, buffers) { x, derivative, _ in sigmoid(x, derivative: derivative) }
        case .swish:
            let kernel = Swish<Double>(parameters: parameters, convention: convention)
            let beta = kernel.betaValue
            guard beta.isFinite, beta != 0 else { return nil }
            return drive(kernel, buffers) { x, derivative, partial in
                swish(x, beta: V(repeating: beta), derivative: derivative, partial: partial)
            }
        default:
            return nil
        }
    }

    /// The loop: four elements at a time through `lanes` (values, derivatives, ∂f/∂β, the lanes
    /// that hold the scalar kernel's answer), the others and the last count mod 4 through
    /// `kernel` exactly as ``ElementwiseEvaluator/drive(_:_:)`` calls it. The parameter
    /// gradient's sum takes its terms in element order, as there.
    @inline(__always)
    static func drive<K: ElementwiseKernel, Element: BinaryFloatingPoint>(
        _ kernel: K, _ buffers: ElementwiseBuffers<Element>, lanes: (V, Bool, Bool) -> (V, V, V, Mask)
    ) -> ParameterGradientSums where K.Scalar == Double {
        var sums = ParameterGradientSums()
        let count = buffers.input.count
        guard count > 0, let input = buffers.input.baseAddress else { return sums }
        let values = buffers.values?.baseAddress
        let gradients = buffers.gradients?.baseAddress
        let gradOutput = buffers.gradOutput?.baseAddress
        guard values != nil || gradients != nil else { return sums }
        let derivative = gradients != nil
        let partials = derivative && buffers.wantsParameterGradients

        @inline(__always)
        func scalar(_ i: Int) {
            let x = Double(input[i])
            guard derivative else {
                values![i] = Element(kernel.value(x))
                return
            }
            let upstream = gradOutput.map { Double($0[i]) }
            if partials {
                let (y, dy, (p, q)) = kernel.valueDerivativeAndPartials(x)
                values?[i] = Element(y)
                gradients![i] = Element((upstream ?? 1) * dy)
                sums.first.add(Double((upstream ?? 1) * p))
                sums.second.add(Double((upstream ?? 1) * q))
                return
            }
            let (y, dy) = kernel.valueAndDerivative(x)
            values?[i] = Element(y)
            gradients![i] = Element(upstream.map { $0 * dy } ?? dy)
        }

        var i = 0
        while i + 4 <= count {
            let x = load(input + i)
            let (y, dy, p, delivered) = lanes(x, derivative, partials)
            if let values { store(y, values + i) }
            let upstream = gradOutput.map { load($0 + i) }
            if let gradients {
                store(upstream.map { $0 * dy } ?? dy, gradients + i)
            }
            if partials {
                let terms = upstream.map { $0 * p } ?? p
                let zeros = upstream.map { $0 * 0 } ?? V()
                for lane in 0..<4 {
                    if delivered[lane] {
                        sums.first.add(terms[lane])
                        sums.second.add(zeros[lane])
                    } else {
                        scalar(i + lane)
                    }
                }
            } else if !all(delivered) {
                for lane in 0..<4 where !delivered[lane] { scalar(i + lane) }
            }
            i += 4
        }
        while i < count {
            scalar(i)
            i += 1
        }
        return sums
    }

    @inline(__always)
    static func load<Element: BinaryFloatingPoint>(_ p: UnsafePointer<Element>) -> V {
        if Element.self == Float.self {
            return V(UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self))
        }
        return UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    /// Stores four results, rounded to float32 (to nearest, as Float(Double) does) for float32.
    @inline(__always)
    static func store<Element: BinaryFloatingPoint>(_ v: V, _ p: UnsafeMutablePointer<Element>) {
        if Element.self == Float.self {
            UnsafeMutableRawPointer(p).storeBytes(of: SIMD4<Float>(v), as: SIMD4<Float>.self)
        } else {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        }
    }

    /// e^-|t| as glibc's exp returns it, for |t| ≤ 700: ``ExpMedium``'s high part where the
    /// rounding test proves it glibc's answer, else glibc's exp for that lane.
    @inline(__always)
    static func exponential(_ t: V) -> V {
        let bits = unsafeBitCast(t, to: SIMD4<UInt64>.self)
        let a = unsafeBitCast(bits | 0x8000_0000_0000_0000, to: V.self)  // -|t|
        let e = ExpDoubleDouble.table.withUnsafeBufferPointer { ExpMedium.exp(a, V(), table: $0) }
        let hiBits = unsafeBitCast(e.hi, to: SIMD4<UInt64>.self)
        let ulp = unsafeBitCast(hiBits & 0x7ff0_0000_0000_0000, to: V.self) * 0x1p-52
        let mantissa = hiBits & 0x000f_ffff_ffff_ffff
        let decided = (magnitude(e.lo) .<= ulp * decidedFraction) .& (mantissa .!= 0)
        if all(decided) { return e.hi }
        var result = e.hi
        for lane in 0..<4 where !decided[lane] { result[lane] = Double.exp(a[lane]) }
        return result
    }

    /// ``LogisticParts/quotient(_:_:_:_:)``: (n + nlo)/(d + dlo) with one correction; the lanes
    /// where q is 0 or not finite (where the scalar form returns q itself) are not `valid`.
    @inline(__always)
    static func quotient(_ n: V, _ nlo: V, _ d: V, _ dlo: V) -> (V, valid: Mask) {
        let q = n / d
        let r = n.addingProduct(-q, d) + (nlo - q * dlo)
        let valid = (magnitude(q) .<= .greatestFiniteMagnitude) .& (q .!= 0)
        return (q + r / d, valid)
    }

    /// ``ErrorFree/product(_:_:)`` of two pairs (finite products).
    @inline(__always)
    static func product(_ a: (V, V), _ b: (V, V)) -> (V, V) {
        let p = a.0 * b.0
        let e = (-p).addingProduct(a.0, b.0)
        let lo = e + (a.0 * b.1 + a.1 * b.0)
        let hi = p + lo
        return (hi, lo - (hi - p))
    }

    /// ``ErrorFree/sum(_:_:)`` (finite sums).
    @inline(__always)
    static func sum(_ a: V, _ b: V) -> (V, V) {
        let hi = a + b
        let bVirtual = hi - a
        let aVirtual = hi - bVirtual
        return (hi, (a - aVirtual) + (b - bVirtual))
    }

    @inline(__always)
    static func magnitude(_ v: V) -> V {
        unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: V.self)
    }

    /// ``Sigmoid/valueAndDerivative(_:)`` (``LogisticParts`` with t = x, lo = 0: elo is a zero
    /// and every term it enters is a zero, as below).
    @inline(__always)
    static func sigmoid(_ x0: V, derivative: Bool) -> (V, V, V, Mask) {
        let eligible = magnitude(x0) .<= 700  // false for NaN
        let x = x0.replacing(with: 1, where: .!eligible)
        let e = exponential(x)
        let d = 1 + e
        let dlo = e - (d - 1)
        let negative = x .< 0
        // times(1): 1/(1 + e) for t ≥ 0, e/(1 + e) for t < 0 (the product 1·e is exact).
        let (y, valueValid) = quotient(V(repeating: 1).replacing(with: e, where: negative), V(), d, dlo)
        var delivered = eligible .& valueValid
        guard derivative else { return (y, V(), V(), delivered) }
        // derivativeTimes((1, 0)): e/(1 + e)² with the square in double length.
        let (s, slo) = product((d, dlo), (d, dlo))
        let (dy, derivativeValid) = quotient(e, V(), s, slo)
        delivered = delivered .& derivativeValid
        return (y, dy, V(), delivered)
    }

    /// ``Swish/valueAndDerivative(_:)`` for t = βx carried as t + lo, and with `partial`
    /// ``Swish/valueDerivativeAndPartials(_:)``'s ∂f/∂β = x²·σ'(t) (for |x| < 2^500).
    @inline(__always)
    static func swish(_ x0: V, beta: V, derivative: Bool, partial: Bool) -> (V, V, V, Mask) {
        let t0 = beta * x0
        let root = RootSeries.swish
        // |t| ≤ 700 (false for NaN and for x = ±inf), outside the root window of swish'.
        var eligible = magnitude(t0) .<= 700
        if derivative {
            eligible = eligible .& (magnitude(t0 - V(repeating: root.rootHi)) .>= V(repeating: root.radius))
        }
        if partial { eligible = eligible .& (magnitude(x0) .< 0x1p500) }
        let x = x0.replacing(with: 1, where: .!eligible)
        let t = beta * x
        let lo = (-t).addingProduct(beta, x)
        let e = exponential(t)
        let negative = t .< 0
        let elo = (e * lo).replacing(with: -(e * lo), where: .!negative)
        let d = 1 + e
        let dlo = (e - (d - 1)) + elo
        // times(x): x/(1 + e) for t ≥ 0, (x·e in double length)/(1 + e) for t < 0.
        let pp = x * e
        let pe = (-pp).addingProduct(x, e)
        let n = x.replacing(with: pp, where: negative)
        let nlo = V().replacing(with: pe + x * elo, where: negative)
        let (y, valueValid) = quotient(n, nlo, d, dlo)
        var delivered = eligible .& valueValid
        guard derivative else { return (y, V(), V(), delivered) }
        let (s, slo) = product((d, dlo), (d, dlo))
        // t ≥ 0: (1 + e + t·e)/(1 + e)², the numerator in double length.
        let (te, tel) = product((t, lo), (e, elo))
        let (np, npl) = sum(d, te)
        let (dp, validP) = quotient(np, npl + (dlo + tel), s, slo)
        // t < 0: e·(1 + t + e)/(1 + e)².
        let (a, al) = sum(V(repeating: 1), t)
        let (nn, nnl) = sum(a, e)
        let (m, ml) = product((nn, nnl + ((al + lo) + elo)), (e, elo))
        let (dn, validN) = quotient(m, ml, s, slo)
        let dy = dp.replacing(with: dn, where: negative)
        delivered = delivered .& ((validP .& .!negative) .| (validN .& negative))
        guard partial else { return (y, dy, V(), delivered) }
        // derivativeTimes(x·x in double length).
        let xx = x * x
        let (pm, pml) = product((xx, (-xx).addingProduct(x, x)), (e, elo))
        let (dbeta, validBeta) = quotient(pm, pml, s, slo)
        return (y, dy, dbeta, delivered .& validBeta)
    }
}
