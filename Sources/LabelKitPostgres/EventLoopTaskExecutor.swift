import NIOCore

/// Runs async jobs on an event loop, so async connection calls (COPY) made from
/// a thread that blocks on their result never wait for Swift's cooperative pool:
/// a caller that blocks a pool thread (a test, an embedding program) would
/// otherwise starve the very task it waits for. The jobs only await the
/// connection's futures; they never block the loop.
final class EventLoopTaskExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
