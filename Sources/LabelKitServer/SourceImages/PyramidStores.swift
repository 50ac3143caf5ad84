import Crypto
import Foundation
import LabelKitImaging
import LabelKitOperations
import Synchronization

/// Tile stores of the sources too large to decode per request: the first
/// request for such a source starts, once, a background build of its Deep Zoom
/// tile store (``StoredPyramid``) in ``directory``, strip by strip, on a
/// pool of its own; until it is done, requests get 503 with `Retry-After`, and
/// `GET /pyramids/{id}` shows the progress. A finished store is reused after
/// a restart; a failed build is remembered until the source changes.
final class PyramidStores: Sendable {
    /// What a source's store is doing.
    enum State: Sendable {
        case building(done: Int, total: Int, started: ContinuousClock.Instant)
        case ready(StoredPyramid)
        case failed(ServiceError)
    }

    /// The settings.
    let configuration: PyramidLimits
    /// Where the stores are (created on first use).
    let directory: String
    private let jpegQuality: Int
    private let maxJPEGScans: Int
    private let states = Mutex<[String: State]>([:])
    private let builds: WorkPool

    init(configuration: PyramidLimits, directory: String, jpegQuality: Int, maxJPEGScans: Int) {
        self.configuration = configuration
        self.directory = directory
        self.jpegQuality = jpegQuality
        self.maxJPEGScans = maxJPEGScans
        let queue = configuration.maxQueuedBuilds
        builds = WorkPool(name: "pyramid", threads: configuration.builds, queueLimit: queue, niceness: 10) {
            ServiceError(503, "busy: \(queue) tile pyramids are waiting to be built; retry later", retryAfter: 30)
        }
    }

    /// Whether a source of this size is served from a tile store.
    func serves(_ header: ImageHeader) -> Bool { header.pixelCount > configuration.thresholdPixels }

    /// The finished store of `file`. Otherwise starts its build (once) and
    /// throws 503 with `Retry-After` while it runs, or the build's error.
    ///
    /// Call it on a pool thread: the first call looks for a store on disk.
    func pyramid(_ file: SourceFile) throws -> StoredPyramid {
        switch try state(file) {
        case .ready(let pyramid): return pyramid
        case .failed(let error): throw error
        case .building(let done, let total, let started):
            throw ServiceError(
                503,
                "\(file.identifier): building its tile pyramid, \(Self.percent(done, total)) done; "
                    + "GET /pyramids/\(file.identifier) shows the progress",
                retryAfter: Self.retryAfter(done: done, total: total, since: started))
        }
    }

    /// The state of `file`'s store, starting its build when there is none
    /// (call on a pool thread).
    func state(_ file: SourceFile) throws -> State {
        let key = Self.key(file)
        if let known = states.withLock({ $0[key] }) { return known }
        let path = storePath(key)
        if FileManager.default.fileExists(atPath: path), let pyramid = try? StoredPyramid(path: path),
            pyramid.metadata["source_version"] == file.version
        {
            touch(path)
            return states.withLock { states in
                if let raced = states[key] { return raced }
                states[key] = .ready(pyramid)
                return .ready(pyramid)
            }
        }
        let starting = states.withLock { states -> State? in
            if let raced = states[key] { return raced }
            states[key] = .building(done: 0, total: 0, started: .now)
            return nil
        }
        if let starting { return starting }
        let accepted = builds.submit { [self] in build(file, key: key) }
        if !accepted {
            _ = states.withLock { $0.removeValue(forKey: key) }
            throw builds.busyError()
        }
        return .building(done: 0, total: 0, started: .now)
    }

    /// The known state of `file`'s store without starting anything.
    func knownState(_ file: SourceFile) -> State? { states.withLock { $0[Self.key(file)] } }

    private func build(_ file: SourceFile, key: String) {
        let started = ContinuousClock.now
        let outcome: State
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = storePath(key)
            guard let source = try RowSources.open(path: file.path, maxScans: maxJPEGScans) else {
                throw ServiceError(
                    413,
                    "\(file.identifier) is too large to decode whole and cannot be read strip by strip "
                        + "(a progressive or rotated JPEG, or an interlaced PNG)")
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
            try StoredPyramid.build(
                from: source, into: path, quality: jpegQuality, jobs: configuration.jobs,
                metadata: ["source": file.identifier, "source_version": file.version]
            ) { done, total in
                self.states.withLock { $0[key] = .building(done: done, total: total, started: started) }
            }
            outcome = .ready(try StoredPyramid(path: path))
            evict(keeping: path)
        } catch let error as ServiceError {
            outcome = .failed(error)
        } catch let error as ImagingError {
            let status = error.code == .io ? 500 : 422
            outcome = .failed(ServiceError(status, "\(file.identifier): its tile pyramid failed: \(error.message)"))
        } catch {
            outcome = .failed(ServiceError(500, "\(file.identifier): its tile pyramid failed: \(error)"))
        }
        states.withLock { $0[key] = outcome }
    }

    /// Removes the least recently used stores while the folder holds more than
    /// the byte budget, never `keeping`.
    private func evict(keeping: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        var stores: [(path: String, size: Int, used: Date)] = names.filter { $0.hasSuffix(".tiles") }.compactMap { name in
            let path = directory + "/" + name
            guard let attributes = try? fm.attributesOfItem(atPath: path) else { return nil }
            return (path, (attributes[.size] as? Int) ?? 0, (attributes[.modificationDate] as? Date) ?? .distantPast)
        }
        var total = stores.reduce(0) { $0 + $1.size }
        stores.sort { $0.used < $1.used }
        for store in stores where total > configuration.budgetBytes && store.path != keeping {
            try? fm.removeItem(atPath: store.path)
            total -= store.size
            let key = ((store.path as NSString).lastPathComponent as NSString).deletingPathExtension
            _ = states.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// Marks a store as used (its modification time orders eviction).
    private func touch(_ path: String) {
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
    }

    private func storePath(_ key: String) -> String { directory + "/" + key + ".tiles" }

    /// The store's file name: SHA-256 of the source's path and version (hex).
    static func key(_ file: SourceFile) -> String {
        SHA256.hash(data: Data((file.path + "\n" + file.version).utf8)).map { String(format: "%02x", $0) }.joined()
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
    /// Largest IIIF output of a source served from a tile store, in pixels
    /// (`--max-pyramid-output-mp`): what one render of it may hold is about
    /// five times this in bytes.
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
