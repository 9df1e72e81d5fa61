import Dispatch
import HTTPServer
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The API keys in force, read from a file and read again when it changes or on `reload()`
/// (SIGHUP in the executable), the way the TLS certificate is: a file that does not parse is
/// reported and the keys already loaded stay in force, so a bad edit never locks every client
/// out nor lets every client in.
///
/// Mounted as a Kubernetes secret, the file is replaced by a `..data` symbolic link swap; the
/// `FileChangeWatcher` follows the path, so that is seen within `reloadCheckInterval`.
public final class APIKeyStore: Sendable {
    public let path: String
    private let keys: Mutex<APIKeySet>
    private let observer = Mutex<(@Sendable (Result<Int, APIKeySet.FileError>) -> Void)?>(nil)
    private let queue = DispatchQueue(label: "service.api-key-reload")
    private let watcher = Mutex<FileChangeWatcher?>(nil)

    /// Reads the file (a bad file fails here, before the server starts) and, with
    /// `reloadCheckInterval`, starts watching it. Default 5 s, as for the certificate.
    public init(path: String, reloadCheckInterval: Duration? = .seconds(5)) throws(APIKeySet.FileError) {
        self.path = path
        keys = Mutex(try Self.read(path))
        guard let reloadCheckInterval else { return }
        let watcher = FileChangeWatcher(paths: [path], interval: reloadCheckInterval, queue: queue) { [weak self] in
            _ = self?.load()
        }
        self.watcher.withLock { $0 = watcher }
        watcher.start()
    }

    deinit {
        stopWatching()
    }

    /// Stops watching the file (`reload()` still works).
    public func stopWatching() {
        watcher.withLock { watcher in
            watcher?.cancel()
            watcher = nil
        }
    }

    /// How many keys are in force.
    public var count: Int { keys.withLock { $0.count } }

    /// Whether `key` is one of the keys in force (constant time, `APIKeySet.contains`).
    func accepts(_ key: some Collection<UInt8>) -> Bool {
        keys.withLock { $0 }.contains(key)
    }

    /// Reads the file again now; reports the outcome to the observer too.
    @discardableResult
    public func reload() -> Result<Int, APIKeySet.FileError> {
        queue.sync { load() }
    }

    /// Where every reload's outcome goes (the service logs it and counts it).
    func observe(_ body: @escaping @Sendable (Result<Int, APIKeySet.FileError>) -> Void) {
        observer.withLock { $0 = body }
    }

    private func load() -> Result<Int, APIKeySet.FileError> {
        let result: Result<Int, APIKeySet.FileError>
        do {
            let set = try Self.read(path)
            keys.withLock { $0 = set }
            result = .success(set.count)
        } catch {
            result = .failure(error)
        }
        observer.withLock { $0 }?(result)
        return result
    }

    /// The file's keys; at most `APIKeySet.maxFileBytes` are read.
    static func read(_ path: String) throws(APIKeySet.FileError) -> APIKeySet {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw APIKeySet.FileError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while contents.count <= APIKeySet.maxFileBytes {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw APIKeySet.FileError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        return try APIKeySet(fileContents: contents)
    }
}
