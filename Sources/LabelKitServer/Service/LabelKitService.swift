import Crypto
import Foundation
import GRDB
import Hummingbird
import LabelKitFrames
import LabelKitImaging
import Logging
import NIOCore
import Synchronization

/// The HTTP service: IIIF Image API 3.0 level 2, Deep Zoom and XYZ tiles from
/// one in-memory pyramid per image, thumbnails, annotation overlays, a
/// viewer page, frame-task routes, and a bounded SQLite cache of everything
/// rendered (ETags, 304s, single-flight renders).
///
/// Work is kept off the event loops and Swift's cooperative pool: renders run
/// on the render pool (deadline, cancelled when their clients leave), SQLite and
/// file reads on the I/O pool, offload jobs on their own pool; the event loops
/// only parse, look up the memory tier and write responses.
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
    let connections: ConnectionRegistry
    /// Renders: decoding, resampling, overlays, encoding.
    let renders: RenderRunner
    /// Blocking SQLite and file work of the routes.
    let io: WorkPool
    /// The bearer token, when one is configured.
    let token: BearerToken?
    /// Renders run since start (cache misses that did the work), for metrics and tests.
    let renderCount = Atomic<Int>(0)
    /// Bumped whenever rendering changes, so cached bytes of older versions are never served.
    static let pipelineVersion = "2"

    /// Opens the database and prepares the caches and pools.
    public init(configuration: ServiceConfiguration, logger: Logger = Logger(label: "labelkit.serve")) throws {
        self.configuration = configuration
        self.logger = logger
        resolver = try SourceResolver(root: configuration.root)
        sources = SourceCache(
            budget: configuration.sourceCacheBytes, maxSourcePixels: configuration.maxSourcePixels,
            maxSourceBytes: configuration.maxSourceBytes, maxJPEGScans: configuration.maxJPEGScans)
        var databaseConfiguration = Configuration()
        databaseConfiguration.busyMode = .timeout(30)
        let database = try DatabasePool(path: configuration.databasePath, configuration: databaseConfiguration)
        cache = try RenderCache(database: database, budget: configuration.cacheBudgetBytes)
        annotations = try AnnotationStore(
            database: database, maxRegions: configuration.maxOverlayRegions,
            maxMaskPixels: configuration.maxOverlayMaskPixels)
        frames = try FrameStore(path: configuration.databasePath)
        connections = ConnectionRegistry(limits: configuration.connections)
        let queue = configuration.maxConcurrentRenders
        let renderPool = WorkPool(
            name: "render", threads: configuration.renderThreads, queueLimit: queue, niceness: configuration.renderNiceness
        ) { ServiceError(503, "busy: \(queue) renders are waiting (--max-renders); retry shortly", retryAfter: 1) }
        renders = RenderRunner(
            pool: renderPool, timeoutSeconds: configuration.renderTimeoutSeconds, connections: connections)
        io = WorkPool(name: "io", threads: configuration.ioThreads, queueLimit: 4_096) {
            ServiceError(503, "busy: too many database and file operations are waiting; retry shortly", retryAfter: 1)
        }
        token = configuration.token.map(BearerToken.init)
    }

    /// The router with every route and the service middleware.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ServiceMiddleware(logger: logger, token: token))
        router.get("/healthz") { _, _ in Reply.json(["status": "ok"]) }
        addIIIFRoutes(router)
        addTileRoutes(router)
        addThumbnailRoutes(router)
        addAnnotationRoutes(router)
        addViewerRoutes(router)
        FrameController(frames: frames, io: io, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
        OffloadController(limits: configuration.offload, token: token, logger: logger).addRoutes(to: router)
        return router
    }

    /// The application listening on the configured host and port, with the
    /// connection limits and idle timeout in every connection's pipeline.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let limits = configuration.connections
        let registry = connections
        return Application(
            router: router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ConnectionGuard(registry: registry)],
                    idleTimeout: .milliseconds(Int64(limits.idleTimeoutSeconds * 1000)))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "LabelKit",
                backlog: limits.backlog),
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

    /// Serves the cached bytes for `key`, or renders them once on the render pool
    /// (concurrent identical requests share the render), stores and serves them.
    ///
    /// The memory tier is looked up in place; SQLite on the I/O pool; `render`
    /// runs on a render thread with a ``CancellationFlag`` to poll.
    func cached(
        key: String, contentType: String, request: Request, context: ServiceRequestContext,
        render: @escaping @Sendable (CancellationFlag) throws -> [UInt8]
    ) async throws -> Response {
        // The key covers the source version and the pipeline, so the bytes for an
        // ETag never change: a matching If-None-Match is a 304 without a lookup.
        let etag = "\"" + key.prefix(40) + "\""
        let cacheControl = "public, max-age=86400"
        if Reply.isNotModified(request, etag: etag) {
            return Reply.cached(nil, contentType: contentType, etag: etag, cacheControl: cacheControl)
        }
        let cache = self.cache
        if let hit = cache.hotEntry(key, flush: io) {
            return Reply.cached(hit.body, contentType: hit.contentType, etag: etag, cacheControl: cacheControl)
        }
        if let hit = try await io.run({ try cache.entry(key) }) {
            return Reply.cached(hit.body, contentType: hit.contentType, etag: etag, cacheControl: cacheControl)
        }
        let entry = try await renders.value(for: key, channel: context.channel) { [self] flag in
            let entry = RenderCache.Entry(bytes: try render(flag), contentType: contentType)
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

    /// The header of a source: from memory when known, else read on the I/O pool.
    func header(_ file: SourceFile) async throws -> ImageHeader {
        if let header = sources.knownHeader(file) { return header }
        let sources = self.sources
        return try await io.run { try sources.header(file) }
    }

    /// The `overlay` query parameter and its part of a cache key (empty without
    /// one; a file overlay's version is read with `stat` on the I/O pool). The
    /// annotation itself is read only when a render needs it.
    func overlayRequest(_ request: Request) async throws -> (name: String?, key: String) {
        guard let name = request.uri.queryParameters.get("overlay"), !name.isEmpty else { return (nil, "") }
        let annotations = self.annotations, resolver = self.resolver
        return (name, try await io.run { try annotations.version(named: name, resolver: resolver) })
    }

    /// The painter for the overlay `name` on `file`, if any (reads SQLite or a
    /// file: call it on a pool thread).
    func overlay(named name: String?, for file: SourceFile) throws -> OverlayPainter? {
        guard let name else { return nil }
        return OverlayPainter(document: try annotations.document(named: name, for: file, resolver: resolver))
    }
}
