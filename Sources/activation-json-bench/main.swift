// Throughput of the service's JSON reader and writer on the body that dominates its load:
// 65,536 numbers written with 17 significant digits (about 1.2 MB), as float32 and float64,
// against Foundation's JSONSerialization and JSONDecoder and (with --orjson) Python's orjson,
// on the same bytes in the same run. The machine is shared and noisy, so each figure is the
// best thread CPU time of several rounds, and the ratios within one run are what to compare
// across machines.
//
// Run: swift run -c release activation-json-bench [rounds] [--ours-only] [--short-only] [--orjson PYTHON]
//      (--ours-only skips Foundation and orjson, for profiling: valgrind --tool=callgrind or
//      perf record; --orjson runs scripts/orjson-bench.py with PYTHON, which needs orjson and
//      numpy: scripts/json-bench.sh makes such a Python and passes it.)
//
// The writer's proofs, minutes each (see WriterProof.swift):
//      swift run -c release activation-json-bench --prove-float32 [STRIDE] [--threads N]
//      swift run -c release activation-json-bench --prove-float64 [COUNT] [--threads N]
import ActivationEngine
import ActivationService
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func value(after flag: String) -> String? {
    arguments.firstIndex(of: flag).flatMap { arguments.index(after: $0) < arguments.endIndex ? arguments[$0 + 1] : nil }
}
let threads = value(after: "--threads").flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount

if arguments.contains("--prove-float32") {
    let stride = value(after: "--prove-float32").flatMap(Int.init) ?? 1
    exit(WriterProof.everyFloat32(threads: threads, stride: max(stride, 1)) ? 0 : 1)
}
if arguments.contains("--prove-float64") {
    let count = value(after: "--prove-float64").flatMap(Int.init) ?? 100_000_000
    exit(WriterProof.float64Sample(count: count, threads: threads) ? 0 : 1)
}

let rounds = arguments.first.flatMap(Int.init) ?? 15
let oursOnly = arguments.contains("--ours-only")
let python = oursOnly ? nil : value(after: "--orjson")
let count = 65_536

var generator = Generator()
let floats = (0..<count).map { _ in Float(generator.normal()) }
let doubles = (0..<count).map { _ in generator.normal() }
let body32 = body(dtype: "float32", numbers: floats.map(Double.init))
let body64 = body(dtype: "float64", numbers: doubles)

let orjson = try python.map { python in
    try Orjson.run(python: python, rounds: rounds, bodies: ["float32": body32, "float64": body64],
                   arrays: ["float32": floats.withUnsafeBytes { Data($0) }, "float64": doubles.withUnsafeBytes { Data($0) }])
}

struct FoundationRequest: Decodable {
    var function: String
    var dtype: String?
    var inputs: [Double]
}

let reader = ActivateRequestReader()
print("activation-json-bench: \(count) numbers, 17 significant digits, best CPU time of \(rounds) rounds")
print("bodies: float32 \(body32.count) bytes, float64 \(body64.count) bytes")
if let orjson { print("orjson: \(orjson.version)") }
print()

// The service's typical bodies (sigmoid-1024, gelu-16, batch-8x64): numbers such as -3.123456,
// made as scripts/bench_bodies.py makes them (Python's repr of round(uniform(-6, 6), 6)), which
// Swift's shortest `description` writes alike (the same digits; both switch to an exponent below
// 1e-4), read by the same reader as the 17-digit bodies below.
let shortNumbers = (0..<count).map { _ in ((generator.uniform() * 12 - 6) * 1e6).rounded() / 1e6 }
for dtype in ["float32", "float64"] {
    let text = "{\"function\":\"sigmoid\",\"dtype\":\"\(dtype)\",\"inputs\":["
        + shortNumbers.map(\.description).joined(separator: ",") + "]}"
    let bytes = Array(text.utf8)
    let ours = best(rounds) {
        guard case .single(let evaluation) = try! reader.read(bytes) else { return -1 }
        return evaluation.input.count
    }
    report("parse \(dtype) short (6 decimals)", bytes: bytes.count, numbers: count,
           seconds: ours.seconds)
}
print()
if arguments.contains("--short-only") { exit(0) }  // for profiling the short numbers alone

for (label, bytes) in [("float32", body32), ("float64", body64)] {
    let data = Data(bytes)
    let ours = best(rounds) {
        guard case .single(let evaluation) = try! reader.read(bytes) else { return -1 }
        return evaluation.input.count
    }
    if !oursOnly {
        let serialization = best(rounds) {
            let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
            return (object["inputs"] as! [Any]).count
        }
        let decoder = best(rounds) { try! JSONDecoder().decode(FoundationRequest.self, from: data).inputs.count }
        report("parse \(label): JSONSerialization", bytes: bytes.count, numbers: count, seconds: serialization.seconds)
        report("parse \(label): JSONDecoder", bytes: bytes.count, numbers: count, seconds: decoder.seconds)
    }
    if let seconds = orjson?.seconds["parse-\(label)"] {
        report("parse \(label): orjson.loads (Python)", bytes: bytes.count, numbers: count, seconds: seconds)
    }
    report("parse \(label): ActivateRequestReader", bytes: bytes.count, numbers: count, seconds: ours.seconds,
           versus: orjson?.seconds["parse-\(label)"].map { ("orjson", $0) })
    print()
}

// Writing: the same numbers back as a JSON array, shortest round-trip text in their dtype.
let written32 = { var w = JSONWriter(capacity: 16); w.numbers(floats, shape: [count]); return w.finish() }()
let written64 = { var w = JSONWriter(capacity: 16); w.numbers(doubles, shape: [count]); return w.finish() }()
print("written: float32 \(written32.count) bytes, float64 \(written64.count) bytes")
for (label, size) in [("float32", written32.count), ("float64", written64.count)] {
    let ours = best(rounds) {
        // Room for the whole array up front, so the figure is the writing, not a reallocation.
        var writer = JSONWriter(capacity: count * JSONWriter.bytesPerNumber + 64)
        if label == "float32" { writer.numbers(floats, shape: [count]) } else { writer.numbers(doubles, shape: [count]) }
        return writer.finish().count
    }
    if !oursOnly {
        let objects: [Any] = label == "float32" ? floats.map { NSNumber(value: $0) } : doubles.map { NSNumber(value: $0) }
        let serialization = best(rounds) { try! JSONSerialization.data(withJSONObject: objects).count }
        let viaDescription = best(rounds) {
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
        report("write \(label): JSONSerialization", bytes: size, numbers: count, seconds: serialization.seconds)
        report("write \(label): description per number", bytes: size, numbers: count, seconds: viaDescription.seconds)
    }
    if let seconds = orjson?.seconds["write-\(label)"] {
        report("write \(label): orjson.dumps numpy (Python)", bytes: orjson?.written["write-\(label)"] ?? size,
               numbers: count, seconds: seconds)
    }
    report("write \(label): JSONWriter", bytes: size, numbers: count, seconds: ours.seconds,
           versus: orjson?.seconds["write-\(label)"].map { ("orjson", $0) })
    print()
}

// The whole answer to the float32 relu request: values (half of them 0.0) and gradients
// (all 0.0 or 1.0), computed by the engine and written as the route writes them.
let reluResult = try Engine().evaluate(
    Evaluation(function: "relu", dtype: .float32, input: Tensor(shape: [count], float32: floats)))
let answerBytes = JSONWriter.activateResponse([reluResult], batch: false).count
report("write float32 relu answer (values+gradients)", bytes: answerBytes, numbers: count,
       seconds: best(rounds) { JSONWriter.activateResponse([reluResult], batch: false).count }.seconds)
// With an upstream gradient (the inputs in reverse order): relu's gradients are then that
// gradient's general numbers where x > 0 and ±0.0 elsewhere, -0.0 where it is negative.
let reluBackward = try Engine().evaluate(
    Evaluation(function: "relu", dtype: .float32, input: Tensor(shape: [count], float32: floats),
               gradOutput: Tensor(shape: [count], float32: floats.reversed())))
report("write float32 relu answer with grad_output", bytes: JSONWriter.activateResponse([reluBackward], batch: false).count,
       numbers: count, seconds: best(rounds) { JSONWriter.activateResponse([reluBackward], batch: false).count }.seconds)
// The same for float64 (the run writer's other specialization).
let reluResult64 = try Engine().evaluate(
    Evaluation(function: "relu", dtype: .float64, input: Tensor(shape: [count], float64: doubles)))
report("write float64 relu answer (values+gradients)", bytes: JSONWriter.activateResponse([reluResult64], batch: false).count,
       numbers: count, seconds: best(rounds) { JSONWriter.activateResponse([reluResult64], batch: false).count }.seconds)
// sigmoid-1024's answer as the route writes it (values and gradients, 2,048 doubles, a new
// writer per answer), 64 answers per round: the float64 writer as the server runs it, to set
// beside the 65,536-number row above. Inputs: the first 1,024 of the body's times 1.75
// (about [-6, 6], like the service benchmark's body).
let sigmoidResult = try Engine().evaluate(
    Evaluation(function: "sigmoid", dtype: .float64, input: Tensor(shape: [1024], float64: doubles.prefix(1024).map { $0 * 1.75 })))
let sigmoidBytes = JSONWriter.activateResponse([sigmoidResult], batch: false).count
report("write float64 sigmoid-1024 answers (x64)", bytes: sigmoidBytes * 64, numbers: 2048 * 64,
       seconds: best(rounds) {
           var total = 0
           for _ in 0..<64 { total &+= JSONWriter.activateResponse([sigmoidResult], batch: false).count }
           return total
       }.seconds)
