import ActivationEngine

#if _endian(big)
#error("the binary tensor extension is little-endian; byte swapping is not implemented")
#endif

/// Reads the body of `POST /v2/models/{name}/infer` into an ``InferenceRequest``: the JSON
/// inference header in one pass, then the binary tensor sections that follow it (Triton's
/// binary tensor data extension), moved into the engine's storage without converting any
/// element.
///
/// The framing, checked before any element is stored:
/// - `Inference-Header-Content-Length` (when present) is plain decimal digits, more than 0 and
///   at most the body's length; the JSON header is that many bytes, the rest is binary.
/// - Each input with `parameters.binary_data_size` takes exactly that many bytes, in input
///   order; the size must be the element count times the datatype's width. Missing bytes and
///   bytes left over are errors, as is a binary size without the header length.
/// - Shapes are 0 to 8 non-negative integers whose product (without overflow) is within the
///   element limit; JSON `data` holds exactly that many numbers, nested like the shape or flat.
///
/// Choices where the protocol is silent (docs/api.md says the same):
/// - Non-finite numbers in JSON `data` may be the bare tokens `NaN`, `Infinity`, `-Infinity`
///   (what Python's json and rapidjson, hence tritonclient, write) or v1's strings.
/// - Unknown fields, unknown inputs or outputs, and unknown input or output parameters are
///   errors: a misspelt `grad_ouput` must not be ignored. Triton's reserved request parameters
///   (`sequence_*`, `priority`, `timeout`, `headers`, `triton_*`) are accepted and ignored.
/// - `model_name` and `model_version` in the body (the extension's example has them) are
///   accepted and ignored: the path names the model.
struct InferenceRequestReader: Sendable {
    var maxElements: Int

    /// An input as the header declares it, before its bytes or numbers become a tensor.
    struct DeclaredInput {
        var name: String
        var path: String
        var shape: [Int]?
        var datatype: DType?
        var data: RawNumericArray?
        var binarySize: Int?
    }

    /// What the header says besides the inputs.
    struct Header {
        var id: String?
        var parameters: [String: ParameterInput] = [:]
        var axis = -1
        var conventions = KinkConvention.pytorch
        var binaryOutputs = false
        var inputs: [DeclaredInput] = []
        var outputs: [(name: String, path: String, binary: Bool?)]?
    }

    func read(
        _ body: [UInt8], headerLength: String?, model: FunctionMetadata
    ) throws(ServiceError) -> InferenceRequest {
        let jsonLength = try Self.jsonLength(headerLength, bodyLength: body.count)
        let result = body.withUnsafeBytes { buffer in
            Result { () throws(ServiceError) -> InferenceRequest in
                guard let base = buffer.baseAddress, buffer.count > 0 else {
                    throw .malformedJSON("the body is empty", line: 1, column: 1)
                }
                let bytes = base.assumingMemoryBound(to: UInt8.self)
                var scanner = JSONScanner(base: bytes, count: jsonLength)
                scanner.acceptsBareNonFinite = true
                let header = try readHeader(&scanner, model: model)
                let binary = UnsafeRawBufferPointer(start: base + jsonLength, count: buffer.count - jsonLength)
                return try assemble(header, binary: binary, scanner: scanner, model: model)
            }
        }
        return try result.get()
    }

    /// The JSON header's length: the whole body without `Inference-Header-Content-Length`.
    static func jsonLength(_ header: String?, bodyLength: Int) throws(ServiceError) -> Int {
        guard let header else { return bodyLength }
        let digits = header.utf8
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(header)
        else {
            throw .binaryFraming("Inference-Header-Content-Length must be a decimal byte count")
        }
        guard length > 0, length <= bodyLength else {
            throw .binaryFraming(
                "Inference-Header-Content-Length is \(length) but the body has \(bodyLength) bytes")
        }
        return length
    }

    // MARK: - Turning the declared inputs into the engine's evaluation

    private func assemble(
        _ header: Header, binary: UnsafeRawBufferPointer, scanner: JSONScanner, model: FunctionMetadata
    ) throws(ServiceError) -> InferenceRequest {
        var offset = 0
        var tensors: [String: Tensor] = [:]
        for input in header.inputs {
            guard let shape = input.shape else { throw .missingField(path: JSONPath.member(input.path, "shape")) }
            guard let datatype = input.datatype else {
                throw .missingField(path: JSONPath.member(input.path, "datatype"))
            }
            let count = try Self.elementCount(shape, path: input.path, limit: maxElements)
            switch (input.data, input.binarySize) {
            case (nil, nil):
                throw .missingField(path: JSONPath.member(input.path, "data"))
            case (.some, .some):
                throw .invalidValue(path: input.path, "has both data and parameters.binary_data_size")
            case (let data?, nil):
                guard data.values.count == count, data.shape == shape || data.shape.count <= 1 else {
                    throw .shapeMismatch(path: JSONPath.member(input.path, "data"), expected: shape, actual: data.shape)
                }
                var flat = data
                flat.shape = shape
                tensors[input.name] = try scanner.makeTensor(flat, dtype: datatype, path: JSONPath.member(input.path, "data"))
            case (nil, let size?):
                guard size == count * datatype.byteWidth else {
                    throw .binaryFraming(
                        "\(input.path): binary_data_size is \(size) bytes, but \(count) \(datatype.inferenceDatatype) "
                            + "elements take \(count * datatype.byteWidth)")
                }
                guard size <= binary.count - offset else {
                    throw .binaryFraming(
                        binary.isEmpty && offset == 0
                            ? "\(input.path) has binary_data_size but the request has no binary data "
                                + "(is Inference-Header-Content-Length missing?)"
                            : "\(input.path): binary_data_size is \(size) bytes, but only \(binary.count - offset) remain")
                }
                tensors[input.name] = try Self.tensor(
                    UnsafeRawBufferPointer(rebasing: binary[offset..<(offset + size)]), shape: shape, dtype: datatype)
                offset += size
            }
        }
        guard offset == binary.count else {
            throw .binaryFraming("\(binary.count - offset) bytes follow the last binary tensor")
        }
        return try evaluation(header, tensors: tensors, model: model)
    }

    private func evaluation(
        _ header: Header, tensors: [String: Tensor], model: FunctionMetadata
    ) throws(ServiceError) -> InferenceRequest {
        guard let x = tensors["x"] else {
            throw .invalidValue(path: "$.inputs", "must include the input 'x'")
        }
        if let gradOutput = tensors["grad_output"], gradOutput.dtype != x.dtype {
            throw .invalidValue(
                path: "grad_output", "has datatype \(gradOutput.dtype.inferenceDatatype) but x has \(x.dtype.inferenceDatatype)")
        }
        var parameters = header.parameters
        for name in model.tensorParameters {
            guard let tensor = tensors[name] else { continue }
            guard parameters[name] == nil else {
                throw .invalidValue(path: name, "is given both as a request parameter and as an input tensor")
            }
            switch tensor.ndim {
            case 0: parameters[name] = .number(tensor.storage.doubles[0])
            case 1: parameters[name] = .numbers(tensor.storage.doubles)
            default:
                throw .invalidValue(path: name, "must be a scalar or one value per channel (shape [C]), not shape \(tensor.shape)")
            }
        }
        let outputs = try requestedOutputs(header, model: model)
        let wantsValues = outputs.contains { $0.output == .values }
        let wantsGradients = outputs.contains { $0.output != .values }
        let evaluation = Evaluation(
            function: model.name, parameters: parameters, dtype: x.dtype, axis: header.axis,
            conventions: header.conventions, input: x, gradOutput: tensors["grad_output"],
            outputs: wantsValues && wantsGradients ? .both : wantsValues ? .values : .gradients)
        return InferenceRequest(id: header.id, evaluation: evaluation, outputs: outputs)
    }

    private func requestedOutputs(
        _ header: Header, model: FunctionMetadata
    ) throws(ServiceError) -> [InferenceRequest.RequestedOutput] {
        let learnable = model.learnableParameters.map(\.name)
        guard let listed = header.outputs else {
            return InferenceOutput.all(for: model).map { .init(output: $0, binary: header.binaryOutputs) }
        }
        guard !listed.isEmpty else { throw .invalidValue(path: "$.outputs", "must name at least one output") }
        var outputs: [InferenceRequest.RequestedOutput] = []
        for entry in listed {
            guard let output = InferenceOutput(name: entry.name, learnable: learnable) else {
                let known = InferenceOutput.all(for: model).map(\.name).joined(separator: ", ")
                throw .invalidValue(path: entry.path, "unknown output '\(entry.name)'; \(model.name) has \(known)")
            }
            guard !outputs.contains(where: { $0.output == output }) else {
                throw .invalidValue(path: entry.path, "output '\(entry.name)' is asked for twice")
            }
            outputs.append(.init(output: output, binary: entry.binary ?? header.binaryOutputs))
        }
        return outputs
    }

    // MARK: - Binary sections

    /// The product of `shape`, checked against overflow and the element limit.
    static func elementCount(_ shape: [Int], path: String, limit: Int) throws(ServiceError) -> Int {
        guard let count = Tensor.elementCount(of: shape) else {
            throw .invalidValue(path: JSONPath.member(path, "shape"), "the element count overflows")
        }
        guard count <= limit else { throw .tooManyElements(path: JSONPath.member(path, "shape"), limit: limit) }
        return count
    }

    /// Little-endian bytes straight into the tensor's storage: one copy, no per-element work
    /// (every platform this service builds for is little-endian; a big-endian build stops at
    /// compile time below rather than answer with swapped bytes).
    static func tensor(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws(ServiceError) -> Tensor {
        let storage: TensorStorage
        switch dtype {
        case .float32: storage = .float32(elements(bytes, as: Float.self))
        case .float64: storage = .float64(elements(bytes, as: Double.self))
        }
        do throws(EngineError) {
            return try Tensor(shape: shape, storage: storage)
        } catch {
            throw ServiceError(error)
        }
    }

    private static func elements<T: BinaryFloatingPoint>(_ bytes: UnsafeRawBufferPointer, as: T.Type) -> [T] {
        let count = bytes.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(count * MemoryLayout<T>.stride)]))
            }
            initialized = count
        }
    }
}

extension ServiceError.Code {
    /// The binary tensor framing is inconsistent: header length, sizes, missing or extra bytes (400).
    public static let binaryFraming = ServiceError.Code(rawValue: "binary_framing")
}

extension ServiceError {
    static func binaryFraming(_ message: String) -> ServiceError {
        ServiceError(status: .badRequest, code: .binaryFraming, message: message)
    }
}
