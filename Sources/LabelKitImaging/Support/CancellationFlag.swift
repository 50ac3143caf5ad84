import Synchronization

/// A flag that long-running work polls so that it can stop early: raised when
/// the client that asked for the work has gone, or when the work's time is up.
///
///     let flag = CancellationFlag()
///     // on a worker thread:
///     let image = try JPEGCodec.decode(bytes, cancellation: flag)   // throws .cancelled once raised
///     // elsewhere, when the client disconnects:
///     flag.cancel()
///
/// Raising it is cheap and thread-safe; work checks it at its natural
/// boundaries (a scan, a row band, a region), never per pixel.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A flag that is not raised.
    public init() {}

    /// Raises the flag; work that polls it stops at its next check.
    public func cancel() {
        raised.store(true, ordering: .relaxed)
    }

    /// True once ``cancel()`` has been called.
    public var isCancelled: Bool {
        raised.load(ordering: .relaxed)
    }

    /// Throws ``ImagingError/Code/cancelled`` once the flag is raised.
    public func check() throws(ImagingError) {
        if isCancelled { throw ImagingError(.cancelled, "the work was cancelled (client gone or time limit reached)") }
    }
}
