import ActivationEngine
import Dispatch
import Foundation

/// Timing helpers: the median of repeated samples, each sample long enough (≥ 2 ms) that the
/// clock's resolution and one-off costs vanish.
///
/// Single-threaded measurements use the thread's CPU time (CLOCK_THREAD_CPUTIME_ID): the machine
/// is shared, and wall time would count the time other processes hold the core. Multi-threaded
/// ones must use wall time (the point is how soon the answer is there).
enum Measurement {
    enum Clock { case threadCPU, wall }

    /// Nanoseconds per element of `body` over `elements` elements: median of `samples` samples.
    static func nsPerElement(elements: Int, samples: Int, clock: Clock = .threadCPU, _ body: () -> Void) -> Double {
        body()  // warm-up: page faults, caches, lazy metadata
        var iterations = 1
        while true {
            let t = time(iterations, clock, body)
            if t >= 2_000_000 || iterations >= 1 << 20 { break }
            iterations *= 2
        }
        var results: [Double] = []
        for _ in 0..<samples {
            results.append(Double(time(iterations, clock, body)) / Double(iterations * max(elements, 1)))
        }
        results.sort()
        return results[results.count / 2]
    }

    private static func time(_ iterations: Int, _ clock: Clock, _ body: () -> Void) -> UInt64 {
        let start = now(clock)
        for _ in 0..<iterations { body() }
        return now(clock) - start
    }

    private static func now(_ clock: Clock) -> UInt64 {
        var t = timespec()
        clock_gettime(clock == .wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// A plain copy of the tensor's storage into a fresh array (memcpy): the memory-bandwidth
    /// floor for anything that reads and writes the same number of elements.
    static func copy(_ storage: TensorStorage) -> Int {
        switch storage {
        case .float32(let x): return copy(x)
        case .float64(let x): return copy(x)
        }
    }

    private static func copy<E>(_ x: [E]) -> Int {
        let y = [E](unsafeUninitializedCapacity: x.count) { buffer, initialized in
            x.withUnsafeBufferPointer { source in
                if let base = buffer.baseAddress, let from = source.baseAddress {
                    memcpy(base, from, x.count * MemoryLayout<E>.stride)
                }
            }
            initialized = x.count
        }
        return y.count
    }

    /// An upstream gradient for `input` (the last axis halved for the GLU family): another
    /// deterministic pattern in [-2, 2].
    static func gradOutput(like input: Tensor, halved: Bool) throws -> Tensor {
        var shape = input.shape
        if halved { shape[shape.count - 1] /= 2 }
        let count = shape.reduce(1, *)
        let values = (0..<count).map { i in 2 * cos(Double(i) * 0.4142 + 1.1) }
        switch input.dtype {
        case .float64: return try Tensor(shape: shape, float64: values)
        case .float32: return try Tensor(shape: shape, float32: values.map { Float($0) })
        }
    }

    /// A deterministic input spanning both signs and the interesting range of every function.
    static func input(count: Int, dtype: DType, vector: Bool) throws -> Tensor {
        let values = (0..<count).map { i in 4 * sin(Double(i) * 0.7371 + 0.3) }
        let shape = vector ? [count / 64, 64] : [count]
        switch dtype {
        case .float64: return try Tensor(shape: shape, float64: values)
        case .float32: return try Tensor(shape: shape, float32: values.map { Float($0) })
        }
    }
}
