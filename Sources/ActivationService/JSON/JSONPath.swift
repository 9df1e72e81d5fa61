/// JSON paths for error details, in the common `$[2].inputs[3][1]` notation.
///
/// Paths are built only when an error is reported, never on the happy path. A member name that
/// is not a plain identifier is written in brackets as a JSON string (`$.params["a.b"]`), so a
/// client-chosen key can neither break the notation nor smuggle raw bytes (the JSON writer
/// escapes the whole path again when it goes out).
enum JSONPath {
    static let root = "$"

    /// `base.name`, or `base["name"]` when `name` is not an identifier.
    static func member(_ base: String, _ name: String) -> String {
        if isIdentifier(name) { return base + "." + name }
        var writer = JSONWriter(capacity: name.utf8.count + 2)
        writer.string(name)
        return base + "[" + writer.text + "]"
    }

    /// `base[index]`.
    static func index(_ base: String, _ index: Int) -> String {
        base + "[" + String(index) + "]"
    }

    /// `base[i0][i1]...` for a position in nested arrays.
    static func indices(_ base: String, _ indices: some Sequence<Int>) -> String {
        indices.reduce(base) { index($0, $1) }
    }

    /// The path of element `flatIndex` of a row-major array of `shape` (for errors found after
    /// parsing, such as a number that overflows float32).
    static func element(_ base: String, flatIndex: Int, shape: [Int]) -> String {
        var position = [Int](repeating: 0, count: shape.count)
        var rest = flatIndex
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            position[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return indices(base, position)
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { c in
            (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x5F
        }
    }
}
