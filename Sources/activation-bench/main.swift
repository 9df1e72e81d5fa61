// activation-bench: ns/element of values + gradients for every function, float32 and float64,
// 1,024 and 1,048,576 elements, on one core and on all cores, next to a plain copy of the same
// array measured in the same run.
//
//   swift run -c release activation-bench [--quick] [--functions relu,gelu] [--threshold]
//       [--kernels baseline|x86-64-v3] [--compare-builds] [--grad-output] [--values-only]
//
// `activation-bench eval [--kernels b]` instead answers evaluation requests on stdin, for
// scripts/references/adversarial.py (see Eval.swift).
//
// --quick takes fewer samples; --threshold also measures serial against parallel at the sizes
// around EngineConfiguration.parallelThreshold (how the default was chosen). --kernels picks the
// kernel build (default: the fastest this processor runs); --compare-builds adds a column with
// the baseline build on one core, measured in the same run.
import ActivationEngine
import ActivationMath
import Dispatch
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "eval" {
    EvalMode.run(arguments)
    exit(0)
}
let quick = arguments.contains("--quick")
// glibc gives freed blocks above its trim threshold (16 MB once it has adapted to 8 MB blocks)
// back to the OS, so a float64 evaluation of 1 Mi elements (two 8 MB outputs) page-faults its
// outputs in again on every call: several ns/element of kernel time. A long-running server keeps
// the memory with GLIBC_TUNABLES=glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=268435456;
// the header says which allocator setting a run used.
let tunables = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] ?? "(default)"
let measureThreshold = arguments.contains("--threshold")
var selected = ActivationFunction.allCases
if let index = arguments.firstIndex(of: "--functions"), index + 1 < arguments.count {
    let names = arguments[index + 1].split(separator: ",").map(String.init)
    selected = names.compactMap { ActivationFunction(named: $0) }
}
// A function without metadata cannot be evaluated (the engine reports it unknown): skip it.
selected = selected.filter { Catalogue.metadata(for: $0) != nil }
var kernels = KernelBuild.best
if let index = arguments.firstIndex(of: "--kernels"), index + 1 < arguments.count {
    guard let build = KernelBuild(rawValue: arguments[index + 1]), build.isAvailable else {
        print("--kernels: \(arguments[index + 1]) is not available here; available: "
            + KernelBuild.allCases.filter(\.isAvailable).map(\.rawValue).joined(separator: ", "))
        exit(2)
    }
    kernels = build
}
let compareBuilds = arguments.contains("--compare-builds")
// --grad-output passes an upstream gradient (a second deterministic pattern shaped like the
// values) instead of none: for the vector functions grad_output all ones makes the softmax
// family's VJP zero without computing it, so this is how their gradient path is measured.
let withGradOutput = arguments.contains("--grad-output")
// --values-only asks for the values alone (outputs: values), as a request without gradients does.
let valuesOnly = arguments.contains("--values-only")
let samples = quick ? 3 : 7
let cores = ProcessInfo.processInfo.activeProcessorCount
let serial = Engine(configuration: EngineConfiguration(parallelThreshold: .max, kernels: kernels))
let parallel = Engine(configuration: EngineConfiguration(parallelThreshold: 1, kernels: kernels))
let serialBaseline = Engine(configuration: EngineConfiguration(parallelThreshold: .max, kernels: .baseline))

/// The parameters a function needs to run (only threshold has required ones).
func parameters(for function: ActivationFunction) -> [String: ParameterInput] {
    function == .threshold ? ["threshold": .number(0.5), "value": .number(-1)] : [:]
}

func measure(_ engine: Engine, _ evaluation: Evaluation, clock: Measurement.Clock) -> Double {
    Measurement.nsPerElement(elements: evaluation.input.count, samples: samples, clock: clock) {
        _ = try? engine.evaluate([evaluation])
    }
}

print("activation-bench: \(cores) cores, median of \(samples) samples, values+gradients, ns/element")
print("(kernels: \(kernels.rawValue); 1 core and copy: thread CPU time; \(cores) cores: wall time; "
    + "GLIBC_TUNABLES=\(tunables)" + (withGradOutput ? "; with grad_output" : "")
    + (valuesOnly ? "; values only" : "") + ")")
let baselineColumn = compareBuilds ? " 1 core, baseline build |" : ""
print("| function | dtype | elements | 1 core | \(cores) cores | copy | 1 core / copy |\(baselineColumn)")
print("|---|---|---:|---:|---:|---:|---:|" + (compareBuilds ? "---:|" : ""))
for function in selected {
    for dtype in [DType.float32, .float64] {
        for count in [1_024, 1_048_576] {
            let input = try Measurement.input(count: count, dtype: dtype, vector: function.kind == .vector)
            let gradOutput = withGradOutput
                ? try Measurement.gradOutput(like: input, halved: [.glu, .reglu, .geglu, .swiglu].contains(function))
                : nil
            let evaluation = Evaluation(
                function: function.name, parameters: parameters(for: function), input: input, gradOutput: gradOutput,
                outputs: valuesOnly ? .values : .both)
            let one = measure(serial, evaluation, clock: .threadCPU)
            let all = measure(parallel, evaluation, clock: .wall)
            let copy = Measurement.nsPerElement(elements: count, samples: samples) {
                _ = Measurement.copy(input.storage)
            }
            var line = String(
                format: "| %@ | %@ | %d | %.2f | %.2f | %.3f | %.1f |", function.name, dtype.rawValue, count, one, all,
                copy, one / copy)
            if compareBuilds {
                line += String(format: " %.2f |", measure(serialBaseline, evaluation, clock: .threadCPU))
            }
            print(line)
            fflush(nil)
        }
    }
}

if measureThreshold {
    print("\nparallel threshold: µs per evaluation, serial vs parallel (chunks of 16,384)")
    print("| function | elements | serial µs | parallel µs |")
    print("|---|---:|---:|---:|")
    for function in [ActivationFunction.relu, .sigmoid, .gelu] where Catalogue.metadata(for: function) != nil {
        for count in [16_384, 32_768, 65_536, 131_072, 262_144] {
            let input = try Measurement.input(count: count, dtype: .float32, vector: false)
            let evaluation = Evaluation(function: function.name, input: input)
            let s = measure(serial, evaluation, clock: .wall) * Double(count) / 1000
            let p = measure(parallel, evaluation, clock: .wall) * Double(count) / 1000
            print(String(format: "| %@ | %d | %.1f | %.1f |", function.name, count, s, p))
            fflush(nil)
        }
    }
}
