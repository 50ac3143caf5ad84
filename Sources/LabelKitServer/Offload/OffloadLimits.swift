import Foundation

/// Bounds on the offload API (`/v1`): input past one of them is refused with a
/// problem naming it (413 for the body, 422 for the rest), before the work that
/// it would cost is done.
public struct OffloadLimits: Sendable, Hashable {
    /// The limits' names, as problems and `GET /v1/limits` give them.
    public enum Name {
        public static let bodyBytes = "body_bytes"
        public static let maskPixels = "mask_pixels"
        public static let regions = "regions"
        public static let vertices = "vertices"
        public static let points = "points"
        public static let jobs = "jobs"
        public static let configBytes = "config_bytes"
    }

    /// Largest request body in bytes.
    public var maxBodyBytes = 32 << 20
    /// Largest mask (width x height) a job may read, draw or decode.
    public var maxMaskPixels = 64 << 20
    /// Most regions (results, masks or strokes) in one job.
    public var maxRegions = 10_000
    /// Most vertices in one polygon, polyline or stroke.
    public var maxVertices = 100_000
    /// Most query points in one hit-test job.
    public var maxPoints = 1_000_000
    /// Most jobs in one batch.
    public var maxJobs = 1_000
    /// Largest labeling config (the `config` field) in bytes.
    public var maxConfigBytes = 1 << 20
    /// Threads running offload work (default: one per core).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Jobs waiting for a thread; more get 503 with `Retry-After`.
    public var queueLimit = 1_024

    /// The default limits.
    public init() {}

    /// The limits as a JSON object (for `GET /v1/limits`).
    func json() -> String {
        "{\"body_bytes\":\(maxBodyBytes),\"mask_pixels\":\(maxMaskPixels),\"regions\":\(maxRegions),"
            + "\"vertices\":\(maxVertices),\"points\":\(maxPoints),\"jobs\":\(maxJobs),"
            + "\"config_bytes\":\(maxConfigBytes),"
            + "\"threads\":\(threads),\"queue\":\(queueLimit)}"
    }

    /// Checks a mask size before anything of that size is allocated.
    func checkMask(width: Int, height: Int, what: String = "the mask") throws(Problem) {
        guard width > 0, height > 0 else { throw Problem.invalid("\(what) size \(width)x\(height) must be positive") }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxMaskPixels else {
            throw Problem.limit(
                Name.maskPixels, maximum: maxMaskPixels,
                "\(what) is \(width)x\(height) pixels; the limit is \(maxMaskPixels) pixels (mask_pixels)")
        }
    }

    /// Checks a count against the limit called `name`.
    func check(_ count: Int, _ name: String, _ what: String) throws(Problem) {
        let maximum: Int
        switch name {
        case Name.regions: maximum = maxRegions
        case Name.vertices: maximum = maxVertices
        case Name.points: maximum = maxPoints
        case Name.jobs: maximum = maxJobs
        case Name.configBytes: maximum = maxConfigBytes
        default: maximum = .max
        }
        guard count <= maximum else {
            throw Problem.limit(name, maximum: maximum, "\(what): \(count); the limit is \(maximum) (\(name))")
        }
    }
}
