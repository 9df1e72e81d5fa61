import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Flags win over environment variables, which win over defaults.
///
/// Containers configure through the environment (`PORT`, `LOG_LEVEL`, ...; the Kubernetes
/// manifests and the Dockerfile use exactly these names), people through flags. Each option is
/// declared optional so that "not given" can be told apart from "given the default".
struct EnvironmentDefaults {
    var environment: [String: String]

    static var process: EnvironmentDefaults {
        var values: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                values[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return EnvironmentDefaults(environment: values)
    }

    /// `flag` if given, else the variable `name` parsed like the flag, else `fallback`.
    func resolve<Value: ExpressibleByArgument>(_ flag: Value?, _ name: String, _ fallback: Value) throws -> Value {
        try resolve(flag, name) ?? fallback
    }

    /// A repeatable flag's values if given, else the variable `name` split at commas and
    /// whitespace, else empty.
    func list(_ flags: [String], _ name: String) -> [String] {
        if !flags.isEmpty { return flags }
        return (environment[name] ?? "").split { $0 == "," || $0 == " " || $0 == "\t" }.map(String.init)
    }

    /// `flag` if given, else the variable `name` (empty counts as unset), else nil.
    func resolve<Value: ExpressibleByArgument>(_ flag: Value?, _ name: String) throws -> Value? {
        if let flag { return flag }
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Value(argument: text) else {
            throw ValidationError("environment variable \(name)=\(text.debugDescription) is not a valid value")
        }
        return value
    }
}
