import CLabelKitSystem
import Foundation
import Synchronization

/// A fixed set of threads for blocking and CPU-heavy work (rendering, decoding,
/// rasterizing, encoding), away from the event loops and Swift's cooperative
/// pool, so a heavy request never stalls health checks, cached tiles or other
/// routes. Work is handed over and back with a continuation.
///
///     let pool = WorkPool(name: "render", threads: 2, queueLimit: 64, niceness: 10) {
///         ServiceError(503, "busy", retryAfter: 1)
///     }
///     let bytes = try await pool.run { try expensive() }
///
/// The queue is bounded: past `queueLimit` waiting jobs, ``run(_:)`` throws the
/// pool's busy error instead of queueing without limit, and a job's slot is
/// cleared as soon as a thread takes it (``JobQueue``), so what it captured is
/// freed when it finishes. Threads run at `niceness` (Linux `setpriority` per
/// thread), so the event loops win the processor whenever both want it.
final class WorkPool: Sendable {
    /// Threads that run jobs.
    let threads: Int
    /// Jobs allowed to wait for a thread.
    let queueLimit: Int
    private let state: State
    private let busy: @Sendable () -> any Error

    /// A pool of `threads` threads named `labelkit-<name>-<i>` (started on first
    /// use) with at most `queueLimit` jobs waiting; `busy` makes the error thrown
    /// when the queue is full.
    init(
        name: String, threads: Int, queueLimit: Int, niceness: Int32 = 0, busy: @escaping @Sendable () -> any Error
    ) {
        self.threads = max(1, threads)
        self.queueLimit = max(1, queueLimit)
        self.busy = busy
        state = State(name: name, threads: self.threads, queueLimit: self.queueLimit, niceness: niceness)
    }

    /// The threads stop once the jobs already queued are done.
    deinit { state.stop() }

    /// Jobs waiting and jobs running, for metrics.
    var load: (queued: Int, running: Int) { state.load }

    /// Runs `body` on a pool thread and returns its result.
    ///
    /// - Throws: what `body` throws, or the pool's busy error when the queue is full.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = state.enqueue { continuation.resume(with: Result { try body() }) }
            if !accepted { continuation.resume(throwing: busy()) }
        }
    }

    /// Queues `job` without waiting for it; false (job dropped) when the queue is full.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        state.enqueue(job)
    }

    /// The error the pool throws when full.
    func busyError() -> any Error { busy() }

    /// The queue and the threads; the threads hold this, not the pool, so the
    /// pool's `deinit` can stop them.
    private final class State: @unchecked Sendable {
        private let condition = NSCondition()
        private let name: String
        private let threads: Int
        private let niceness: Int32
        // Guarded by `condition`.
        private var queue: JobQueue
        private var busy = 0
        private var started = false
        private var stopped = false

        init(name: String, threads: Int, queueLimit: Int, niceness: Int32) {
            self.name = name
            self.threads = threads
            self.niceness = niceness
            queue = JobQueue(capacity: queueLimit)
        }

        var load: (queued: Int, running: Int) {
            condition.lock()
            defer { condition.unlock() }
            return (queue.count, busy)
        }

        /// Appends a job (starting the threads the first time); false when full.
        func enqueue(_ job: @escaping JobQueue.Job) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            if !started {
                started = true
                for i in 0..<threads {
                    let thread = Thread { [self] in work() }
                    thread.name = "labelkit-\(name)-\(i)"
                    thread.start()
                }
            }
            guard queue.append(job) else { return false }
            condition.signal()
            return true
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        /// A worker thread's loop: take the oldest job, run it, repeat.
        private func work() {
            if niceness != 0 { _ = csystem_set_thread_nice(niceness) }
            while true {
                condition.lock()
                while queue.isEmpty && !stopped { condition.wait() }
                guard let job = queue.popFirst() else {
                    condition.unlock()
                    return
                }
                busy += 1
                condition.unlock()
                job()
                condition.lock()
                busy -= 1
                condition.unlock()
            }
        }
    }
}
