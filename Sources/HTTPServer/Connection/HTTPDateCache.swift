#if canImport(Glibc)
import Glibc
#endif

/// The `Date` header value (RFC 9110 §5.6.7 IMF-fixdate), formatted at most once a second.
///
/// Formatting a date per response costs more than the rest of a small response's header;
/// the text only changes once a second, so it is kept with the second it was made for.
final class HTTPDateCache: Sendable {
    private let cached = Locked<(second: Int, bytes: [UInt8])>((-1, []))

    /// "Sun, 06 Nov 1994 08:49:37 GMT" for now, as bytes.
    func current() -> [UInt8] {
        let now = Int(time(nil))
        return cached.withLock { state in
            if state.second != now {
                state = (now, HTTPDateCache.format(now))
            }
            return state.bytes
        }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ seconds: Int) -> [UInt8] {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let text = "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        return Array(text.utf8)
    }
}
