import Foundation

/// Parses a response body with Foundation, independently of the service's own JSON code, so a
/// bug in the writer cannot hide behind the same bug in a reader.
func parseJSON(_ bytes: [UInt8]) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

func object(_ bytes: [UInt8]) -> [String: Any] {
    parseJSON(bytes) as? [String: Any] ?? [:]
}

/// The `error` member of an error body.
func errorOf(_ bytes: [UInt8]) -> (code: String?, message: String?, details: [String: Any]) {
    let error = object(bytes)["error"] as? [String: Any] ?? [:]
    return (error["code"] as? String, error["message"] as? String, error["details"] as? [String: Any] ?? [:])
}

/// Flattens nested arrays of numbers (and the non-finite strings) into doubles.
func flatNumbers(_ value: Any?) -> [Double] {
    switch value {
    case let number as NSNumber: return [number.doubleValue]
    case let text as String:
        switch text {
        case "NaN": return [.nan]
        case "Infinity": return [.infinity]
        case "-Infinity": return [-.infinity]
        default: return []
        }
    case let array as [Any]: return array.flatMap(flatNumbers)
    default: return []
    }
}

/// Bitwise comparison that treats every NaN as equal to every NaN.
func sameNumbers(_ lhs: [Double], _ rhs: [Double]) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}
