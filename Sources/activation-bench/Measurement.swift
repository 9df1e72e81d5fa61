import ActivationEngine
import Dispatch
import Foundation

/// Timing helpers: the median of repeated samples, each sample long enough (≥ 2 ms) that the
/// clock's resolution and one-off costs vanish.
enum Measurement {
    /// Nanoseconds per element of `body` over `elements` elements: median of `samples` samples.
    static func nsPerElement(elements: Int, samples: Int, _ body: () -> Void) -> Double {
        body()  // warm-up: page faults, caches, lazy metadata
        var iterations = 1
        while true {
            let t = time(iterations, body)
            if t >= 2_000_000 || iterations >= 1 << 20 { break }
            iterations *= 2
        }
        var results: [Double] = []
        for _ in 0..<samples {
            results.append(Double(time(iterations, body)) / Double(iterations * max(elements, 1)))
        }
        results.sort()
        return results[results.count / 2]
    }

    private static func time(_ iterations: Int, _ body: () -> Void) -> UInt64 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        return DispatchTime.now().uptimeNanoseconds - start
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
