import Synchronization

/// Which render-cache entry a tile URL was answered from, so a repeated request
/// for a source that has not changed skips straight to the memory tier: no
/// header, store or overlay lookup, no SHA-256 of the operation.
///
/// Entries are keyed by the request path's exact bytes and hold the source's
/// identity (device, inode, size, time) at the time; a source changed or
/// replaced since misses. Only requests without a query string are kept (an
/// overlay is part of the key). At ``limit`` entries the table starts afresh.
final class TileKeys: Sendable {
    /// A tile URL's cache key and content type, for the source as it was.
    struct Known: Sendable {
        let device: UInt64, inode: UInt64
        let size: Int, modified: Int64
        let key: String
        let contentType: String

        func matches(_ file: SourceFile) -> Bool {
            device == file.device && inode == file.inode && size == file.size && modified == file.modified
        }
    }

    /// Most URLs remembered (about 200 bytes each).
    static let limit = 65_536
    private let known = Mutex<[ExactKey: Known]>([:])

    /// The entry `path` was last answered from, if `file` is still the same.
    func lookup(_ path: ExactKey, file: SourceFile) -> Known? {
        guard let entry = known.withLock({ $0[path] }), entry.matches(file) else { return nil }
        return entry
    }

    /// Remembers that `path`, for `file` as it is now, is answered from `key`.
    func remember(_ path: ExactKey, file: SourceFile, key: String, contentType: String) {
        let entry = Known(
            device: file.device, inode: file.inode, size: file.size, modified: file.modified, key: key,
            contentType: contentType)
        known.withLock { known in
            if known.count >= Self.limit { known.removeAll(keepingCapacity: true) }
            known[path] = entry
        }
    }
}
