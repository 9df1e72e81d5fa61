import Dispatch
import Foundation
import Testing
@testable import HTTPServer

/// The watcher behind certificate and key-file reloads: every way a file at a path can be
/// replaced is seen once, and nothing else is reported.
@Suite struct FileChangeWatcherTests {
    final class Counter: Sendable {
        private let value = Locked(0)
        var count: Int { value.withLock { $0 } }
        func increment() { value.withLock { $0 += 1 } }
    }

    static func watch(_ paths: [String], _ counter: Counter) -> FileChangeWatcher {
        let watcher = FileChangeWatcher(
            paths: paths, interval: .milliseconds(20), queue: DispatchQueue(label: "test.watch")) { counter.increment() }
        watcher.start()
        return watcher
    }

    @Test func everyKindOfReplacementIsSeenOnce() throws {
        let directory = try CertificateReloadTests.temporaryDirectory().path
        let target = directory + "/a", link = directory + "/link"
        try Data("one".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink("a", link) == 0)
        let counter = Counter()
        let watcher = Self.watch([link], counter)
        defer { watcher.cancel() }
        usleep(100_000)
        #expect(counter.count == 0, "nothing changed")

        // Rewritten in place (same inode, new size and times).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        try handle.write(contentsOf: Data("one, longer".utf8))
        try handle.close()
        #expect(eventually { counter.count == 1 })

        // The link pointed at another file.
        try Data("two".utf8).write(to: URL(fileURLWithPath: directory + "/b"))
        #expect(symlink("b", directory + "/link.new") == 0)
        #expect(rename(directory + "/link.new", link) == 0)
        #expect(eventually { counter.count == 2 })

        // Removed, then back.
        #expect(unlink(directory + "/b") == 0)
        #expect(eventually { counter.count == 3 })
        try Data("three".utf8).write(to: URL(fileURLWithPath: directory + "/b"))
        #expect(eventually { counter.count == 4 })
        usleep(100_000)
        #expect(counter.count == 4, "each change reported once")
    }

    @Test func nothingIsReportedAfterCancel() throws {
        let path = try CertificateReloadTests.temporaryDirectory().path + "/file"
        try Data("one".utf8).write(to: URL(fileURLWithPath: path))
        let counter = Counter()
        let watcher = Self.watch([path], counter)
        watcher.cancel()
        try Data("two, changed".utf8).write(to: URL(fileURLWithPath: path))
        usleep(150_000)
        #expect(counter.count == 0)
    }
}
