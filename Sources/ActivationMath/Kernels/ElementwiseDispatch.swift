extension ElementwiseEvaluator {
    /// Resolves the kernel once and runs the loop specialised for it.
    static func dispatch<Element: BinaryFloatingPoint>(
        _ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention,
        _ buffers: ElementwiseBuffers<Element>
    ) -> ParameterGradientSums {
        // sigmoid: four elements at a time, the same bits (LogisticLanes).
        if function == .sigmoid, Element.self == Double.self || Element.self == Float.self {
            return LogisticLanes.run(Sigmoid<Double>(parameters: parameters, convention: convention), buffers)
        }
        if let floats = buffers as? ElementwiseBuffers<Float>,
           let sums = dispatchNativeFloat(function, parameters: parameters, convention: convention, floats) {
            return sums
        }
        func go<K: ElementwiseKernel>(_: K.Type) -> ParameterGradientSums where K.Scalar == Double {
            drive(K(parameters: parameters, convention: convention), buffers)
        }
        switch function {
        case .identity: return go(Identity<Double>.self)
        case .relu: return go(ReLU<Double>.self)
        case .leakyReLU: return go(LeakyReLU<Double>.self)
        case .prelu: return go(PReLU<Double>.self)
        case .rrelu: return go(RReLU<Double>.self)
        case .relu6: return go(ReLU6<Double>.self)
        case .leakyReLU6: return go(LeakyReLU6<Double>.self)
        case .hardtanh: return go(HardTanh<Double>.self)
        case .hardSigmoid: return go(HardSigmoid<Double>.self)
        case .hardSwish: return go(HardSwish<Double>.self)
        case .hardshrink: return go(HardShrink<Double>.self)
        case .softshrink: return go(SoftShrink<Double>.self)
        case .threshold: return go(Threshold<Double>.self)
        case .sparsePlus: return go(SparsePlus<Double>.self)
        case .sparseSigmoid: return go(SparseSigmoid<Double>.self)
        case .reluSquared: return go(ReLUSquared<Double>.self)
        case .starReLU: return go(StarReLU<Double>.self)
        case .softsign: return go(Softsign<Double>.self)
        case .squareplus: return go(Squareplus<Double>.self)
        case .elu: return go(ELU<Double>.self)
        case .selu: return go(SELU<Double>.self)
        case .celu: return go(CELU<Double>.self)
        case .gelu: return go(GELU<Double>.self)
        case .sigmoid: return go(Sigmoid<Double>.self)
        case .logSigmoid: return go(LogSigmoid<Double>.self)
        case .tanh: return go(Tanh<Double>.self)
        case .softplus: return go(Softplus<Double>.self)
        case .swish: return go(Swish<Double>.self)
        case .mish: return go(Mish<Double>.self)
        case .tanhshrink: return go(TanhShrink<Double>.self)
        case .exponential: return go(Exponential<Double>.self)
        case .snake: return go(Snake<Double>.self)
        case .softmax, .logSoftmax, .softmin, .sparsemax, .glu, .reglu, .geglu, .swiglu:
            preconditionFailure("\(function.name) is a vector function, not elementwise")
        }
    }

    /// float32 evaluations that run on Float directly, which vectorises twice as wide and skips
    /// the conversions:
    /// - identity, relu, leaky_relu, relu6 and hardtanh, whose every result is exact in float32
    ///   arithmetic (x, 0, 1, a bound, a slope, or slope·x, which float32 rounds once from the
    ///   exact product as double-then-float32 does): the same bits as the double path.
    /// - hard_sigmoid and hard_swish, whose kernels carry x + 3 and x·(x + 3) in double length
    ///   and divide by 6 with an exact remainder, in any binary format: computed in float32 they
    ///   are correctly rounded to float32 directly, where the double path rounds twice (which
    ///   left hard_swish 1 ulp off at some subnormal inputs).
    /// Relies on the engine's rounding of float32 parameters to float32 (see ResolvedParameters).
    static func dispatchNativeFloat(
        _ function: ActivationFunction, parameters: ResolvedParameters, convention: KinkConvention,
        _ buffers: ElementwiseBuffers<Float>
    ) -> ParameterGradientSums? {
        func go<K: ElementwiseKernel>(_: K.Type) -> ParameterGradientSums where K.Scalar == Float {
            drive(K(parameters: parameters, convention: convention), buffers)
        }
        switch function {
        case .identity: return go(Identity<Float>.self)
        case .relu: return go(ReLU<Float>.self)
        case .leakyReLU: return go(LeakyReLU<Float>.self)
        case .relu6: return go(ReLU6<Float>.self)
        case .hardtanh: return go(HardTanh<Float>.self)
        case .hardSigmoid: return go(HardSigmoid<Float>.self)
        case .hardSwish: return go(HardSwish<Float>.self)
        default: return nil
        }
    }
}
