#if canImport(Glibc)
import Glibc
#endif
import Logging

/// How log lines look: human-readable text, or one JSON object per line for log collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// A swift-log handler that writes each record as one line, in text or JSON, through a sink.
///
/// One `write(2)` per line (the default sink) keeps lines from different worker threads whole
/// without a lock. Metadata keys are sorted so lines diff and grep predictably. Every string is
/// escaped in JSON mode and control characters are escaped in text mode, so a hostile path or
/// header can never forge a second log line.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: LogFormat
    private let sink: @Sendable (String) -> Void

    public init(
        label: String, format: LogFormat, level: Logger.Level,
        sink: @escaping @Sendable (String) -> Void = LineLogHandler.standardOutput
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    /// Writes the line to standard output in one system call.
    public static let standardOutput: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Self.timestamp()
        switch format {
        case .text:
            var line = "\(time) \(event.level.rawValue.uppercased()) \(label): \(Self.escapedText(event.message.description))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line += " \(Self.escapedText(key))=\(Self.escapedText(value.description))"
            }
            sink(line)
        case .json:
            var line = "{\"time\":\"\(time)\",\"level\":\"\(event.level.rawValue)\",\"logger\":"
            line += Self.quoted(label) + ",\"message\":" + Self.quoted(event.message.description)
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                line += "," + Self.quoted(key) + ":" + Self.jsonValue(value)
            }
            sink(line + "}")
        }
    }

    /// ISO 8601 UTC with milliseconds, from the realtime clock.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }

    /// Numbers and strings as JSON; lists and dictionaries as JSON arrays and objects.
    static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text):
            // Integers logged as strings (status, bytes) stay strings: types never change per line.
            return quoted(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? Int { return String(number) }
            if let number = convertible as? Double, number.isFinite { return String(number) }
            return quoted(convertible.description)
        case .array(let values):
            return "[" + values.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.sorted(by: { $0.key < $1.key })
                .map { quoted($0.key) + ":" + jsonValue($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and every control character escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Text with control characters escaped so one record stays one line.
    static func escapedText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        let quotedText = quoted(text)
        return String(quotedText.dropFirst().dropLast())
    }
}
