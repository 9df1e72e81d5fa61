import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Calls `onChange` when any of a few files changes, by polling what each path resolves to.
///
/// Kubernetes replaces a mounted secret by writing a new `..2024_...` directory and renaming a
/// `..data` symbolic link onto it; the paths the process was given (`tls.crt -> ..data/tls.crt`)
/// never change, their targets do. So the watcher follows the paths, not inodes it once
/// opened: every `interval` it `stat`s each path (symbolic links followed) and compares device,
/// inode, size and modification and change times with the last check. inotify would need a
/// watch per directory on every link in the chain, re-armed after each swap; a `stat` per file
/// every few seconds costs nothing measurable and sees every way a file can be replaced.
///
/// A change is reported once; the caller reloads and the next change is reported again. A
/// reload that fails on a half-written pair is retried when the writer's next write changes
/// the fingerprint again.
public final class FileChangeWatcher: Sendable {
    private let paths: [String]
    private let interval: Duration
    private let queue: DispatchQueue
    private let onChange: @Sendable () -> Void
    private let state = Locked<State>(State())

    /// `@unchecked Sendable`: the timer source is only touched under the `state` lock.
    private struct State: @unchecked Sendable {
        var last: [FileFingerprint] = []
        var timer: (any DispatchSourceTimer)?
    }

    /// `interval` is at least 10 ms; `onChange` runs on `queue`.
    public init(paths: [String], interval: Duration, queue: DispatchQueue, onChange: @escaping @Sendable () -> Void) {
        self.paths = paths
        self.interval = max(interval, .milliseconds(10))
        self.queue = queue
        self.onChange = onChange
    }

    deinit {
        cancel()
    }

    /// Takes the current state of the files as the baseline and starts polling.
    public func start() {
        state.withLock { state in
            guard state.timer == nil else { return }
            state.last = paths.map(FileFingerprint.init(path:))
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let nanoseconds = Int(clamping: interval.nanoseconds)
            timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds), leeway: .milliseconds(100))
            timer.setEventHandler { [weak self] in self?.check() }
            state.timer = timer
            timer.resume()
        }
    }

    /// Stops polling; `onChange` is not called after this returns, unless already running.
    public func cancel() {
        state.withLock { state in
            state.timer?.cancel()
            state.timer = nil
        }
    }

    /// Compares the files with the last check (on `queue`).
    private func check() {
        let now = paths.map(FileFingerprint.init(path:))
        let changed = state.withLock { state -> Bool in
            guard state.timer != nil, now != state.last else { return false }
            state.last = now
            return true
        }
        if changed { onChange() }
    }
}

/// What `stat(2)` says about the file a path resolves to, or the errno that stopped it.
struct FileFingerprint: Equatable, Sendable {
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var size: Int64 = 0
    var modified: timespec = timespec()
    var changed: timespec = timespec()
    var error: Int32 = 0

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            error = errno
            return
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
        changed = info.st_ctim
    }

    static func == (left: FileFingerprint, right: FileFingerprint) -> Bool {
        left.device == right.device && left.inode == right.inode && left.size == right.size
            && left.modified.tv_sec == right.modified.tv_sec && left.modified.tv_nsec == right.modified.tv_nsec
            && left.changed.tv_sec == right.changed.tv_sec && left.changed.tv_nsec == right.changed.tv_nsec
            && left.error == right.error
    }
}
