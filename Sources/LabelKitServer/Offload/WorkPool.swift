import Foundation
import Synchronization

/// A fixed set of threads that run CPU-bound offload work (rasterizing,
/// encoding, tracing) away from the event loops and the cooperative pool, so a
/// large mask never stalls other requests; work is handed over and back with a
/// continuation.
///
///     let pool = WorkPool(threads: 2, queueLimit: 256)
///     let bytes = try await pool.run { try expensive() }
///
/// The queue is bounded: past `queueLimit` waiting jobs, ``run(_:)`` throws a
/// 503 problem with `Retry-After` instead of queueing without limit.
final class WorkPool: Sendable {
    /// Threads that run jobs.
    let threads: Int
    /// Jobs allowed to wait for a thread.
    let queueLimit: Int
    private let state: State

    /// A pool of `threads` threads (started on first use) with at most
    /// `queueLimit` jobs waiting.
    init(threads: Int, queueLimit: Int) {
        self.threads = max(1, threads)
        self.queueLimit = max(1, queueLimit)
        state = State()
    }

    /// The threads stop once the jobs already queued are done.
    deinit { state.stop() }

    /// Jobs waiting and jobs running, for metrics.
    var load: (queued: Int, running: Int) { state.load }

    /// Runs `body` on a pool thread and returns its result.
    ///
    /// - Throws: what `body` throws, or ``Problem`` 503 when the queue is full.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = state.enqueue(threads: threads, queueLimit: queueLimit) {
                continuation.resume(with: Result { try body() })
            }
            if !accepted { continuation.resume(throwing: Problem.busy(queueLimit: queueLimit)) }
        }
    }

    /// The queue and the threads; the threads hold this, not the pool, so the
    /// pool's `deinit` can stop them.
    private final class State: @unchecked Sendable {
        private let condition = NSCondition()
        // Guarded by `condition`.
        private var queue: [@Sendable () -> Void] = []
        private var head = 0
        private var busy = 0
        private var started = false
        private var stopped = false

        var load: (queued: Int, running: Int) {
            condition.lock()
            defer { condition.unlock() }
            return (queue.count - head, busy)
        }

        /// Appends a job (starting the threads the first time); false when full.
        func enqueue(threads: Int, queueLimit: Int, _ job: @escaping @Sendable () -> Void) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            if !started {
                started = true
                for i in 0..<threads {
                    let thread = Thread { [self] in work() }
                    thread.name = "labelkit-offload-\(i)"
                    thread.start()
                }
            }
            guard queue.count - head < queueLimit else { return false }
            queue.append(job)
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
            while true {
                condition.lock()
                while head == queue.count && !stopped { condition.wait() }
                if head == queue.count {
                    condition.unlock()
                    return
                }
                let job = queue[head]
                head += 1
                if head >= 1024, head * 2 >= queue.count {
                    queue.removeFirst(head)
                    head = 0
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
