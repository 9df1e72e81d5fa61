// Throughput of the service's JSON reader and writer on the body that dominates its load:
// 65,536 numbers written with 17 significant digits (about 1.2 MB), as float32 and float64,
// against Foundation's JSONSerialization and JSONDecoder on the same bytes in the same run.
// The machine is shared and noisy, so each figure is the best of several rounds and the
// ratio to Foundation is what to compare across machines.
//
// Run: swift run -c release activation-json-bench [rounds] [--ours-only]
// (--ours-only skips Foundation, for profiling: valgrind --tool=callgrind or perf record.)
import ActivationEngine
import ActivationService
import Foundation

let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 15
let oursOnly = CommandLine.arguments.contains("--ours-only")
let count = 65_536

/// Deterministic pseudo-random doubles, roughly normal, so every run parses the same text.
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    mutating func normal() -> Double {
        (uniform() + uniform() + uniform() + uniform()) * 1.7 - 3.4
    }
}
var generator = Generator()

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

let floats = (0..<count).map { _ in Float(generator.normal()) }
let doubles = (0..<count).map { _ in generator.normal() }
let body32 = body(dtype: "float32", numbers: floats.map(Double.init))
let body64 = body(dtype: "float64", numbers: doubles)

/// This thread's CPU time in seconds: on a shared machine wall time mostly measures the
/// neighbours, CPU time measures the code (everything here runs on one thread).
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Best CPU time in seconds of `rounds` runs of `work`.
func best(_ work: () -> Int) -> (seconds: Double, check: Int) {
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

func report(_ name: String, bytes: Int, _ result: (seconds: Double, check: Int), baseline: Double? = nil) {
    if oursOnly && result.check == 0 { return }  // a comparison skipped by --ours-only
    let mbps = Double(bytes) / result.seconds / 1e6
    let nsPerNumber = result.seconds * 1e9 / Double(count)
    var line = name.padding(toLength: 44, withPad: " ", startingAt: 0)
    line += String(format: "%8.1f MB/s %8.1f ns/number %8.2f ms", mbps, nsPerNumber, result.seconds * 1e3)
    if let baseline { line += String(format: "   x%.1f vs Foundation", baseline / result.seconds) }
    print(line)
}

struct FoundationRequest: Decodable {
    var function: String
    var dtype: String?
    var inputs: [Double]
}

let reader = ActivateRequestReader()
print("activation-json-bench: \(count) numbers, 17 significant digits, best CPU time of \(rounds) rounds")
print("bodies: float32 \(body32.count) bytes, float64 \(body64.count) bytes\n")

for (label, bytes) in [("float32", body32), ("float64", body64)] {
    let data = Data(bytes)
    let serialization = oursOnly ? (seconds: 1.0, check: 0) : best {
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (object["inputs"] as! [Any]).count
    }
    let decoder = oursOnly ? (seconds: 1.0, check: 0) : best {
        try! JSONDecoder().decode(FoundationRequest.self, from: data).inputs.count
    }
    let ours = best {
        guard case .single(let evaluation) = try! reader.read(bytes) else { return -1 }
        return evaluation.input.count
    }
    report("parse \(label): JSONSerialization", bytes: bytes.count, serialization)
    report("parse \(label): JSONDecoder", bytes: bytes.count, decoder)
    report("parse \(label): ActivateRequestReader", bytes: bytes.count, ours, baseline: oursOnly ? nil : serialization.seconds)
    print()
}

// Writing: the same numbers back as a JSON array, shortest round-trip text in their dtype.
let written32 = { var w = JSONWriter(capacity: 16); w.numbers(floats, shape: [count]); return w.finish() }()
let written64 = { var w = JSONWriter(capacity: 16); w.numbers(doubles, shape: [count]); return w.finish() }()
print("written: float32 \(written32.count) bytes, float64 \(written64.count) bytes")
for (label, size) in [("float32", written32.count), ("float64", written64.count)] {
    let objects: [Any] = label == "float32" ? floats.map { NSNumber(value: $0) } : doubles.map { NSNumber(value: $0) }
    let serialization = oursOnly ? (seconds: 1.0, check: 0) : best { try! JSONSerialization.data(withJSONObject: objects).count }
    let viaDescription = oursOnly ? (seconds: 1.0, check: 0) : best {
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(0x5B)
        for i in 0..<count {
            if i > 0 { out.append(0x2C) }
            out.append(contentsOf: (label == "float32" ? floats[i].description : doubles[i].description).utf8)
        }
        out.append(0x5D)
        return out.count
    }
    let ours = best {
        var writer = JSONWriter(capacity: count * JSONWriter.bytesPerNumber)
        if label == "float32" { writer.numbers(floats, shape: [count]) } else { writer.numbers(doubles, shape: [count]) }
        return writer.finish().count
    }
    report("write \(label): JSONSerialization", bytes: size, serialization)
    report("write \(label): description per number", bytes: size, viaDescription)
    report("write \(label): JSONWriter", bytes: size, ours, baseline: oursOnly ? nil : serialization.seconds)
    print()
}

// The whole answer to the float32 relu request: values (half of them 0.0) and gradients
// (all 0.0 or 1.0), computed by the engine and written as the route writes them.
let reluResult = try Engine().evaluate(
    Evaluation(function: "relu", dtype: .float32, input: Tensor(shape: [count], float32: floats)))
let answerBytes = JSONWriter.activateResponse([reluResult], batch: false).count
report("write float32 relu answer (values+gradients)", bytes: answerBytes,
       best { JSONWriter.activateResponse([reluResult], batch: false).count })
