import Crypto
import Foundation
import GRDB
import Hummingbird
import LabelKitFrames
import LabelKitImaging
import LabelKitPostgres
import LabelKitStore
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
///     try await service.run(shutdownTimeout: .seconds(30))
public final class LabelKitService: Sendable {
    /// The settings.
    public let configuration: ServiceConfiguration
    let logger: Logger
    /// Sources, renders, the render cache and overlays, shared by the image routes.
    let pipeline: ImagePipeline
    let frames: FrameStore
    let connections: ConnectionRegistry
    /// Blocking SQLite and file work of the routes.
    let io: WorkPool
    /// The bearer token, when one is configured.
    let token: BearerToken?
    let authenticator: Authenticator
    /// The SQLite file (render cache, overlays; frames unless in PostgreSQL).
    let database: SQLiteDatabase
    /// The numbers `/metrics` serves.
    let metrics = ServiceMetrics()

    /// Opens the database and prepares the caches and pools.
    public init(configuration: ServiceConfiguration, logger: Logger = Logger(label: "labelkit.serve")) throws {
        self.configuration = configuration
        self.logger = logger
        let resolver = try SourceResolver(root: configuration.root)
        let sources = SourceCache(
            budget: configuration.sourceCacheBytes, maxSourcePixels: configuration.maxSourcePixels,
            maxHeaderPixels: max(configuration.maxSourcePixels, configuration.pyramids.maxPixels),
            maxSourceBytes: configuration.maxSourceBytes, maxJPEGScans: configuration.maxJPEGScans)
        database = try SQLiteDatabase(
            path: configuration.databasePath,
            schemas: [RenderCache.schema, AnnotationStore.schema, FrameStore.schema, RevocationList.schema])
        let cache = try RenderCache(database: database, budget: configuration.cacheBudgetBytes)
        let annotations = try AnnotationStore(
            database: database, maxRegions: configuration.maxOverlayRegions,
            maxMaskPixels: configuration.maxOverlayMaskPixels)
        let revocations: RevocationList
        if let url = configuration.framesDatabase {
            let shared = try PostgresDatabase(
                location: try PostgresLocation(url: url), connections: configuration.framesConnections, logger: logger)
            frames = FrameStore(backend: try PostgresFrameDatabase(database: shared))
            revocations = try RevocationList(postgres: shared)
        } else {
            frames = try FrameStore(database: database)
            revocations = try RevocationList(database: database)
        }
        connections = ConnectionRegistry(limits: configuration.connections)
        let queue = configuration.maxConcurrentRenders
        let renderPool = WorkPool(
            name: "render", threads: configuration.renderThreads, queueLimit: queue,
            niceness: configuration.renderNiceness
        ) { ServiceError(503, "busy: \(queue) renders are waiting (--max-renders); retry shortly", retryAfter: 1) }
        let renders = RenderRunner(
            pool: renderPool, timeoutSeconds: configuration.renderTimeoutSeconds, connections: connections)
        io = WorkPool(name: "io", threads: configuration.ioThreads, queueLimit: 4_096) {
            ServiceError(503, "busy: too many database and file operations are waiting; retry shortly", retryAfter: 1)
        }
        let pyramids = PyramidStores(
            configuration: configuration.pyramids,
            directory: configuration.pyramidDirectory ?? configuration.databasePath + ".pyramids",
            maxSourcePixels: configuration.maxSourcePixels, jpegQuality: configuration.jpegQuality, maxJPEGScans: configuration.maxJPEGScans)
        pipeline = ImagePipeline(
            configuration: configuration, resolver: resolver, sources: sources, pyramids: pyramids, cache: cache,
            annotations: annotations, renders: renders, io: io, metrics: metrics)
        token = configuration.token.map(BearerToken.init)
        authenticator = Authenticator(
            token: configuration.token, signingKey: configuration.signingKey,
            revocations: revocations, io: io)
    }

    /// The router with every route, whose errors come back as problems.
    public func router() -> Router<ServiceRequestContext> {
        let router = Router(context: ServiceRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ProblemMiddleware(logger: logger))
        OperationsController(service: self).addRoutes(to: router)
        IIIFController(pipeline: pipeline).addRoutes(to: router)
        TileController(pipeline: pipeline).addRoutes(to: router)
        PyramidController(pipeline: pipeline).addRoutes(to: router)
        ThumbnailController(pipeline: pipeline).addRoutes(to: router)
        AnnotationController(pipeline: pipeline).addRoutes(to: router)
        ViewerController(pipeline: pipeline).addRoutes(to: router)
        FrameController(frames: frames, io: io, maxBodyBytes: configuration.maxBodyBytes, metrics: metrics)
            .addRoutes(to: router)
        OffloadController(limits: configuration.offload, token: token, logger: logger).addRoutes(to: router)
        AuthController(authenticator: authenticator, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
        return router
    }

    /// Every request's responder: the service middleware (credentials, errors,
    /// metrics, access log, and repeated tile URLs answered from memory) around
    /// the router, so that a known tile skips route matching.
    public func responder() -> ServiceResponder {
        ServiceResponder(
            middleware: ServiceMiddleware(
                logger: logger, accessLog: configuration.accessLog, authenticator: authenticator, metrics: metrics,
                publicImages: configuration.publicImages, pipeline: pipeline),
            router: router().buildResponder())
    }

    /// The application listening on the configured host and port, with the
    /// connection limits and idle timeout in every connection's pipeline.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let limits = configuration.connections
        let registry = connections
        return Application(
            responder: responder(),
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
}
