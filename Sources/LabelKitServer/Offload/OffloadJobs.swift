import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitOperations

/// What a job answers: the operation's output.
typealias OffloadOutput = OperationOutput

extension OperationOutput {
    /// The output as a JSON value inside a batch (a PNG as `{"png": base64}`).
    var batchJSON: String {
        switch self {
        case .json(let text): return text
        case .png(let bytes): return "{\"png\":\"" + Data(bytes).base64EncodedString() + "\"}"
        }
    }
}

/// The offload endpoints and the work each does on one job. Every body is the
/// command line's input document, with the command's flags as extra fields
/// (snake case) or query parameters; every answer is the command's JSON.
enum OffloadEndpoint: String, CaseIterable, Sendable {
    case rasterize
    case rleEncode = "rle/encode"
    case rleDecode = "rle/decode"
    case rleConvert = "rle/convert"
    case measure = "masks/measure"
    case vectorize
    case brush
    case hitTest = "hit-test"
    case duplicate

    /// The route path.
    var path: String { "/v1/" + rawValue }

    /// The methods a path of the offload API takes (`Allow`), nil for other paths.
    static func allowedMethods(path: String) -> String? {
        switch path {
        case "/openapi.json", "/v1/limits", "/v1/metrics": return "GET, HEAD"
        default: return allCases.contains { $0.path == path } ? "POST" : nil
        }
    }

    /// Checks the request's query parameters (each job's fields are checked when
    /// it runs), so a malformed option fails the whole request even when every
    /// job overrides it.
    func checkQuery(_ query: [String: String]) throws {
        let o = JobOptions(objects: [], query: query)
        switch self {
        case .rasterize:
            _ = (
                try o.choice("format", RasterizeFormat.self), try o.choice("rule", FillRule.self),
                try o.bool("per_region")
            )
        case .rleEncode: _ = (try o.choice("format", RLEFormat.self), try o.int("threshold", in: 0...255))
        case .rleDecode: _ = try o.choice("format", RLEFormat.self)
        case .rleConvert: _ = (try o.choice("from", RLEFormat.self), try o.choice("to", RLEFormat.self))
        case .measure: _ = (try o.bool("union"), try o.bool("intersection"))
        case .vectorize: _ = (try o.double("simplify", minimum: 0), try o.bool("percent"))
        case .brush: _ = try o.choice("format", MaskFormat.self)
        case .hitTest:
            _ = (
                try o.choice("rule", FillRule.self), try o.double("tolerance", minimum: 0),
                try o.bool("skip_locked")
            )
        case .duplicate:
            _ = (
                try o.string("id"), try o.double("dx"), try o.double("dy"), try o.bool("percent"),
                try o.bool("link_parent")
            )
            _ = (try o.int("paste_width", in: 1...Int(Int32.max)), try o.int("paste_height", in: 1...Int(Int32.max)))
            _ = (try o.choice("keep", ["percent", "pixels"]), try o.bool("clip"), try o.int("seed", in: 0...Int.max))
            if let grid = try o.string("grid") { _ = try RegionDuplicator.grid(grid) }
        }
    }

    /// Endpoints that take a raw `image/png` body.
    var takesPNG: Bool { self == .rleEncode || self == .vectorize || self == .measure }

    /// Runs one job.
    ///
    /// - Parameter value: the job's JSON value, or a ``PNGBody``.
    /// - Parameter preferPNG: the request's `Accept` prefers `image/png`.
    /// A PNG body only reaches endpoints that take one (``OffloadRequest/parse()`` answers 415).
    func run(_ value: Any, options: JobOptions, limits: OffloadLimits, preferPNG: Bool) throws -> OffloadOutput {
        switch self {
        case .rasterize: return try Self.rasterize(value, options, limits, preferPNG: preferPNG)
        case .rleEncode: return try Self.encode(value, options, limits)
        case .rleDecode: return try Self.decode(value, options, limits)
        case .rleConvert: return try Self.convert(value, options, limits)
        case .measure: return try Self.measure(value, options, limits)
        case .vectorize: return try Self.vectorize(value, options, limits)
        case .brush: return try Self.brush(value, options, limits, preferPNG: preferPNG)
        case .hitTest: return try Self.hitTest(value, options, limits)
        case .duplicate: return try Self.duplicate(value, options, limits)
        }
    }
}
