import ActivationEngine
import Foundation

/// `activation-bench eval`: the engine as a filter, for scripts/references/adversarial.py.
///
/// The adversarial search computes its references with mpmath and needs the engine's answers to
/// millions of chosen inputs, bit for bit and without JSON's decimal round trip; this mode reads
/// requests on stdin, one a line, and answers each with one line on stdout (flushed), so a script
/// can keep one process and send batches. Fields are tab-separated; numbers are IEEE bit patterns
/// in hex of the dtype (8 digits for f32, 16 for f64), comma-separated:
///
///     E <function> <f32|f64> <params> <pytorch|jax> <x,…>
///         → <values>\t<f'(x) (grad_output 1)>\t<∂f/∂p₁ or ->\t<∂f/∂p₂ or ->
///     V <function> <f32|f64> <params> <x,…> <grad_output,…>
///         → <values>\t<vector-Jacobian product>   (ERR when the values alone differ)
///
/// `params` is `-` or `name=value,…` with numbers as hexadecimal floats (`0x1.8p-1`, exact) and
/// choices as words. The partials are those the engine reports for a one-element evaluation
/// (the parameter gradient with grad_output 1), in metadata order. An invalid request answers
/// `ERR <message>`. `--kernels baseline|x86-64-v3` picks the kernel build (both give the same
/// bits; KernelBuildTests holds them to it).
///
/// It evaluates through the public `Engine`, as the service does, so what it measures is what a
/// client gets.
enum EvalMode {
    static func run(_ arguments: [String]) {
        var kernels = KernelBuild.best
        if let index = arguments.firstIndex(of: "--kernels"), index + 1 < arguments.count,
            let build = KernelBuild(rawValue: arguments[index + 1]), build.isAvailable
        {
            kernels = build
        }
        let engine = Engine(configuration: EngineConfiguration(
            maxElements: .max, parallelThreshold: .max, kernels: kernels))
        while let line = readLine(strippingNewline: true) {
            if line.isEmpty { continue }
            let answer: String
            do {
                answer = try respond(to: line, engine)
            } catch {
                answer = "ERR \(error)"
            }
            FileHandle.standardOutput.write((answer + "\n").data(using: .utf8)!)
        }
    }

    struct RequestError: Error, CustomStringConvertible {
        var description: String
    }

    static func respond(to line: String, _ engine: Engine) throws -> String {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 5, let dtype = fields[2] == "f32" ? DType.float32 : fields[2] == "f64" ? .float64 : nil
        else { throw RequestError(description: "malformed request") }
        let parameters = try parse(parameters: fields[3])
        switch fields[0] {
        case "E" where fields.count == 6:
            let convention: KinkConvention = fields[4] == "jax" ? .jax : .pytorch
            let xs = try decode(fields[5], dtype)
            let result = try engine.evaluate(Evaluation(
                function: fields[1], parameters: parameters, dtype: dtype, conventions: convention,
                input: tensor(xs, dtype)))
            var columns = [encode(result.values!, dtype), encode(result.gradients!, dtype)]
            let learnable = result.parameterGradients.count
            if learnable > 0 {
                // One evaluation per element: the engine reports the sum over elements.
                let batch = xs.map {
                    Evaluation(function: fields[1], parameters: parameters, dtype: dtype, input: tensor([$0], dtype),
                               outputs: .gradients)
                }
                let results = try engine.evaluate(batch)
                for k in 0..<learnable {
                    let partials = results.map { result -> Double in
                        if case .number(let value) = result.parameterGradients[k].value { return value }
                        return .nan
                    }
                    columns.append(encode(partials, dtype))
                }
            }
            while columns.count < 4 { columns.append("-") }
            return columns.joined(separator: "\t")
        case "V" where fields.count == 6:
            let xs = try decode(fields[4], dtype), gs = try decode(fields[5], dtype)
            let result = try engine.evaluate(Evaluation(
                function: fields[1], parameters: parameters, dtype: dtype, input: tensor(xs, dtype),
                gradOutput: tensor(gs, dtype)))
            // A request for values alone takes paths of its own (the GLU family's lanes): they
            // must give the very bits of the values computed with the VJP, or the search stops.
            let alone = try engine.evaluate(Evaluation(
                function: fields[1], parameters: parameters, dtype: dtype, input: tensor(xs, dtype),
                gradOutput: tensor(gs, dtype), outputs: .values))
            let values = encode(result.values!, dtype)
            guard encode(alone.values!, dtype) == values else {  // bit patterns, in hex
                throw RequestError(description: "values alone differ from the values with the VJP")
            }
            return values + "\t" + encode(result.gradients!, dtype)
        default:
            throw RequestError(description: "unknown request kind or field count")
        }
    }

    static func parse(parameters text: String) throws -> [String: ParameterInput] {
        guard text != "-" else { return [:] }
        var parameters: [String: ParameterInput] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw RequestError(description: "bad parameter \(pair)") }
            parameters[parts[0]] = parts[1].hasPrefix("0x") || parts[1].hasPrefix("-0x")
                ? .number(Double(parts[1]) ?? .nan) : .string(parts[1])
        }
        return parameters
    }

    static func decode(_ field: String, _ dtype: DType) throws -> [Double] {
        guard !field.isEmpty else { return [] }
        return try field.split(separator: ",").map { hex in
            guard let bits = UInt64(hex, radix: 16) else { throw RequestError(description: "bad number \(hex)") }
            return dtype == .float32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : Double(bitPattern: bits)
        }
    }

    static func tensor(_ values: [Double], _ dtype: DType) -> Tensor {
        dtype == .float32 ? Tensor(float32: values.map { Float($0) }) : Tensor(values)
    }

    static func encode(_ tensor: Tensor, _ dtype: DType) -> String {
        encode(tensor.storage.doubles, dtype)
    }

    static func encode(_ values: [Double], _ dtype: DType) -> String {
        values.map { value in
            dtype == .float32
                ? String(Float(value).bitPattern, radix: 16).leftPadded(to: 8)
                : String(value.bitPattern, radix: 16).leftPadded(to: 16)
        }.joined(separator: ",")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
