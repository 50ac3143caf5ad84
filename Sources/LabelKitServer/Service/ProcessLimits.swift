import CLabelKitSystem
import Foundation

/// Process-wide settings a long-running server wants and a library must not
/// impose on its host: call ``prepareForServing(connections:)`` once, from the
/// program that serves.
public enum ProcessLimits {
    /// Allocations at least this large are mapped on their own and unmapped when
    /// freed (glibc's `M_MMAP_THRESHOLD`; setting it stops glibc from raising the
    /// threshold after large frees, which otherwise keeps freed request bodies
    /// and images in the heap).
    public static let mmapThreshold: Int32 = 256 << 10

    /// Raises the open-file limit to what `connections` sockets need (up to the
    /// hard limit), and makes large freed buffers go back to the system at once.
    public static func prepareForServing(connections: Int) {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            let wanted = rlim_t(connections + 256)
            if limit.rlim_cur < wanted {
                limit.rlim_cur = min(wanted, limit.rlim_max)
                _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            }
        }
        _ = csystem_tune_malloc(mmapThreshold)
    }

    /// For timing repeated calls in one process (`labelkit bench`): freed
    /// buffers up to 64 MiB stay in the heap for the next call, as in a
    /// long-running worker, instead of being unmapped and faulted in afresh
    /// on every call (which glibc does or not depending on what the process
    /// freed before, so timings otherwise differ from process to process).
    public static func keepFreedMemory() {
        _ = csystem_tune_malloc(64 << 20)
    }
}
