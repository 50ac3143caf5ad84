import Synchronization

/// Bounds the renders running at once; a request over the bound is refused
/// (503 with `Retry-After`) instead of queueing without limit.
final class RenderGate: Sendable {
    private let running = Mutex(0)
    let limit: Int

    /// A gate for `limit` concurrent renders.
    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` when a slot is free.
    ///
    /// - Throws: ``ServiceError`` 503 when all slots are taken.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        let entered = running.withLock { count -> Bool in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard entered else { throw ServiceError(503, "busy: \(limit) renders are running; retry shortly", retryAfter: 1) }
        defer { running.withLock { $0 -= 1 } }
        return try await body()
    }
}
