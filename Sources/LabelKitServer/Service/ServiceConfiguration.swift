import Foundation

/// Settings of `labelkit serve`: where images and the database are, the port,
/// and every bound on input and work.
public struct ServiceConfiguration: Sendable {
    /// The folder images are served from; identifiers never reach outside it.
    public var root: String
    /// The SQLite file for the render cache, posted annotations and frame tasks.
    public var databasePath: String
    /// Interface to listen on.
    public var host: String = "127.0.0.1"
    /// Port to listen on (0 picks a free one).
    public var port: Int = 8080
    /// IIIF output limits.
    public var limits = IIIFLimits()
    /// Largest source image accepted, checked from its header before decoding.
    public var maxSourcePixels = 100_000_000
    /// Largest source file read.
    public var maxSourceBytes = 512 << 20
    /// Renders running at once; more get 503 with `Retry-After`.
    public var maxConcurrentRenders = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
    /// Largest request body.
    public var maxBodyBytes = 16 << 20
    /// Byte budget of the SQLite render cache (least recently used entries are evicted).
    public var cacheBudgetBytes = 1 << 30
    /// Byte budget of decoded images (with their pyramids) kept in memory.
    public var sourceCacheBytes = 768 << 20
    /// JPEG quality of rendered tiles and images.
    public var jpegQuality = 85
    /// Bounds and threads of the mask/geometry offload API (`/v1`).
    public var offload = OffloadLimits()
    /// When set, every `/v1` route needs `Authorization: Bearer <token>` (401 otherwise).
    public var token: String?

    /// Settings for a root folder and a database file.
    public init(root: String, databasePath: String) {
        self.root = root
        self.databasePath = databasePath
    }
}
