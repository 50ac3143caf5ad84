import ArgumentParser
import Foundation
import LabelKitImaging
import LabelKitPostgres
import LabelKitServer
import Logging

/// `labelkit serve`: the HTTP service.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve images as IIIF 3.0 (level 2), Deep Zoom, XYZ tiles and thumbnails, with overlays and a viewer.",
        discussion: """
            Routes (identifiers are file names under --root, with or without the extension):
              /iiif/3/{id}/info.json, /iiif/3/{id}/{region}/{size}/{rotation}/{quality}.{format}
              /dzi/{id}.dzi, /dzi/{id}_files/{level}/{col}_{row}.jpg     (254 px + 1 overlap)
              /xyz/{id}/{z}/{x}/{y}.png                                  (256 px)
              /thumb/{id}?w=256&h=256&fit=fit|fill|force&fmt=jpg|png&q=85
              /view/{id}?overlay=NAME      pan/zoom viewer; NAME = a posted annotation id or a .json file under --root
              POST /annotations            store a Label Studio annotation for overlay=
              /frames/...                  frame tasks and the label stream (see README)
              POST /v1/rasterize, /v1/rle/encode|decode|convert, /v1/masks/measure,
                   /v1/vectorize, /v1/brush, /v1/hit-test, /v1/duplicate
                                           mask/geometry offload API (the commands' JSON; batches
                                           {"jobs": [...]}); spec at /openapi.json
              /healthz, /readyz, /metrics    liveness, readiness (databases answer), Prometheus text
            Everything rendered is cached in --db (SQLite) under a byte budget; responses carry ETags.

            With --token (or the environment variable LABELKIT_TOKEN), every route needs
            "Authorization: Bearer TOKEN" (reads also take ?access_token=TOKEN) except
            /healthz, /readyz, /metrics and /openapi.json, and the image routes with
            --public-images; /v1 and /auth take that token alone. It mints signed, expiring tokens for
            annotators and managers (POST /auth/tokens {"user", "role", "ttl"}; revoke with
            POST /auth/revoke): an annotator's token makes the label stream act for that
            annotator only, a manager's for anyone. Replicas sharing --token (or
            --signing-key) accept each other's tokens.

            Renders run on their own threads (--render-threads) under a deadline
            (--render-timeout) and stop when their client disconnects; a connection idle for
            --idle-timeout seconds is closed; past --max-connections (or
            --max-connections-per-client) the longest-idle connection makes room, or the new
            one is refused. The README's "Safety" section lists every limit.

            Every option can also come from the environment: LABELKIT_ and the option's name
            in upper case with underscores (LABELKIT_MAX_BODY_MB=64, LABELKIT_FRAMES_DB=...,
            LABELKIT_STRICT_CONFINED=1); the command line wins. On SIGTERM or SIGINT the
            server stops accepting, lets requests in flight finish (--shutdown-timeout),
            checkpoints --db and exits 0. With --frames-db the label stream, frame tasks and
            token revocations live in PostgreSQL, shared by every replica.

            Examples:
              labelkit serve --root SampleImages --db cache.sqlite --port 8080
              LABELKIT_TOKEN=secret labelkit serve --root SampleImages --db cache.sqlite --max-mask-mp 16
              labelkit serve --root /data/images --db replica.sqlite --frames-db postgres://labelkit@db/labelkit --token "$TOKEN"
              labelkit serve --root /data/images --db cache.sqlite --host 0.0.0.0 --public-url https://images.example.org \\
                --render-timeout 10 --idle-timeout 15 --max-connections 2048
            """
    )

    @Option(help: "Folder of images to serve, e.g. --root SampleImages.")
    var root: String

    @Option(
        help:
            "SQLite file for the render cache, annotations and frame tasks (created if missing), e.g. --db cache.sqlite."
    )
    var db: String

    @Option(
        help:
            "PostgreSQL for the frame store, label stream and token revocations, shared by replicas (none: in --db), e.g. --frames-db postgres://labelkit@db.internal/labelkit"
    )
    var framesDb: String?

    @Option(help: "Connections each replica opens to --frames-db, e.g. --frames-connections 16.")
    var framesConnections: Int = 16

    @Option(
        help:
            "Threads that wait on the databases and files for the routes (default 4; with --frames-db, --frames-connections: a label call holds one for its round trip), e.g. --io-threads 16."
    )
    var ioThreads: Int?

    @Option(
        help:
            "On SIGTERM or SIGINT, seconds to let requests in flight finish before they are cancelled, e.g. --shutdown-timeout 30."
    )
    var shutdownTimeout: Int = 30

    @Option(help: "Interface to listen on, e.g. --host 0.0.0.0.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one), e.g. --port 8080.")
    var port: Int = 8080

    @Option(help: "Byte budget of the render cache in MiB, e.g. --cache-mb 1024.")
    var cacheMb: Int = 1024

    @Option(help: "Largest source image in megapixels, checked before decoding, e.g. --max-source-mp 100.")
    var maxSourceMp: Double = 100

    @Option(help: "Largest output image in megapixels, e.g. --max-output-mp 50.")
    var maxOutputMp: Double = 50

    @Option(
        help:
            "Sources above this many megapixels are served from a tile store built once in the background (503 with Retry-After until it is ready), not decoded per request, e.g. --pyramid-above-mp 64."
    )
    var pyramidAboveMp: Double = 64

    @Option(
        help:
            "Largest source served from a tile store, in megapixels (a baseline JPEG or non-interlaced PNG, read strip by strip), e.g. --max-pyramid-mp 10000."
    )
    var maxPyramidMp: Double = 10_000

    @Option(
        help:
            "Largest IIIF output of a source served from a tile store, in megapixels (bounds the memory of one render), e.g. --max-pyramid-output-mp 8."
    )
    var maxPyramidOutputMp: Double = 8

    @Option(help: "Folder of the tile stores (default: the --db path + .pyramids), e.g. --pyramid-dir /var/cache/labelkit/pyramids.")
    var pyramidDir: String?

    @Option(help: "Disk budget of the tile stores in GiB; the least recently used go first, e.g. --pyramid-budget-gb 32.")
    var pyramidBudgetGb: Int = 32

    @Option(help: "Tile stores built at once (others wait, still answered 503), e.g. --pyramid-builds 1.")
    var pyramidBuilds: Int = 1

    @Option(help: "Threads encoding one build's tiles (default: one per core), e.g. --pyramid-jobs 2.")
    var pyramidJobs: Int?

    @Option(help: "Renders waiting for a render thread; more get 503 with Retry-After, e.g. --max-renders 8.")
    var maxRenders: Int?

    @Option(help: "Threads that render (default: one per core), e.g. --render-threads 4.")
    var renderThreads: Int?

    @Option(
        help:
            "Niceness of the render threads (0...19; higher yields more to health checks, cached tiles and offload jobs), e.g. --render-nice 5."
    )
    var renderNice: Int32 = 5

    @Option(
        help:
            "Seconds a render may take (queueing included) before it is stopped and answered 503, e.g. --render-timeout 30."
    )
    var renderTimeout: Double = 30

    @Option(help: "Most regions one overlay may draw; more is refused with 422, e.g. --max-overlay-regions 10000.")
    var maxOverlayRegions: Int = 10_000

    @Option(
        help:
            "Most mask megapixels (2^20 pixels) the brush regions of one overlay decode to, e.g. --max-overlay-mask-mp 1024."
    )
    var maxOverlayMaskMp: Int = 1024

    @Option(
        help: "Most scans a progressive JPEG may have (a scan bomb costs a pass per scan), e.g. --max-jpeg-scans 500.")
    var maxJpegScans: Int = 500

    @Option(help: "Open connections in all; past it the longest-idle one makes room, e.g. --max-connections 4096.")
    var maxConnections: Int = 4_096

    @Option(help: "Open connections from one client address, e.g. --max-connections-per-client 1024.")
    var maxConnectionsPerClient: Int = 1_024

    @Option(help: "Seconds a connection may go without a request part before it is closed, e.g. --idle-timeout 30.")
    var idleTimeout: Double = 30

    @Option(help: "Connections the kernel queues before they are accepted, e.g. --backlog 4096.")
    var backlog: Int = 4_096

    @Option(
        help:
            "Public base URL for IIIF ids and redirects (instead of the Host header), e.g. --public-url https://images.example.org."
    )
    var publicUrl: String?

    @Flag(help: "IIIF: refuse !w,h boxes larger than the region (what the official validator expects).")
    var strictConfined = false

    @Option(
        help:
            "Bearer token every route but /healthz, /readyz, /metrics and /openapi.json requires (none: open), e.g. --token s3cret."
    )
    var token: String?

    @Flag(
        help:
            "With --token, image routes (IIIF, Deep Zoom, XYZ, thumbnails, the viewer) still answer without a token, e.g. --token s3cret --public-images."
    )
    var publicImages = false

    @Option(
        help:
            "Secret that annotator and manager tokens are signed with (default: derived from --token), e.g. --signing-key 9f2c..."
    )
    var signingKey: String?

    @Option(help: "Largest request body in MiB (offload API, annotations, frame routes), e.g. --max-body-mb 32.")
    var maxBodyMb: Int = 32

    @Option(help: "Offload API: largest mask in megapixels (2^20 pixels), e.g. --max-mask-mp 64.")
    var maxMaskMp: Int = 64

    @Option(help: "Offload API: most regions, masks or strokes in one job, e.g. --max-regions 10000.")
    var maxRegions: Int = 10_000

    @Option(help: "Offload API: most vertices in one polygon or stroke, e.g. --max-vertices 100000.")
    var maxVertices: Int = 100_000

    @Option(help: "Offload API: most jobs in one batch, e.g. --max-jobs 1000.")
    var maxJobs: Int = 1_000

    @Option(help: "Offload API: most query points in one hit-test job, e.g. --max-points 1000000.")
    var maxPoints: Int = 1_000_000

    @Option(help: "Offload API: largest labeling config (the config field) in KiB, e.g. --max-config-kb 1024.")
    var maxConfigKb: Int = 1024

    @Option(help: "Offload API: jobs waiting for a thread; more get 503 with Retry-After, e.g. --offload-queue 1024.")
    var offloadQueue: Int = 1_024

    @Option(help: "Offload API: threads running the work (default: one per core), e.g. --offload-threads 4.")
    var offloadThreads: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical, e.g. --log-level warning.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port), cacheMb >= 1, maxSourceMp > 0, maxOutputMp > 0, (maxRenders ?? 1) >= 1 else {
            throw ValidationError(
                "--port 0...65535; --cache-mb, --max-source-mp, --max-output-mp, --max-renders positive")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel) is not a level")
        }
        guard (renderThreads ?? 1) >= 1, (0...19).contains(renderNice), renderTimeout > 0, renderTimeout <= 86_400,
            idleTimeout > 0, idleTimeout <= 86_400,
            (1...OverlayPainter.maxRegions).contains(maxOverlayRegions), (1...1_048_576).contains(maxOverlayMaskMp),
            (1...100_000).contains(maxJpegScans), maxConnections >= 1, maxConnectionsPerClient >= 1,
            (1...65_535).contains(backlog), (1...1_024).contains(ioThreads ?? 1)
        else {
            throw ValidationError(
                "--render-threads, --max-connections, --max-connections-per-client positive; --render-nice 0...19; --render-timeout and --idle-timeout "
                    + "0...86400 s; --max-overlay-regions 1...\(OverlayPainter.maxRegions); --max-overlay-mask-mp 1...1048576; "
                    + "--max-jpeg-scans 1...100000; --backlog 1...65535; --io-threads 1...1024")
        }
        guard pyramidAboveMp > 0, maxPyramidMp > 0, maxPyramidOutputMp > 0, pyramidBudgetGb >= 1,
            (1...64).contains(pyramidBuilds), (1...1_024).contains(pyramidJobs ?? 1)
        else {
            throw ValidationError(
                "--pyramid-above-mp, --max-pyramid-mp, --max-pyramid-output-mp positive; --pyramid-budget-gb >= 1; --pyramid-builds 1...64; --pyramid-jobs 1...1024"
            )
        }
        if let publicUrl {
            guard let url = URL(string: publicUrl), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil,
                url.query == nil, url.fragment == nil
            else { throw ValidationError("--public-url \(publicUrl) is not an http(s) URL without query or fragment") }
        }
        guard (1...4096).contains(maxBodyMb), (1...4096).contains(maxMaskMp), maxRegions >= 1, maxVertices >= 3,
            maxJobs >= 1,
            (offloadThreads ?? 1) >= 1, maxPoints >= 1, (1...1_000_000).contains(offloadQueue),
            (1...65536).contains(maxConfigKb)
        else {
            throw ValidationError(
                "--max-body-mb and --max-mask-mp 1...4096; --max-regions, --max-jobs, --max-points, --offload-threads positive; --max-vertices >= 3; --offload-queue 1...1000000; --max-config-kb 1...65536"
            )
        }
    }

    func run() async throws {
        var settings = ServiceConfiguration(root: root, databasePath: db)
        settings.host = host
        if let framesDb {
            guard PostgresLocation.isURL(framesDb) else {
                throw ValidationError("--frames-db takes a postgres:// URL (the SQLite store is --db)")
            }
            settings.framesDatabase = framesDb
        }
        settings.framesConnections = max(1, framesConnections)
        settings.ioThreads = ioThreads ?? (framesDb == nil ? 4 : settings.framesConnections)
        settings.port = port
        settings.cacheBudgetBytes = cacheMb << 20
        settings.maxSourcePixels = Int(maxSourceMp * 1_000_000)
        settings.limits = IIIFLimits(maxArea: Int(maxOutputMp * 1_000_000), strictConfined: strictConfined)
        settings.pyramids.thresholdPixels = Int(pyramidAboveMp * 1_000_000)
        settings.pyramids.maxPixels = Int(maxPyramidMp * 1_000_000)
        settings.pyramids.maxOutputPixels = Int(maxPyramidOutputMp * 1_000_000)
        settings.pyramids.budgetBytes = pyramidBudgetGb << 30
        settings.pyramids.builds = pyramidBuilds
        if let pyramidJobs { settings.pyramids.jobs = pyramidJobs }
        settings.pyramidDirectory = pyramidDir
        if let maxRenders { settings.maxConcurrentRenders = maxRenders }
        if let renderThreads { settings.renderThreads = renderThreads }
        settings.renderNiceness = renderNice
        settings.renderTimeoutSeconds = renderTimeout
        settings.maxOverlayRegions = maxOverlayRegions
        settings.maxOverlayMaskPixels = maxOverlayMaskMp << 20
        settings.maxJPEGScans = maxJpegScans
        settings.connections.maxConnections = maxConnections
        settings.connections.maxPerClient = maxConnectionsPerClient
        settings.connections.idleTimeoutSeconds = idleTimeout
        settings.connections.backlog = backlog
        settings.publicImages = publicImages
        settings.publicBaseURL = publicUrl.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        settings.offload.maxBodyBytes = maxBodyMb << 20
        settings.maxBodyBytes = maxBodyMb << 20
        settings.offload.maxMaskPixels = maxMaskMp << 20
        settings.offload.maxRegions = maxRegions
        settings.offload.maxVertices = maxVertices
        settings.offload.maxJobs = maxJobs
        settings.offload.maxPoints = maxPoints
        settings.offload.maxConfigBytes = maxConfigKb << 10
        settings.offload.queueLimit = offloadQueue
        if let offloadThreads { settings.offload.threads = offloadThreads }
        settings.token = token?.isEmpty == false ? token : nil
        settings.signingKey = signingKey?.isEmpty == false ? signingKey : nil
        ProcessLimits.prepareForServing(connections: maxConnections)
        // The access log: buffered, written by a thread of its own (BufferedLogHandler).
        let sink = LogSink.standardError
        defer { sink.flush() }
        settings.accessLog = sink
        var logger = Logger(label: "labelkit.serve") { BufferedLogHandler(label: $0, sink: sink) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let service: LabelKitService
        do {
            service = try LabelKitService(configuration: settings, logger: logger)
        } catch {
            throw CommandFailure(message: "cannot start: \(error)", exitCode: 1)
        }
        let host = self.host
        try await service.run(shutdownTimeout: .seconds(shutdownTimeout)) { port in
            sink.append("labelkit: serving \(root) on http://\(host):\(port)\n", now: true)
        }
    }
}
