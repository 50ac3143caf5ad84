import LabelKitCore
import LabelKitFormats

/// `hit-test` (the command line's and `POST /v1/hit-test`'s): the visible regions
/// under each point, top-most first (``RegionIndex``), as `[{"hits": [...]}, ...]`.
public struct HitTestRequest: Sendable {
    /// The scene.
    public var regions: RegionsDocument
    /// The query points, in pixels.
    public var points: [Point]
    /// Polygon fill rule.
    public var rule: FillRule
    /// Distance within which a point on an outline counts as inside.
    public var tolerance: Double
    /// Leave out locked regions.
    public var skipLocked: Bool

    /// A request.
    public init(
        regions: RegionsDocument, points: [Point], rule: FillRule = .evenOdd, tolerance: Double = Geometry.tolerance,
        skipLocked: Bool = false
    ) {
        self.regions = regions
        self.points = points
        self.rule = rule
        self.tolerance = tolerance
        self.skipLocked = skipLocked
    }

    /// The hits of every point (``HitListDocument``).
    public func run() -> OperationOutput {
        let index = RegionIndex(regions: regions.regions, rule: rule, tolerance: tolerance)
        let hits = index.hitIndices(for: points, includeLocked: !skipLocked)
        return .json(HitListDocument.json(ids: regions.regions.map(\.id), hits: hits))
    }
}
