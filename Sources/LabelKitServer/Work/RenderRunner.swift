import Dispatch
import LabelKitImaging
import NIOCore
import Synchronization

/// Runs renders on the render pool: one run per cache key at a time (identical
/// requests arriving meanwhile wait for the same run), each under a deadline,
/// and cancelled as soon as every client waiting for it has gone.
///
///     let entry = try await runner.value(for: key, channel: context.channel) { flag in
///         try render(cancellation: flag)   // polls the flag at its boundaries
///     }
///
/// Past the deadline the waiting clients get a 503 naming the limit and the
/// render's ``CancellationFlag`` is raised, so its thread stops at the next
/// check and frees what it holds. A client that closes its connection gets
/// nothing (status 499 in the log); the last one to leave raises the flag.
final class RenderRunner: Sendable {
    typealias Value = RenderCache.Entry

    /// Where renders run.
    let pool: WorkPool
    /// Seconds a render may take, queueing included.
    let timeoutSeconds: Double
    private let connections: ConnectionRegistry
    private let flights = Mutex<[String: Flight]>([:])

    /// One render and the requests waiting for it; its fields are guarded by the
    /// runner's `flights` lock.
    private final class Flight: @unchecked Sendable {
        let flag = CancellationFlag()
        var waiters: [Int: CheckedContinuation<Value, any Error>] = [:]
        var nextWaiter = 0
        var done = false

        func add(_ continuation: CheckedContinuation<Value, any Error>) -> Int {
            nextWaiter += 1
            waiters[nextWaiter] = continuation
            return nextWaiter
        }
    }

    /// A runner over `pool` with a deadline of `timeoutSeconds` per render.
    init(pool: WorkPool, timeoutSeconds: Double, connections: ConnectionRegistry) {
        self.pool = pool
        self.timeoutSeconds = timeoutSeconds
        self.connections = connections
    }

    /// The value for `key`: rendered by `render` on the pool, or shared with the
    /// run for `key` already in progress.
    ///
    /// - Parameter channel: the requesting connection; its closing withdraws
    ///   this request (and cancels the render when nobody else waits).
    /// - Throws: what `render` throws; the pool's busy error (503) when its queue
    ///   is full; ``ServiceError`` 503 past the deadline, 499 when the client left.
    func value(
        for key: String, channel: (any Channel)?, render: @escaping @Sendable (CancellationFlag) throws -> Value
    ) async throws -> Value {
        defer { if let channel { connections.unwatch(channel) } }
        return try await withCheckedThrowingContinuation { continuation in
            var starting = false
            let (flight, waiter) = flights.withLock { flights -> (Flight, Int) in
                if let flight = flights[key] { return (flight, flight.add(continuation)) }
                let flight = Flight()
                flights[key] = flight
                starting = true
                return (flight, flight.add(continuation))
            }
            if starting { start(key, flight, render) }
            if let channel, !connections.watch(channel, onGone: { [self] in leave(key, flight, waiter) }) {
                leave(key, flight, waiter)
            }
        }
    }

    private func start(_ key: String, _ flight: Flight, _ render: @escaping @Sendable (CancellationFlag) throws -> Value) {
        let accepted = pool.submit { [self] in
            let result = Result { () throws -> Value in
                try flight.flag.check()
                return try render(flight.flag)
            }
            finish(key, flight, result)
        }
        guard accepted else {
            finish(key, flight, .failure(pool.busyError()))
            return
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds) { [self] in
            let seconds = timeoutSeconds
            let expired = end(key, flight)
            guard !expired.isEmpty else { return }
            flight.flag.cancel()
            let error = ServiceError(
                503, "the render took longer than the limit of \(seconds.formatted()) s (render_timeout, --render-timeout)")
            for waiter in expired { waiter.resume(throwing: error) }
        }
    }

    /// Delivers a finished render to everyone still waiting.
    private func finish(_ key: String, _ flight: Flight, _ result: Result<Value, any Error>) {
        for waiter in end(key, flight) { waiter.resume(with: result) }
    }

    /// Withdraws one waiter whose client has gone; cancels the render when it was the last.
    private func leave(_ key: String, _ flight: Flight, _ waiter: Int) {
        let (continuation, last) = flights.withLock { flights -> (CheckedContinuation<Value, any Error>?, Bool) in
            guard !flight.done, let continuation = flight.waiters.removeValue(forKey: waiter) else { return (nil, false) }
            guard flight.waiters.isEmpty else { return (continuation, false) }
            flight.done = true
            if flights[key] === flight { flights[key] = nil }
            return (continuation, true)
        }
        if last { flight.flag.cancel() }
        continuation?.resume(throwing: ServiceError(499, "the client closed the connection"))
    }

    /// Marks the flight done (once) and returns its waiters.
    private func end(_ key: String, _ flight: Flight) -> [CheckedContinuation<Value, any Error>] {
        flights.withLock { flights in
            guard !flight.done else { return [] }
            flight.done = true
            if flights[key] === flight { flights[key] = nil }
            defer { flight.waiters = [:] }
            return Array(flight.waiters.values)
        }
    }
}
