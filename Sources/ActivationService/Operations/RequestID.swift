import Synchronization

/// Request ids: the client's `X-Request-Id` when it is safe to echo, a fresh one otherwise.
///
/// An id travels back in a response header and into log lines, so only short ids made of
/// characters that cannot break either are echoed (letters, digits, `-_.:`, at most 128).
/// Anything else is replaced rather than escaped: a header value must not carry CR/LF, and an
/// id that was rewritten would no longer correlate with the client's logs anyway.
public enum RequestID {
    public static let maximumLength = 128

    /// The id to use for a request that carried `header` (nil when absent).
    public static func resolve(_ header: String?) -> String {
        if let header, isSafe(header) { return header }
        return generate()
    }

    static func isSafe(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maximumLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
    }

    private static let counter = Atomic<UInt64>(0)
    private static let prefix: UInt64 = UInt64.random(in: 0..<(1 << 32))

    /// 24 hex digits: a per-process random prefix and a counter, unique without a lock and
    /// without drawing random numbers on every request.
    public static func generate() -> String {
        let sequence = counter.wrappingAdd(1, ordering: .relaxed).newValue
        // Written in place: one string, no intermediate ones.
        return String(unsafeUninitializedCapacity: 24) { out in
            hex(prefix, digits: 8, into: UnsafeMutableBufferPointer(rebasing: out[0..<8]))
            hex(sequence, digits: 16, into: UnsafeMutableBufferPointer(rebasing: out[8..<24]))
            return 24
        }
    }

    /// The low `digits` hex digits of `value`, lower case, zero-padded (the prefix is below
    /// 2^32, so 8 digits hold it whole; the counter has 16).
    private static func hex(_ value: UInt64, digits: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for position in stride(from: digits - 1, through: 0, by: -1) {
            let digit = UInt8(truncatingIfNeeded: rest & 0xF)
            out[position] = digit < 10 ? 0x30 + digit : 0x57 + digit
            rest >>= 4
        }
    }
}
