import Foundation
import Testing

/// Whether the tests run under ThreadSanitizer (`make tsan` sets `LABELKIT_TSAN=1`).
///
/// ThreadSanitizer makes the service 5-20x slower. Tests whose point is a
/// latency bound, and tests whose renders then outlast a fixed timeout, are
/// skipped under it; everything else runs unchanged.
enum ThreadSanitizerRun {
    /// True when `LABELKIT_TSAN=1`.
    static let isActive = ProcessInfo.processInfo.environment["LABELKIT_TSAN"] == "1"

    /// Why a test whose point is a latency bound is skipped.
    static let latencyBound: Comment =
        "a latency bound, and LABELKIT_TSAN=1 (make tsan) makes the service 5-20x slower"

    /// Why a test whose renders outlast HummingbirdTesting's fixed 20 s read timeout is skipped.
    static let slowRenders: Comment =
        "its renders take 20-30 s under LABELKIT_TSAN=1 (make tsan), past the test client's fixed 20 s read timeout"
}
