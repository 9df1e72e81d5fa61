/// The entry points of the vector kernels for the engine, one set per compilation of this
/// module (``KernelBuild`` in ActivationEngine picks the build): only buffers and flags cross,
/// so that both compilations expose the same signature.
package enum VectorKernels {
    /// softmax (softmin when `negate`) of one slice: `x` (length L, overwritten), `g` (nil: all
    /// ones), `y`, `dx` (nil: values only), `work` of 3·L; results rounded for float32 when
    /// `float32`.
    package static func softmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, negate: Bool, float32: Bool
    ) {
        SoftmaxKernel.softmax(x, g: g, y: y, dx: dx, work: work, negate: negate, target: float32 ? .float32 : .float64)
    }

    /// log_softmax of one slice, with the same buffers.
    package static func logSoftmax(
        _ x: UnsafeMutableBufferPointer<Double>, g: UnsafeMutableBufferPointer<Double>?,
        y: UnsafeMutableBufferPointer<Double>, dx: UnsafeMutableBufferPointer<Double>?,
        work: UnsafeMutableBufferPointer<Double>, float32: Bool
    ) {
        SoftmaxKernel.logSoftmax(x, g: g, y: y, dx: dx, work: work, target: float32 ? .float32 : .float64)
    }
}
