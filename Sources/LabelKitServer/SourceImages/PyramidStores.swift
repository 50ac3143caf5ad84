import Foundation
import LabelKitImaging
import LabelKitOperations
import Synchronization

/// Tile stores of the sources too large to decode per request: the first
/// request for such a source starts, once, a background build of its Deep Zoom
/// tile store (``StoredPyramid``) in ``directory``, strip by strip, on a
/// pool of its own; until it is done, requests get 503 with `Retry-After`, and
/// `GET /pyramids/{id}` shows the progress. A finished store is reused after
/// a restart when it matches the source and the settings. A build that failed
/// through the source (413, 422) is remembered until the source changes; one
/// that failed otherwise (a full disk) is tried again after a minute.
final class PyramidStores: Sendable {
    /// How a large source is served.
    enum State: Sendable {
        /// Decoded whole after all: within `--max-source-mp`, and not readable
        /// strip by strip (progressive, rotated, interlaced) or with alpha.
        case decoded
        case building(done: Int, total: Int, started: ContinuousClock.Instant)
        case ready(StoredPyramid)
        case failed(ServiceError, at: ContinuousClock.Instant)

        /// Whether the source is decoded whole after all.
        var isDecoded: Bool {
            if case .decoded = self { return true }
            return false
        }
    }

    private struct Entry {
        var state: State
        var lastUse: ContinuousClock.Instant
    }

    /// The settings.
    let configuration: PyramidLimits
    /// Where the stores are (created on first use).
    let directory: String
    private let maxSourcePixels: Int
    private let jpegQuality: Int
    private let maxJPEGScans: Int
    private let entries = Mutex<[String: Entry]>([:])
    private let builds: WorkPool
    /// A failure that was not the source's is tried again after this long.
    static let retryFailuresAfter = Duration.seconds(60)

    init(configuration: PyramidLimits, directory: String, maxSourcePixels: Int, jpegQuality: Int, maxJPEGScans: Int) {
        self.configuration = configuration
        self.directory = directory
        self.maxSourcePixels = maxSourcePixels
        self.jpegQuality = jpegQuality
        self.maxJPEGScans = maxJPEGScans
        let queue = configuration.maxQueuedBuilds
        builds = WorkPool(name: "pyramid", threads: configuration.builds, queueLimit: queue, niceness: 10) {
            ServiceError(503, "busy: \(queue) tile pyramids are waiting to be built; retry later", retryAfter: 30)
        }
        removeAbandoned()
    }

    /// Whether a source of this size goes through a tile store (unless it
    /// turns out to be ``State/decoded``): above the threshold, or above what
    /// may be decoded whole.
    func serves(_ header: ImageHeader) -> Bool {
        header.pixelCount > min(configuration.thresholdPixels, maxSourcePixels)
    }

    /// The state of `file` if known, marking the store as used; never blocks.
    /// A failure that is due for another try reads as unknown.
    func known(_ file: SourceFile) -> State? {
        let key = Self.key(file)
        return entries.withLock { entries -> State? in
            guard var entry = entries[key] else { return nil }
            if case .failed(let error, let at) = entry.state, error.status >= 500,
                ContinuousClock.now - at > Self.retryFailuresAfter
            {
                entries[key] = nil
                return nil
            }
            entry.lastUse = .now
            entries[key] = entry
            return entry.state
        }
    }

    /// The state of `file`'s store, deciding how it is served and starting
    /// its build when there is none (call on a pool thread: it looks at the
    /// disk and reads the source's header).
    func state(_ file: SourceFile, header: ImageHeader) -> State {
        if let known = known(file) { return known }
        if let found = finished(file, header: header) { return found }
        let key = Self.key(file)
        let decided: State
        do {
            decided = try plan(file, header: header)
        } catch let error as ServiceError {
            decided = .failed(error, at: .now)
        } catch {
            decided = .failed(Self.failure(file, error), at: .now)
        }
        let settled = entries.withLock { entries -> State in
            if let raced = entries[key] { return raced.state }
            entries[key] = Entry(state: decided, lastUse: .now)
            return decided
        }
        guard case .building = settled, case .building = decided else { return settled }
        if !builds.submit({ [self] in build(file, key: key) }) {
            let busy = builds.busyError() as? ServiceError ?? ServiceError(503, "busy", retryAfter: 30)
            _ = entries.withLock { $0.removeValue(forKey: key) }
            return .failed(busy, at: .now)
        }
        return settled
    }

    /// The state without starting anything: known, or a finished store on disk.
    func peek(_ file: SourceFile, header: ImageHeader) -> State? {
        known(file) ?? finished(file, header: header)
    }

    /// Forgets `pyramid` as `file`'s store (its file went missing or broke),
    /// so the next request looks again.
    func forget(_ file: SourceFile, _ pyramid: StoredPyramid) {
        let key = Self.key(file)
        entries.withLock { entries in
            if case .ready(let current)? = entries[key]?.state, current.path == pyramid.path { entries[key] = nil }
        }
    }

    /// A finished store of this version of `file` made with today's settings,
    /// now known as ready; nil when there is none.
    private func finished(_ file: SourceFile, header: ImageHeader) -> State? {
        let key = Self.key(file)
        let path = storePath(key)
        guard FileManager.default.fileExists(atPath: path), let pyramid = try? StoredPyramid(path: path) else {
            return nil
        }
        let facts = pyramid.metadata
        guard facts["source_version"] == file.version, pyramid.zoom == DeepZoom(width: header.width, height: header.height),
            header.orientation == .identity, facts["quality"] == String(jpegQuality), facts["optimize_coding"] == "1"
        else { return nil }
        return entries.withLock { entries -> State in
            if let raced = entries[key] { return raced.state }
            entries[key] = Entry(state: .ready(pyramid), lastUse: .now)
            return .ready(pyramid)
        }
    }

    /// How a source without a store is to be served, from its header: built
    /// into a store, decoded whole, or refused.
    private func plan(_ file: SourceFile, header: ImageHeader) throws -> State {
        let source = try RowSources.open(path: file.path, maxScans: maxJPEGScans)
        let withinDecode = header.pixelCount <= maxSourcePixels
        guard let source, header.orientation == .identity else {
            if withinDecode { return .decoded }
            throw ServiceError(
                413,
                "\(file.identifier): \(header.width)x\(header.height) is over --max-source-mp and cannot be read "
                    + "strip by strip (\(header.orientation == .identity ? "a progressive or multi-scan JPEG, or an interlaced PNG" : "its EXIF orientation turns it"))")
        }
        // Transparency is kept by decoding whole; a store flattens it over white.
        if withinDecode && (source.channels == 2 || source.channels == 4) { return .decoded }
        guard source.width == header.width, source.height == header.height else {
            throw ServiceError(422, "\(file.identifier): its size changed while it was read")
        }
        let pixels = source.width * source.height
        guard pixels <= configuration.maxPixels else {
            throw ServiceError(
                413,
                "\(file.identifier): \(source.width)x\(source.height) is over --max-pyramid-mp "
                    + "(\(configuration.maxPixels / 1_000_000) MP)")
        }
        let window = StripPyramidWriter.windowBytes(
            for: StaticPyramid(layout: .deepZoom, width: source.width, height: source.height),
            channels: min(source.channels, 3))
        guard window <= configuration.maxWindowBytes else {
            throw ServiceError(
                413,
                "\(file.identifier): \(source.width) pixels wide needs \(window >> 20) MiB of rows to tile, "
                    + "over \(configuration.maxWindowBytes >> 20) MiB")
        }
        return .building(done: 0, total: 0, started: .now)
    }

    private func build(_ file: SourceFile, key: String) {
        let started = ContinuousClock.now
        let outcome: State
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = storePath(key)
            guard let source = try RowSources.open(path: file.path, maxScans: maxJPEGScans) else {
                throw ServiceError(422, "\(file.identifier) changed while it was read")
            }
            evict(making: file.size, keeping: path)
            try StoredPyramid.build(
                from: source, into: path, quality: jpegQuality, optimizeCoding: true, jobs: configuration.jobs,
                metadata: ["source": file.identifier, "source_version": file.version]
            ) { done, total in
                self.entries.withLock {
                    $0[key] = Entry(state: .building(done: done, total: total, started: started), lastUse: .now)
                }
            }
            outcome = .ready(try StoredPyramid(path: path))
        } catch let error as ServiceError {
            outcome = .failed(error, at: .now)
        } catch {
            outcome = .failed(Self.failure(file, error), at: .now)
        }
        entries.withLock { $0[key] = Entry(state: outcome, lastUse: .now) }
    }

    /// A build's error as an answer: 422 for the source's fault, 500 otherwise.
    private static func failure(_ file: SourceFile, _ error: any Error) -> ServiceError {
        if let error = error as? ImagingError {
            let status = error.code == .io ? 500 : error.code == .tooLarge ? 413 : 422
            return ServiceError(status, "\(file.identifier): its tile pyramid failed: \(error.message)")
        }
        return ServiceError(500, "\(file.identifier): its tile pyramid failed: \(error)")
    }

    /// Removes the least recently used stores until the folder holds at most
    /// the budget less `bytes` (about what a new store needs), never `keeping`.
    private func evict(making bytes: Int, keeping: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        // In-memory use first; stores not opened since the start go by their file time.
        let used = entries.withLock { entries -> [String: ContinuousClock.Instant] in
            entries.compactMapValues { entry in
                if case .ready = entry.state { return entry.lastUse }
                return nil
            }
        }
        let now = ContinuousClock.now, wall = Date()
        var stores: [(path: String, key: String, size: Int, used: Date)] = names.filter { $0.hasSuffix(".tiles") }
            .compactMap { name in
                let path = directory + "/" + name
                let key = String(name.dropLast(".tiles".count))
                guard let attributes = try? fm.attributesOfItem(atPath: path) else { return nil }
                let time =
                    used[key].map { wall.addingTimeInterval(-Double((now - $0) / .milliseconds(1)) / 1000) }
                    ?? (attributes[.modificationDate] as? Date) ?? .distantPast
                return (path, key, (attributes[.size] as? Int) ?? 0, time)
            }
        var total = stores.reduce(0) { $0 + $1.size } + bytes
        stores.sort { $0.used < $1.used }
        for store in stores where total > configuration.budgetBytes && store.path != keeping {
            try? fm.removeItem(atPath: store.path)
            total -= store.size
            entries.withLock { entries in
                if case .ready? = entries[store.key]?.state { entries[store.key] = nil }
            }
        }
    }

    /// Removes the temporary files of builds whose process is gone (killed
    /// mid-build): `*.tiles.building-PID-*`.
    private func removeAbandoned() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            guard let range = name.range(of: ".tiles.building-") else { continue }
            let pid = Int32(name[range.upperBound...].prefix { $0.isNumber }) ?? 0
            if pid != getpid() && (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH)) {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
    }

    private func storePath(_ key: String) -> String { directory + "/" + key + ".tiles" }

    /// The store's file name: SHA-256 of the source's path and version (hex).
    static func key(_ file: SourceFile) -> String {
        SHA256Hex.of(file.path + "\n" + file.version)
    }

    static func percent(_ done: Int, _ total: Int) -> String {
        total > 0 ? "\(done * 100 / total)%" : "0%"
    }

    /// Seconds until the build is likely done, from its pace so far (1...60).
    static func retryAfter(done: Int, total: Int, since started: ContinuousClock.Instant) -> Int {
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        guard done > 0, total > done else { return done >= total && total > 0 ? 1 : 5 }
        return min(60, max(1, Int((elapsed * Double(total - done) / Double(done)).rounded(.up))))
    }

    /// The store of `file` for a request given its `state`: the store when
    /// ready, nil when the source is decoded whole.
    ///
    /// - Throws: 503 with `Retry-After` while it is built; the build's error.
    static func store(for file: SourceFile, in state: State) throws -> StoredPyramid? {
        switch state {
        case .ready(let pyramid): return pyramid
        case .decoded: return nil
        case .failed(let error, _): throw error
        case .building(let done, let total, let started):
            throw ServiceError(
                503,
                "\(file.identifier): building its tile pyramid, \(percent(done, total)) done; "
                    + "GET /pyramids/\(file.identifier) shows the progress",
                retryAfter: retryAfter(done: done, total: total, since: started))
        }
    }
}

/// When and how sources are served from tile stores.
public struct PyramidLimits: Sendable {
    /// Sources with more pixels than this are served from a tile store built
    /// once, not decoded per request (`--pyramid-above-mp`).
    public var thresholdPixels = 64_000_000
    /// The largest source served from a tile store (`--max-pyramid-mp`; default
    /// 10,000 MP, a 100,000 x 100,000 image).
    public var maxPixels = 10_000_000_000
    /// The most memory of rows a build may hold: about 2 x 256 x width x 3
    /// bytes, so 512 MiB admits images about 350,000 pixels wide.
    public var maxWindowBytes = 512 << 20
    /// Largest IIIF output and thumbnail of a source served from a tile store,
    /// in pixels (`--max-pyramid-output-mp`). A render reads at most four times
    /// this from one level (a distorted size reads a coarser level), so it
    /// holds about 15 bytes per output pixel.
    public var maxOutputPixels = 8_000_000
    /// Builds at once (`--pyramid-builds`).
    public var builds = 1
    /// Builds waiting; more get 503.
    public var maxQueuedBuilds = 64
    /// Threads encoding a build's tiles (`--pyramid-jobs`; default: all cores).
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Disk budget of the stores (`--pyramid-budget-gb`); the least recently
    /// used stores are removed past it.
    public var budgetBytes = 32 << 30

    /// The defaults.
    public init() {}
}
