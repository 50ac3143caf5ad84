import Foundation
import LabelKitImaging

/// Settings of `labelkit serve`: where images and the database are, the port,
/// and every bound on input and work.
public struct ServiceConfiguration: Sendable {
    /// The folder images are served from; identifiers never reach outside it.
    public var root: String
    /// The SQLite file for the render cache, posted annotations and (unless
    /// ``framesDatabase`` is set) frame tasks and token revocations.
    public var databasePath: String
    /// A PostgreSQL URL for the frame store, the label stream and token
    /// revocations, shared by every replica (`--frames-db postgres://...`); nil
    /// keeps them in ``databasePath``.
    public var framesDatabase: String?
    /// Connections each replica opens to ``framesDatabase``.
    public var framesConnections = 16
    /// Interface to listen on.
    public var host: String = "127.0.0.1"
    /// Port to listen on (0 picks a free one).
    public var port: Int = 8080
    /// IIIF output limits.
    public var limits = IIIFLimits()
    /// Largest source image accepted, checked from its header before decoding.
    public var maxSourcePixels = 100_000_000
    /// Sources served from tile stores built once (above
    /// ``PyramidLimits/thresholdPixels``), and their bounds.
    public var pyramids = PyramidLimits()
    /// The folder of tile stores (`--pyramid-dir`); nil: `<database>.pyramids`
    /// beside ``databasePath``.
    public var pyramidDirectory: String?
    /// Largest source file read whole (sources served from tile stores are read
    /// strip by strip and not held to it).
    public var maxSourceBytes = 512 << 20
    /// Renders waiting for a render thread; more get 503 with `Retry-After` (`--max-renders`).
    public var maxConcurrentRenders = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
    /// Threads that render (`--render-threads`; default one per core).
    public var renderThreads = ProcessInfo.processInfo.activeProcessorCount
    /// Niceness of the render threads (`--render-nice`; `labelkit serve` uses 5):
    /// above 0, the event loops and the offload threads get more of the
    /// processor than renders when both want it. 0 here, since a process that
    /// embeds the service may run other work that renders must not yield to.
    public var renderNiceness: Int32 = 0
    /// Seconds a render may take, queueing included, before it is cancelled and
    /// answered with 503 (`--render-timeout`).
    public var renderTimeoutSeconds = 30.0
    /// Threads that wait on the databases and files for the routes (`--io-threads`).
    public var ioThreads = 4
    /// Most regions one overlay may draw (`--max-overlay-regions`); a posted
    /// annotation or overlay file with more is refused with 422.
    public var maxOverlayRegions = 10_000
    /// Most mask pixels the brush regions of one overlay decode to, in all
    /// (`--max-overlay-mask-mp`, in units of 2^20).
    public var maxOverlayMaskPixels = 1 << 30
    /// Most scans a progressive JPEG source may have (`--max-jpeg-scans`).
    public var maxJPEGScans = 500
    /// Connection caps and the idle timeout.
    public var connections = ConnectionLimits()
    /// The service's public base URL (`--public-url`, e.g. `https://images.example.org`):
    /// used for IIIF ids and redirects instead of the request's `Host`.
    public var publicBaseURL: String?
    /// The sink of the logger's ``BufferedLogHandler``, if it has one: access-log
    /// lines then skip swift-log and are formatted by the sink's thread.
    public var accessLog: LogSink?
    /// Largest request body of the annotation and frame routes (`--max-body-mb`,
    /// which sets the offload API's too; annotations are also held to 16 MiB).
    public var maxBodyBytes = 32 << 20
    /// Byte budget of the SQLite render cache (least recently used entries are evicted).
    public var cacheBudgetBytes = 1 << 30
    /// Byte budget of decoded images (with their pyramids) kept in memory.
    public var sourceCacheBytes = 768 << 20
    /// JPEG quality of rendered tiles and images.
    public var jpegQuality = 85
    /// Bounds and threads of the mask/geometry offload API (`/v1`).
    public var offload = OffloadLimits()
    /// When set, every route needs `Authorization: Bearer <token>` (401
    /// otherwise): this token, or one it minted for an annotator or manager
    /// (`POST /auth/tokens`). `/v1` and `/auth` take this token alone; reads take
    /// any valid token; `/healthz`, `/readyz`, `/metrics` and `/openapi.json`
    /// stay open, and the image routes too with ``publicImages``.
    public var token: String?
    /// With a ``token``, the read-only image routes (IIIF, Deep Zoom, XYZ,
    /// thumbnails, the viewer) still answer without a credential (`--public-images`).
    public var publicImages = false
    /// The secret annotator and manager tokens are signed with (HMAC-SHA256);
    /// replicas that share it accept each other's tokens. Default: derived from
    /// ``token`` (`--signing-key`).
    public var signingKey: String?

    /// Settings for a root folder and a database file.
    public init(root: String, databasePath: String) {
        self.root = root
        self.databasePath = databasePath
    }
}
