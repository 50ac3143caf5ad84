import Crypto
import Foundation
import GRDB
import Hummingbird
import LabelKitFrames
import LabelKitImaging
import Logging
import Synchronization

/// The HTTP service: IIIF Image API 3.0 level 2, Deep Zoom and XYZ tiles from
/// one in-memory pyramid per image, thumbnails, annotation overlays, a
/// viewer page, frame-task routes, and a bounded SQLite cache of everything
/// rendered (ETags, 304s, single-flight renders).
///
///     let service = try LabelKitService(configuration: ServiceConfiguration(root: "SampleImages", databasePath: "cache.sqlite"))
///     try await service.application().runService()
public final class LabelKitService: Sendable {
    /// The settings.
    public let configuration: ServiceConfiguration
    let logger: Logger
    let resolver: SourceResolver
    let sources: SourceCache
    let cache: RenderCache
    let annotations: AnnotationStore
    let frames: FrameStore
    let gate: RenderGate
    let renders = SingleFlight<RenderCache.Entry>()
    /// Renders run since start (cache misses that did the work), for metrics and tests.
    let renderCount = Atomic<Int>(0)
    /// Bumped whenever rendering changes, so cached bytes of older versions are never served.
    static let pipelineVersion = "1"

    /// Opens the database and prepares the caches.
    public init(configuration: ServiceConfiguration, logger: Logger = Logger(label: "labelkit.serve")) throws {
        self.configuration = configuration
        self.logger = logger
        resolver = try SourceResolver(root: configuration.root)
        sources = SourceCache(
            budget: configuration.sourceCacheBytes, maxSourcePixels: configuration.maxSourcePixels,
            maxSourceBytes: configuration.maxSourceBytes)
        var databaseConfiguration = Configuration()
        databaseConfiguration.busyMode = .timeout(30)
        let database = try DatabasePool(path: configuration.databasePath, configuration: databaseConfiguration)
        cache = try RenderCache(database: database, budget: configuration.cacheBudgetBytes)
        annotations = try AnnotationStore(database: database)
        frames = try FrameStore(path: configuration.databasePath)
        gate = RenderGate(limit: configuration.maxConcurrentRenders)
    }

    /// The router with every route and the service middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ServiceMiddleware(logger: logger))
        router.get("/healthz") { _, _ in Reply.json(["status": "ok"]) }
        addIIIFRoutes(router)
        addTileRoutes(router)
        addThumbnailRoutes(router)
        addAnnotationRoutes(router)
        addViewerRoutes(router)
        addFrameRoutes(router)
        addOffloadRoutes(router)
        return router
    }

    /// The application listening on the configured host and port.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "LabelKit"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    // MARK: Shared pieces

    /// Cache key: SHA-256 of the route, the source and its version, the canonical
    /// operation and the pipeline version (hex).
    func cacheKey(_ kind: String, _ file: SourceFile, _ operation: String) -> String {
        let text = [kind, file.path, file.version, operation, Self.pipelineVersion].joined(separator: "\n")
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Serves the cached bytes for `key`, or renders them once (concurrent
    /// identical requests share the render), stores and serves them.
    func cached(
        key: String, contentType: String, request: Request, render: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> Response {
        // The key covers the source version and the pipeline, so the bytes for an
        // ETag never change: a matching If-None-Match is a 304 without a lookup.
        let etag = "\"" + key.prefix(40) + "\""
        let cacheControl = "public, max-age=86400"
        if Reply.isNotModified(request, etag: etag) {
            return Reply.cached(nil, contentType: contentType, etag: etag, cacheControl: cacheControl)
        }
        if let hit = try cache.entry(key) {
            return Reply.cached(hit.body, contentType: hit.contentType, etag: etag, cacheControl: cacheControl)
        }
        let entry = try await renders.value(for: key) { [self] in
            let entry = RenderCache.Entry(bytes: try await gate.run { try await render() }, contentType: contentType)
            renderCount.add(1, ordering: .relaxed)
            try cache.store(key, entry)
            return entry
        }
        return Reply.cached(entry.body, contentType: contentType, etag: etag, cacheControl: cacheControl)
    }

    /// Encodes a rendered image.
    func encode(_ image: Image, png: Bool) throws -> [UInt8] {
        try ImageCodec.encode(image, as: png ? .png : .jpeg, quality: configuration.jpegQuality)
    }

    /// The `overlay` query parameter and its part of a cache key (empty without
    /// one). The annotation itself is read only when a render needs it.
    func overlayRequest(_ request: Request) throws -> (name: String?, key: String) {
        guard let name = request.uri.queryParameters.get("overlay"), !name.isEmpty else { return (nil, "") }
        return (name, try annotations.version(named: name, resolver: resolver))
    }

    /// The painter for the overlay `name` on `file`, if any.
    func overlay(named name: String?, for file: SourceFile) throws -> OverlayPainter? {
        guard let name else { return nil }
        return OverlayPainter(document: try annotations.document(named: name, for: file, resolver: resolver))
    }
}
