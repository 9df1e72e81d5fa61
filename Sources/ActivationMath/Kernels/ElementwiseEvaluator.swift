/// Contiguous buffers for one elementwise evaluation (or one chunk of it).
public struct ElementwiseBuffers<Element: BinaryFloatingPoint>: @unchecked Sendable {
    // @unchecked: a value that carries raw pointers for the duration of one call. The engine
    // hands each chunk disjoint output ranges and keeps the storage alive until the call returns,
    // so no two threads ever write the same element.
    public var input: UnsafeBufferPointer<Element>
    /// The upstream gradient; `nil` means all ones.
    public var gradOutput: UnsafeBufferPointer<Element>?
    /// Where to write f(x); `nil` when values are not wanted.
    public var values: UnsafeMutableBufferPointer<Element>?
    /// Where to write grad_output · f'(x); `nil` when gradients are not wanted.
    public var gradients: UnsafeMutableBufferPointer<Element>?
    /// Whether to accumulate the learnable parameters' gradients.
    public var wantsParameterGradients: Bool

    public init(
        input: UnsafeBufferPointer<Element>, gradOutput: UnsafeBufferPointer<Element>? = nil,
        values: UnsafeMutableBufferPointer<Element>? = nil,
        gradients: UnsafeMutableBufferPointer<Element>? = nil, wantsParameterGradients: Bool = false
    ) {
        self.input = input
        self.gradOutput = gradOutput
        self.values = values
        self.gradients = gradients
        self.wantsParameterGradients = wantsParameterGradients
    }
}

/// Sums of grad_output · ∂f/∂p over the elements of a chunk, for up to two learnable parameters,
/// accumulated in double with compensation (Neumaier) so that a million terms lose nothing.
public struct ParameterGradientSums: Sendable, Hashable {
    public var sums: (Double, Double) { (first.total, second.total) }
    var first = CompensatedSum()
    var second = CompensatedSum()

    public init() {}

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.sums == rhs.sums }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(sums.0)
        hasher.combine(sums.1)
    }

    /// The two running sums and their compensations, (sum₁, c₁, sum₂, c₂): lets the engine carry
    /// a result from one compilation of this module to the other without rounding it.
    public var parts: (Double, Double, Double, Double) {
        (first.sum, first.compensation, second.sum, second.compensation)
    }

    public init(parts: (Double, Double, Double, Double)) {
        first = CompensatedSum(sum: parts.0, compensation: parts.1)
        second = CompensatedSum(sum: parts.2, compensation: parts.3)
    }

    /// Adds another chunk's sums.
    public mutating func merge(_ other: ParameterGradientSums) {
        first.add(other.first)
        second.add(other.second)
    }
}

/// Neumaier's compensated summation.
struct CompensatedSum: Sendable, Hashable {
    private(set) var sum = 0.0
    private(set) var compensation = 0.0

    var total: Double { sum + compensation }

    init() {}

    init(sum: Double, compensation: Double) {
        self.sum = sum
        self.compensation = compensation
    }

    @inline(__always)
    mutating func add(_ x: Double) {
        let t = sum + x
        // Once the sum is ±inf or NaN the correction term would be inf - inf = NaN and turn an
        // infinite partial (prelu's ∂/∂alpha at x = -inf) into NaN: the sum alone is the answer.
        guard t.isFinite else {
            sum = t
            return
        }
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    mutating func add(_ other: CompensatedSum) {
        add(other.sum)
        add(other.compensation)
    }
}

/// Runs elementwise functions over contiguous buffers: one tight loop per call, the kernel
/// resolved once by the switch in ``dispatch(_:parameters:convention:_:)``, never per element.
public enum ElementwiseEvaluator {
    /// Evaluates `function` (which must be elementwise) over a float64 chunk.
    public static func run(
        _ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention,
        _ buffers: ElementwiseBuffers<Double>
    ) -> ParameterGradientSums {
        dispatch(function, parameters: parameters, convention: convention, buffers)
    }

    /// Evaluates `function` (which must be elementwise) over a float32 chunk, computing in double.
    public static func run(
        _ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention,
        _ buffers: ElementwiseBuffers<Float>
    ) -> ParameterGradientSums {
        dispatch(function, parameters: parameters, convention: convention, buffers)
    }

    /// f(x) of one float64 scalar (tests, documentation examples).
    public static func value(
        _ function: ActivationFunction, parameters: ResolvedParameters,
        convention: KinkConvention = .pytorch, at x: Double
    ) -> Double {
        var input = x
        var output = Double.nan
        withUnsafePointer(to: &input) { inputPointer in
            withUnsafeMutablePointer(to: &output) { outputPointer in
                let buffers = ElementwiseBuffers(
                    input: UnsafeBufferPointer(start: inputPointer, count: 1),
                    values: UnsafeMutableBufferPointer(start: outputPointer, count: 1))
                _ = run(function, parameters: parameters, convention: convention, buffers)
            }
        }
        return output
    }

    /// f'(x) of one float64 scalar.
    public static func derivative(
        _ function: ActivationFunction, parameters: ResolvedParameters,
        convention: KinkConvention = .pytorch, at x: Double
    ) -> Double {
        var input = x
        var output = Double.nan
        withUnsafePointer(to: &input) { inputPointer in
            withUnsafeMutablePointer(to: &output) { outputPointer in
                let buffers = ElementwiseBuffers(
                    input: UnsafeBufferPointer(start: inputPointer, count: 1),
                    gradients: UnsafeMutableBufferPointer(start: outputPointer, count: 1))
                _ = run(function, parameters: parameters, convention: convention, buffers)
            }
        }
        return output
    }

    /// The loop, specialised for each kernel and element type by the compiler. The kernel
    /// computes in its `Scalar` (Double, or Float for the functions of
    /// ``dispatchNativeFloat(_:parameters:convention:_:)``); parameter-gradient sums are in
    /// double either way.
    @inline(__always)
    static func drive<K: ElementwiseKernel, Element: BinaryFloatingPoint>(
        _ kernel: K, _ buffers: ElementwiseBuffers<Element>
    ) -> ParameterGradientSums {
        typealias Scalar = K.Scalar
        let input = buffers.input
        var sums = ParameterGradientSums()
        switch (buffers.values, buffers.gradients) {
        case (let values?, nil):
            for i in input.indices {
                values[i] = Element(kernel.value(Scalar(input[i])))
            }
        case (let values?, let gradients?) where buffers.gradOutput == nil && !buffers.wantsParameterGradients:
            // The common case (values and f' together, grad_output all ones) as a loop with no
            // optional or flag left inside, which the compiler can vectorise for simple kernels.
            for i in input.indices {
                let (y, dy) = kernel.valueAndDerivative(Scalar(input[i]))
                values[i] = Element(y)
                gradients[i] = Element(dy)
            }
        case (let values?, let gradients?) where buffers.gradOutput != nil && !buffers.wantsParameterGradients:
            let gradOutput = buffers.gradOutput!
            for i in input.indices {
                let (y, dy) = kernel.valueAndDerivative(Scalar(input[i]))
                values[i] = Element(y)
                gradients[i] = Element(Scalar(gradOutput[i]) * dy)
            }
        case (let values, let gradients?):
            let gradOutput = buffers.gradOutput
            let partials = buffers.wantsParameterGradients
            for i in input.indices {
                let x = Scalar(input[i])
                let upstream = gradOutput.map { Scalar($0[i]) } ?? 1
                if partials {
                    let (y, dy, (p, q)) = kernel.valueDerivativeAndPartials(x)
                    values?[i] = Element(y)
                    gradients[i] = Element(upstream * dy)
                    sums.first.add(Double(upstream * p))
                    sums.second.add(Double(upstream * q))
                } else {
                    let (y, dy) = kernel.valueAndDerivative(x)
                    values?[i] = Element(y)
                    gradients[i] = Element(upstream * dy)
                }
            }
        case (nil, nil):
            break
        }
        return sums
    }
}
