#if canImport(Glibc)
import Glibc
#endif

/// A value behind a `pthread_mutex_t`.
///
/// The standard library's `Mutex` waits on raw futexes on Linux, which ThreadSanitizer
/// cannot see, so every access under it is reported as a race and the server's TSan run
/// would be noise. pthread mutexes are intercepted by TSan, and cost the same uncontended.
///
final class Locked<Value> {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

/// `@unchecked Sendable`: `value` is only read or written inside `withLock`, between
/// `pthread_mutex_lock` and `pthread_mutex_unlock` on the mutex this instance owns, and
/// values moved in or out are themselves `Sendable`.
extension Locked: @unchecked Sendable where Value: Sendable {}
