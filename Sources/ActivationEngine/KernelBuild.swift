import ActivationMath
import CCPUFeatures
#if canImport(ActivationMathV3)
import ActivationMathV3
#endif

/// Which compilation of the elementwise kernels an engine runs.
///
/// The kernels (ActivationMath/Kernels) are compiled twice on x86-64: for the baseline every
/// x86-64 processor runs (SSE2, where each fused multiply-add of the accurate formulas is a call
/// to libm's fma()), and for the x86-64-v3 level (AVX2 and FMA instructions, Haswell and Zen
/// onwards), which is two to three times faster on the functions that use FMA and on the relu
/// family in float32. Both compile the same source with IEEE semantics and no contraction, so
/// they give identical bits (ActivationEngineTests compares them on every reference input). The
/// engine picks the faster one the processor can run, once per process.
public enum KernelBuild: String, Sendable, Hashable, CaseIterable {
    /// The platform's baseline instruction set.
    case baseline
    /// x86-64-v3: AVX, AVX2, FMA, BMI1/2, LZCNT, MOVBE, F16C.
    case x86_64_v3 = "x86-64-v3"

    /// Whether this binary contains the build and this processor can run it.
    public var isAvailable: Bool {
        switch self {
        case .baseline: true
        case .x86_64_v3: Self.hasV3
        }
    }

    /// The fastest build available here: what an engine uses unless told otherwise.
    public static var best: KernelBuild { hasV3 ? .x86_64_v3 : .baseline }

    private static let hasV3: Bool = {
        #if canImport(ActivationMathV3)
        activation_cpu_has_x86_64_v3()
        #else
        false
        #endif
    }()
}

/// Resolved parameters as each kernel build takes them: the math module's value and, for the
/// x86-64-v3 build, its mirror type, converted once per evaluation (or once per process for a
/// function's defaults) rather than once per chunk.
struct KernelParameters: Sendable {
    let resolved: ActivationMath.ResolvedParameters
    #if canImport(ActivationMathV3)
    /// Empty unless made for the x86-64-v3 build.
    let v3: ActivationMathV3.ResolvedParameters
    #endif

    /// For `build` only (the other build's form is left empty), or for both when `build` is nil.
    init(_ resolved: ActivationMath.ResolvedParameters, for build: KernelBuild?) {
        self.resolved = resolved
        #if canImport(ActivationMathV3)
        v3 = build == .baseline ? ActivationMathV3.ResolvedParameters() : KernelsV3.bridge(resolved)
        #endif
    }
}

extension KernelBuild {
    /// The softmax family's slice kernels (``VectorKernels``) of this build.
    func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, negate: Bool, float32: Bool
    ) {
        #if canImport(ActivationMathV3)
        if self == .x86_64_v3 {
            return ActivationMathV3.VectorKernels.softmax(
                x, g: g, y: y, dx: dx, work: work, negate: negate, float32: float32)
        }
        #endif
        ActivationMath.VectorKernels.softmax(x, g: g, y: y, dx: dx, work: work, negate: negate, float32: float32)
    }

    func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, float32: Bool
    ) {
        #if canImport(ActivationMathV3)
        if self == .x86_64_v3 {
            return ActivationMathV3.VectorKernels.logSoftmax(x, g: g, y: y, dx: dx, work: work, float32: float32)
        }
        #endif
        ActivationMath.VectorKernels.logSoftmax(x, g: g, y: y, dx: dx, work: work, float32: float32)
    }
}

extension KernelBuild {
    /// The GLU family's pair kernel (``GatedKernels``) of this build.
    func gated(
        _ activation: ActivationMath.GatedKernels.Activation, h: UnsafePointer<Double>, l: UnsafePointer<Double>,
        g: UnsafePointer<Double>?, y: UnsafeMutablePointer<Double>, dl: UnsafeMutablePointer<Double>?,
        dh: UnsafeMutablePointer<Double>?, count: Int, float32: Bool
    ) {
        #if canImport(ActivationMathV3)
        if self == .x86_64_v3 {
            let bridged: ActivationMathV3.GatedKernels.Activation = switch activation {
            case .sigmoid: .sigmoid
            case .swish: .swish
            case .gelu: .gelu
            case .geluTanh: .geluTanh
            }
            return ActivationMathV3.GatedKernels.apply(
                bridged, h: h, l: l, g: g, y: y, dl: dl, dh: dh, count: count, float32: float32)
        }
        #endif
        ActivationMath.GatedKernels.apply(activation, h: h, l: l, g: g, y: y, dl: dl, dh: dh, count: count, float32: float32)
    }
}

#if canImport(ActivationMathV3)
/// The bridge to ActivationMathV3, whose types mirror ActivationMath's one for one (the same
/// source); only plain values and pointers cross it.
enum KernelsV3 {
    static func run(
        _ function: ActivationMath.ActivationFunction, parameters: ActivationMathV3.ResolvedParameters,
        convention: ActivationMath.KinkConvention, _ buffers: ActivationMath.ElementwiseBuffers<Double>
    ) -> ActivationMath.ParameterGradientSums {
        let sums = ActivationMathV3.ElementwiseEvaluator.run(
            bridge(function), parameters: parameters, convention: bridge(convention), bridge(buffers))
        return ActivationMath.ParameterGradientSums(parts: sums.parts)
    }

    static func run(
        _ function: ActivationMath.ActivationFunction, parameters: ActivationMathV3.ResolvedParameters,
        convention: ActivationMath.KinkConvention, _ buffers: ActivationMath.ElementwiseBuffers<Float>
    ) -> ActivationMath.ParameterGradientSums {
        let sums = ActivationMathV3.ElementwiseEvaluator.run(
            bridge(function), parameters: parameters, convention: bridge(convention), bridge(buffers))
        return ActivationMath.ParameterGradientSums(parts: sums.parts)
    }

    /// The two modules' enums are one declaration compiled twice, so a case has the same
    /// representation in both; checked once per process, case by case through the raw values,
    /// which is the slow path taken otherwise (init(rawValue:) compares the name with each
    /// case's in turn, for every chunk of every evaluation).
    private static let enumsShareLayout: Bool =
        MemoryLayout<ActivationMath.ActivationFunction>.size == MemoryLayout<ActivationMathV3.ActivationFunction>.size
        && MemoryLayout<ActivationMath.KinkConvention>.size == MemoryLayout<ActivationMathV3.KinkConvention>.size
        && ActivationMath.ActivationFunction.allCases.allSatisfy {
            unsafeBitCast($0, to: ActivationMathV3.ActivationFunction.self).rawValue == $0.rawValue
        }
        && ActivationMath.KinkConvention.allCases.allSatisfy {
            unsafeBitCast($0, to: ActivationMathV3.KinkConvention.self).rawValue == $0.rawValue
        }

    private static func bridge(_ function: ActivationMath.ActivationFunction) -> ActivationMathV3.ActivationFunction {
        guard enumsShareLayout else { return ActivationMathV3.ActivationFunction(rawValue: function.rawValue)! }
        return unsafeBitCast(function, to: ActivationMathV3.ActivationFunction.self)
    }

    private static func bridge(_ convention: ActivationMath.KinkConvention) -> ActivationMathV3.KinkConvention {
        guard enumsShareLayout else { return ActivationMathV3.KinkConvention(rawValue: convention.rawValue)! }
        return unsafeBitCast(convention, to: ActivationMathV3.KinkConvention.self)
    }

    static func bridge(_ parameters: ActivationMath.ResolvedParameters) -> ActivationMathV3.ResolvedParameters {
        guard !parameters.values.isEmpty else { return ActivationMathV3.ResolvedParameters() }
        return ActivationMathV3.ResolvedParameters(parameters.values.mapValues { value in
            switch value {
            case .number(let x): .number(x)
            case .numbers(let xs): .numbers(xs)
            case .choice(let s): .choice(s)
            }
        })
    }

    private static func bridge<E>(_ buffers: ActivationMath.ElementwiseBuffers<E>) -> ActivationMathV3.ElementwiseBuffers<E> {
        ActivationMathV3.ElementwiseBuffers(
            input: buffers.input, gradOutput: buffers.gradOutput, values: buffers.values,
            gradients: buffers.gradients, wantsParameterGradients: buffers.wantsParameterGradients)
    }
}
#endif
