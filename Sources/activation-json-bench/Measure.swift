import Foundation

/// Deterministic pseudo-random doubles, roughly normal, so every run parses the same text.
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
    mutating func uniform() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
    mutating func normal() -> Double {
        (uniform() + uniform() + uniform() + uniform()) * 1.7 - 3.4
    }
}

/// A request body for `numbers`, each written with 17 significant digits.
func body(dtype: String, numbers: [Double]) -> [UInt8] {
    var text = "{\"function\":\"relu\",\"dtype\":\"\(dtype)\",\"inputs\":["
    text.reserveCapacity(numbers.count * 21 + 64)
    for (i, x) in numbers.enumerated() {
        if i > 0 { text += "," }
        text += String(format: "%.17g", x)
    }
    text += "]}"
    return Array(text.utf8)
}

/// This thread's CPU time in seconds: on a shared machine wall time mostly measures the
/// neighbours, CPU time measures the code (everything here runs on one thread).
func cpuSeconds(_ clock: clockid_t = CLOCK_THREAD_CPUTIME_ID) -> Double {
    var time = timespec()
    clock_gettime(clock, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Best CPU time in seconds of `rounds` runs of `work`.
func best(_ rounds: Int, _ work: () -> Int) -> (seconds: Double, check: Int) {
    var bestTime = Double.infinity
    var check = 0
    for _ in 0..<rounds {
        let start = cpuSeconds()
        check &+= work()
        let elapsed = cpuSeconds() - start
        bestTime = min(bestTime, elapsed)
    }
    return (bestTime, check)
}

/// One line of the table: MB/s of `bytes`, ns per number, milliseconds, and the ratio to
/// `baseline` (seconds of the same work done by something else) when given.
func report(_ name: String, bytes: Int, numbers: Int, seconds: Double, versus baseline: (name: String, seconds: Double)? = nil) {
    let mbps = Double(bytes) / seconds / 1e6
    let nsPerNumber = seconds * 1e9 / Double(numbers)
    var line = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    line += String(format: "%8.1f MB/s %8.1f ns/number %8.2f ms", mbps, nsPerNumber, seconds * 1e3)
    if let baseline { line += String(format: "   x%.1f vs %@", baseline.seconds / seconds, baseline.name) }
    print(line)
}
