import Hummingbird
import Synchronization

/// Which render-cache entry a tile URL was answered from, so a repeated request
/// for a source that has not changed is answered from the memory tier before
/// routing: no route match or parameter parsing, no header, store or overlay
/// lookup, no SHA-256 of the operation (``ImagePipeline/knownTile(_:context:)``).
///
/// Entries are keyed by the request path's exact bytes and hold the source's
/// identifier (as in the URL), its identity (device, inode, size, time) at the
/// time and the route that answered; a source changed or replaced since misses.
/// Only requests without a query string are kept (an overlay is part of the
/// key). At ``limit`` entries the table starts afresh.
final class TileKeys: Sendable {
    /// A tile URL's cache key and content type, for the source as it was.
    struct Known: Sendable {
        /// The source identifier as the URL gives it (before percent-decoding).
        let identifier: String
        let device: UInt64, inode: UInt64
        let size: Int, modified: Int64
        let key: String
        let contentType: String
        /// The ETag of the bytes under `key`.
        let etag: String
        /// The headers of a 200 to a request without a credential, built once.
        let publicHeaders: HTTPFields
        /// The route pattern, for the request metrics.
        let route: String

        func matches(_ file: SourceFile) -> Bool {
            device == file.device && inode == file.inode && size == file.size && modified == file.modified
        }
    }

    /// Most URLs remembered (about 400 bytes each).
    static let limit = 65_536
    private let known = Mutex<[ExactKey: Known]>([:])

    /// The entry `path` was last answered from, if any (check ``Known/matches(_:)``
    /// against the source as it is now before using it).
    func lookup(_ path: ExactKey) -> Known? {
        known.withLock { $0[path] }
    }

    /// Remembers that `path` (on `route`), for `file` as it is now and named
    /// `identifier` in the URL, is answered from `key`.
    func remember(
        _ path: ExactKey, identifier: String, file: SourceFile, key: String, contentType: String, route: String
    ) {
        let etag = ImagePipeline.etag(key: key)
        let entry = Known(
            identifier: identifier, device: file.device, inode: file.inode, size: file.size, modified: file.modified,
            key: key, contentType: contentType, etag: etag,
            publicHeaders: Reply.cacheHeaders(
                contentType: contentType, etag: etag, cacheControl: ImagePipeline.publicCacheControl),
            route: route)
        known.withLock { known in
            if known.count >= Self.limit { known.removeAll(keepingCapacity: true) }
            known[path] = entry
        }
    }
}
