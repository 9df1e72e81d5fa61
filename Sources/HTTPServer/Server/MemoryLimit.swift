#if canImport(Glibc)
import Glibc
#endif

/// The memory this process may use, as the kernel will enforce it, and the default budget
/// derived from it.
///
/// Where the limit comes from, first found wins:
/// 1. cgroup v2: `memory.max` of the process's cgroup (`/sys/fs/cgroup/memory.max` inside a
///    container, else the path `/proc/self/cgroup` names under `/sys/fs/cgroup`); "max" is none;
/// 2. cgroup v1: `memory.limit_in_bytes` (`/sys/fs/cgroup/memory/…`); the v1 way of saying
///    "none" is a number near 2^63, so anything at or above physical memory counts as none;
/// 3. physical memory (`sysconf(_SC_PHYS_PAGES) × page size`).
///
/// The default budget is `cgroupShare` (3/4) of a cgroup limit, leaving a quarter for the
/// process's baseline (code, runtime, per-connection buffers, allocator slack), or
/// `physicalShare` (1/2) of physical memory when no cgroup limits the process: on a machine
/// it shares, the service takes at most half.
public enum MemoryLimit {
    /// Where the limit was found.
    public enum Source: String, Sendable {
        case cgroupV2 = "cgroup v2"
        case cgroupV1 = "cgroup v1"
        case physicalMemory = "physical memory"
    }

    /// Share of a cgroup limit the default budget takes (numerator, denominator).
    public static let cgroupShare = (3, 4)
    /// Share of physical memory the default budget takes when no cgroup limit applies.
    public static let physicalShare = (1, 2)

    /// The limit in bytes and where it came from.
    public static func detect() -> (bytes: Int, source: Source) {
        let physical = physicalMemory
        if let v2 = cgroupV2Limit(), v2 < physical { return (v2, .cgroupV2) }
        if let v1 = cgroupV1Limit(), v1 < physical { return (v1, .cgroupV1) }
        return (physical, .physicalMemory)
    }

    /// The default budget: the share of the detected limit that belongs to its source.
    public static func defaultBudget() -> Int {
        let (bytes, source) = detect()
        let (numerator, denominator) = source == .physicalMemory ? physicalShare : cgroupShare
        return bytes / denominator * numerator
    }

    /// Computed once per process: the limit does not change under a running process in
    /// any deployment we support, and configurations are built often in tests.
    public static let processDefaultBudget = defaultBudget()

    public static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max / 2 }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max / 2 : pages * size
    }

    static func cgroupV2Limit() -> Int? {
        var candidates = ["/sys/fs/cgroup/memory.max"]
        if let path = cgroupPath(controller: nil) { candidates.append("/sys/fs/cgroup\(path)/memory.max") }
        for file in candidates {
            if let text = readSmallFile(file) { return parseLimit(text) }
        }
        return nil
    }

    static func cgroupV1Limit() -> Int? {
        var candidates = ["/sys/fs/cgroup/memory/memory.limit_in_bytes"]
        if let path = cgroupPath(controller: "memory") {
            candidates.insert("/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes", at: 0)
        }
        for file in candidates {
            if let text = readSmallFile(file), let limit = parseLimit(text) { return limit }
        }
        return nil
    }

    /// A limit file's value: decimal bytes, or nil for "max" and anything unreadable.
    static func parseLimit(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty, trimmed.utf8.count <= 19, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return Int(trimmed)
    }

    /// The cgroup path of this process for `controller` (v1) or the unified hierarchy (nil).
    static func cgroupPath(controller: String?) -> String? {
        guard let text = readSmallFile("/proc/self/cgroup") else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if let controller {
                if parts[1].split(separator: ",").contains(Substring(controller)) { return String(parts[2]) }
            } else if parts[0] == "0" && parts[1].isEmpty {
                return String(parts[2])
            }
        }
        return nil
    }

    static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = Glibc.close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
