import Foundation

/// orjson's figures on the same bodies and arrays, in the same run: the benchmark writes them
/// to a temporary directory and runs scripts/orjson-bench.py with the given Python (one that
/// has orjson and numpy: scripts/json-bench.sh makes a throw-away virtual environment).
struct Orjson {
    /// Seconds for each measurement: "parse-float32", "parse-float64", "write-float32", "write-float64".
    var seconds: [String: Double] = [:]
    /// The bytes orjson wrote for "write-float32" and "write-float64" (its text differs from ours).
    var written: [String: Int] = [:]
    var version = ""

    static func run(python: String, rounds: Int, bodies: [String: [UInt8]], arrays: [String: Data]) throws -> Orjson {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("activation-json-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (dtype, bytes) in bodies {
            try Data(bytes).write(to: directory.appendingPathComponent("body-\(dtype).json"))
        }
        for (dtype, data) in arrays {
            try data.write(to: directory.appendingPathComponent("values-\(dtype).bin"))
        }
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/orjson-bench.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, directory.path, String(rounds)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(python) \(script.path) failed"])
        }
        var result = Orjson()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.first == "version" {
                result.version = fields.dropFirst().joined(separator: " ")
            } else if fields.count >= 2, let seconds = Double(fields[1]) {
                result.seconds[String(fields[0])] = seconds
                if fields.count >= 4 { result.written[String(fields[0])] = Int(fields[3]) }
            }
        }
        return result
    }
}
