import RealModule

/// Elementwise sigmoid over contiguous buffers on four SIMD lanes, with the very bits of the
/// scalar kernel (``Sigmoid`` through ``LogisticParts``).
///
/// Goals, in order: (1) every element gets exactly the answer of the scalar kernel, so the
/// stated accuracy and every test of it carry over unchanged; (2) no element waits for libm's
/// one-at-a-time exp, which was most of the scalar kernel's time.
///
/// The scalar kernel forms e = exp(-|x|) by glibc and then only additions, multiplications,
/// FMAs and divisions, which the lanes repeat in the same order (the same bits, lane by lane).
/// The exponential is the one step that cannot be repeated: here it comes from ``ExpMedium``
/// (hi + lo within 2^-68 relative, hi the nearest double to hi + lo), and a lane keeps hi only
/// when |lo| ≤ 0.485 ulp(hi), hi not a power of two. Then the exact e^-|x| lies within
/// 0.485 ulp + 2^-15 ulp of hi and more than 0.5149 ulp from any other double; glibc's exp
/// (2.28 and later, sysdeps/ieee754/dbl-64/e_exp.c and exp_data.c: 0.509 ulp, 0.511 without
/// FMA) is closer to the exact value than that, so it returns hi too. The lanes that fail the test (about 3 % of them) call glibc's exp for that lane alone:
/// a call that costs far more than the lanes' own work, hence the thin margin. NaN, ±inf and |x| > 700 (tails, subnormal
/// results) go to the scalar kernel.
///
/// float32 evaluations compute in double and round once, as the engine's scalar path does.
///
/// swish (x·σ(βx)) fits the same machinery, and its lanes were built and tested to the same
/// bits, but measured no faster than its scalar kernel (its double-length products, the
/// root window of swish' left to the scalar kernel, ∂/∂β summed in element order): it keeps
/// the scalar path.
enum LogisticLanes {
    typealias V = SIMD4<Double>
    typealias Mask = SIMDMask<V.MaskStorage>

    /// The fraction of ulp(hi) that e^-|x|'s low part may reach for hi to be glibc's answer.
    static let decidedFraction = 0.485

    /// Runs sigmoid on `buffers` through the lanes (sigmoid has no learnable parameter, so
    /// there are no parameter gradients to sum).
    @inline(__always)
    static func run<Element: BinaryFloatingPoint>(
        _ kernel: Sigmoid<Double>, _ buffers: ElementwiseBuffers<Element>
    ) -> ParameterGradientSums {
        let count = buffers.input.count
        let values = buffers.values?.baseAddress
        let gradients = buffers.gradients?.baseAddress
        guard count > 0, let input = buffers.input.baseAddress, values != nil || gradients != nil else {
            return ParameterGradientSums()
        }
        let gradOutput = buffers.gradOutput?.baseAddress
        let derivative = gradients != nil

        /// One element as ``ElementwiseEvaluator/drive(_:_:)`` computes it.
        @inline(__always)
        func scalar(_ i: Int) {
            let x = Double(input[i])
            guard derivative else {
                values![i] = Element(kernel.value(x))
                return
            }
            let (y, dy) = kernel.valueAndDerivative(x)
            values?[i] = Element(y)
            gradients![i] = Element(gradOutput.map { Double($0[i]) * dy } ?? dy)
        }

        @inline(__always)
        func group(_ i: Int, _ x: V, _ e: V) {
            let (y, dy, delivered) = sigmoid(x, e: e, derivative: derivative)
            if let values { store(y, values + i) }
            if let gradients {
                store(gradOutput.map { load($0 + i) * dy } ?? dy, gradients + i)
            }
            if !allTrue(delivered) {
                for lane in 0..<4 where !delivered[lane] { scalar(i + lane) }
            }
        }

        // Sixteen elements at a time, the four exponentials first: each group of four is one
        // long chain of dependent operations (exp, then two divisions one after the other),
        // and four independent chains keep the processor busy.
        var i = 0
        while i + 16 <= count {
            let x0 = load(input + i), x1 = load(input + i + 4), x2 = load(input + i + 8), x3 = load(input + i + 12)
            let e0 = exponential(argument(x0)), e1 = exponential(argument(x1))
            let e2 = exponential(argument(x2)), e3 = exponential(argument(x3))
            group(i, x0, e0)
            group(i + 4, x1, e1)
            group(i + 8, x2, e2)
            group(i + 12, x3, e3)
            i += 16
        }
        while i + 4 <= count {
            let x = load(input + i)
            group(i, x, exponential(argument(x)))
            i += 4
        }
        while i < count {
            scalar(i)
            i += 1
        }
        return ParameterGradientSums()
    }

    /// x where the lanes compute (|x| ≤ 700), 1 elsewhere (NaN, ±inf, tails).
    @inline(__always)
    static func argument(_ x: V) -> V {
        x.replacing(with: 1, where: .!(magnitude(x) .<= 700))
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
        if allTrue(decided) { return e.hi }
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

    /// all(m), without the generic call that the standard library's form compiles to.
    @inline(__always)
    static func allTrue(_ m: Mask) -> Bool {
        let bits = unsafeBitCast(m, to: SIMD4<Int64>.self)
        return (bits[0] & bits[1] & bits[2] & bits[3]) != 0
    }

    @inline(__always)
    static func magnitude(_ v: V) -> V {
        unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt64>.self) & 0x7fff_ffff_ffff_ffff, to: V.self)
    }

    /// ``Sigmoid/valueAndDerivative(_:)`` (``LogisticParts`` with t = x, lo = 0: elo is a zero
    /// and every term it enters is a zero, as below), given e = e^-|x| from ``exponential(_:)``.
    @inline(__always)
    static func sigmoid(_ x0: V, e: V, derivative: Bool) -> (V, V, Mask) {
        let eligible = magnitude(x0) .<= 700  // false for NaN
        let x = argument(x0)
        let d = 1 + e
        let dlo = e - (d - 1)
        let negative = x .< 0
        // times(1): 1/(1 + e) for t ≥ 0, e/(1 + e) for t < 0 (the product 1·e is exact).
        let (y, valueValid) = quotient(V(repeating: 1).replacing(with: e, where: negative), V(), d, dlo)
        var delivered = eligible .& valueValid
        guard derivative else { return (y, V(), delivered) }
        // derivativeTimes((1, 0)): e/(1 + e)² with the square in double length.
        let square = GatedGaussianLanes.times(GatedGaussianLanes.DD(d, dlo), GatedGaussianLanes.DD(d, dlo))
        let (dy, derivativeValid) = quotient(e, V(), square.hi, square.lo)
        delivered = delivered .& derivativeValid
        return (y, dy, delivered)
    }
}
