import Foundation
import Hummingbird
import LabelKitImaging
import LabelKitOperations
import NIOCore
import Synchronization

/// What the image routes share: identifiers resolved under the root, decoded
/// sources, the render cache (memory tier, then SQLite on the I/O pool),
/// single-flight renders on the render pool, annotation overlays, and encoding.
final class ImagePipeline: Sendable {
    /// The settings.
    let configuration: ServiceConfiguration
    let resolver: SourceResolver
    let sources: SourceCache
    /// Tile stores of the sources too large to decode per request.
    let pyramids: PyramidStores
    let cache: RenderCache
    /// Tile URLs' cache keys, for hits that skip the key's computation.
    let tileKeys = TileKeys()
    let annotations: AnnotationStore
    /// Renders: decoding, resampling, overlays, encoding.
    let renders: RenderRunner
    /// Blocking SQLite and file work.
    let io: WorkPool
    /// Renders run since start (cache misses that did the work), for metrics and tests.
    let renderCount = Atomic<Int>(0)
    /// Cache hits and misses for `/metrics`.
    let metrics: ServiceMetrics
    /// Bumped whenever rendering changes, so cached bytes of older versions are never served.
    static let pipelineVersion = "2"

    init(
        configuration: ServiceConfiguration, resolver: SourceResolver, sources: SourceCache, pyramids: PyramidStores,
        cache: RenderCache, annotations: AnnotationStore, renders: RenderRunner, io: WorkPool, metrics: ServiceMetrics
    ) {
        self.pyramids = pyramids
        self.metrics = metrics
        self.configuration = configuration
        self.resolver = resolver
        self.sources = sources
        self.cache = cache
        self.annotations = annotations
        self.renders = renders
        self.io = io
    }

    /// Cache key: SHA-256 of the route, the source and its version, the canonical
    /// operation and the pipeline version (hex).
    func cacheKey(_ kind: String, _ file: SourceFile, _ operation: String) -> String {
        SHA256Hex.of([kind, file.path, file.version, operation, Self.pipelineVersion].joined(separator: "\n"))
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
        let (etag, cacheControl) = Self.validators(key: key, context: context)
        if let response = hotResponse(
            key: key, contentType: contentType, etag: etag, cacheControl: cacheControl, request: request)
        {
            return response
        }
        let cache = self.cache
        if let hit = try await io.run({ try cache.entry(key) }) {
            metrics.cacheLookup(hit: true)
            return Reply.cached(hit.body, contentType: hit.contentType, etag: etag, cacheControl: cacheControl)
        }
        metrics.cacheLookup(hit: false)
        let entry = try await renders.value(for: key, channel: context.channel) { [self] flag in
            let entry = RenderCache.Entry(bytes: try render(flag), contentType: contentType)
            renderCount.add(1, ordering: .relaxed)
            try cache.store(key, entry)
            return entry
        }
        return Reply.cached(entry.body, contentType: contentType, etag: etag, cacheControl: cacheControl)
    }

    /// The answer to a GET of a tile URL answered before (``TileKeys``), when its
    /// source is unchanged and its bytes are in the memory tier, with the route
    /// that answered it; nil sends the request through the router. Runs before
    /// routing, after the credential check: it costs one `lstat` (the
    /// resolver's) and memory lookups.
    func knownTile(_ request: Request, context: ServiceRequestContext) -> (response: Response, route: String)? {
        guard request.method == .get, request.uri.query == nil,
            let known = tileKeys.lookup(ExactKey(request.uri.path)),
            let file = try? resolver.resolve(known.identifier), known.matches(file)
        else { return nil }
        let cacheControl = Self.cacheControl(context)
        if Reply.isNotModified(request, etag: known.etag) {
            return (Reply.cached(nil, contentType: known.contentType, etag: known.etag, cacheControl: cacheControl), known.route)
        }
        guard let hit = cache.hotEntry(known.key, flush: io) else { return nil }
        metrics.cacheLookup(hit: true)
        let headers =
            context.credential == nil
            ? known.publicHeaders
            : Reply.cacheHeaders(contentType: known.contentType, etag: known.etag, cacheControl: cacheControl)
        return (Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: hit.body)), known.route)
    }

    /// The answer for `key` without I/O: 304 when the client has it, else the
    /// bytes from the memory tier; nil when they are not there.
    private func hotResponse(
        key: String, contentType: String, etag: String, cacheControl: String, request: Request
    ) -> Response? {
        if Reply.isNotModified(request, etag: etag) {
            return Reply.cached(nil, contentType: contentType, etag: etag, cacheControl: cacheControl)
        }
        guard let hit = cache.hotEntry(key, flush: io) else { return nil }
        metrics.cacheLookup(hit: true)
        return Reply.cached(hit.body, contentType: hit.contentType, etag: etag, cacheControl: cacheControl)
    }

    /// The ETag and Cache-Control of the bytes under `key`. The key covers the
    /// source version and the pipeline, so the bytes for an ETag never change:
    /// a matching If-None-Match is a 304 without a lookup. A read that needed a
    /// credential must not be kept by shared caches for others.
    static func validators(key: String, context: ServiceRequestContext) -> (etag: String, cacheControl: String) {
        (etag(key: key), cacheControl(context))
    }

    /// The ETag of the bytes under a cache key.
    static func etag(key: String) -> String { "\"" + key.prefix(40) + "\"" }

    /// Cache-Control of a render read without a credential.
    static let publicCacheControl = "public, max-age=86400"

    /// Cache-Control of a render: kept by shared caches only when read without a credential.
    static func cacheControl(_ context: ServiceRequestContext) -> String {
        context.credential == nil ? publicCacheControl : "private, max-age=86400"
    }

    /// Serves a tile read straight from a tile store (on the I/O pool), with
    /// the validators of `key`.
    func storedTile(
        _ store: StoredPyramid, of file: SourceFile, level: Int, column: Int, row: Int, key: String, request: Request,
        context: ServiceRequestContext
    ) async throws -> Response {
        let (etag, cacheControl) = Self.validators(key: key, context: context)
        if Reply.isNotModified(request, etag: etag) {
            return Reply.cached(nil, contentType: "image/jpeg", etag: etag, cacheControl: cacheControl)
        }
        let bytes: [UInt8]
        do {
            bytes = try await io.run { try store.tile(level: level, column: column, row: row) }
        } catch let error as ImagingError where error.code == .io {
            // The store's file went missing or broke: look for it (or build it) again.
            pyramids.forget(file, store)
            throw ServiceError(503, "\(file.identifier): its tile store is unavailable; retry shortly", retryAfter: 1)
        }
        return Reply.cached(ByteBuffer(bytes: bytes), contentType: "image/jpeg", etag: etag, cacheControl: cacheControl)
    }

    /// The tile store of a source too large to decode per request, nil for
    /// one decoded whole. Its first request starts the build.
    ///
    /// - Throws: 503 with `Retry-After` while the store is built; the build's error.
    func store(_ file: SourceFile, _ header: ImageHeader) async throws -> StoredPyramid? {
        try PyramidStores.store(for: file, in: await storeState(file, header) ?? .decoded)
    }

    /// How a source is served: nil for one under the thresholds, else its
    /// store's state, decided (and its build started) on the I/O pool the
    /// first time. Descriptors call it to start the build early.
    func storeState(_ file: SourceFile, _ header: ImageHeader) async throws -> PyramidStores.State? {
        guard pyramids.serves(header) else { return nil }
        if let known = pyramids.known(file) { return known }
        let pyramids = self.pyramids
        return try await io.run { pyramids.state(file, header: header) }
    }

    /// The pixels of a source to cut regions from, on a render thread: its tile
    /// store's tiles (no render reading more than four outputs' worth of one
    /// level), or the decoded image.
    func regions(_ file: SourceFile, store: StoredPyramid?, cancellation: CancellationFlag) throws -> any RegionSource {
        if let store {
            return store.image(cancellation: cancellation, maxCropPixels: 4 * configuration.pyramids.maxOutputPixels)
        }
        return try sources.image(file, cancellation: cancellation)
    }

    /// The IIIF limits for a source: lower for one served from a tile store,
    /// whose renders hold a region of a level.
    func limits(stored: Bool) -> IIIFLimits {
        var limits = configuration.limits
        if stored { limits.maxArea = min(limits.maxArea, configuration.pyramids.maxOutputPixels) }
        return limits
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
