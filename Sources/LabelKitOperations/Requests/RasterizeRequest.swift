import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// `rasterize` (`labelkit rasterize` and `POST /v1/rasterize`): Label Studio
/// regions to one mask (the union, or the semantic mask of class ids), or to one
/// mask per region.
public struct RasterizeRequest: Sendable {
    /// The regions, already checked against ``config`` when there is one.
    public var document: RegionsDocument
    /// The answer's format.
    public var format: RasterizeFormat
    /// Polygon fill rule.
    public var rule: FillRule
    /// The project's labeling config (needed by `semantic`).
    public var config: LabelingConfig?

    /// A request.
    public init(
        document: RegionsDocument, format: RasterizeFormat = .ls, rule: FillRule = .evenOdd,
        config: LabelingConfig? = nil
    ) {
        self.document = document
        self.format = format
        self.rule = rule
        self.config = config
    }

    /// The union of the regions in the request's mask format, or the semantic mask
    /// (the first label's class id + 1 per pixel, later regions on top).
    ///
    /// - Throws: ``FormatsError`` for `semantic` without a config or a label without a
    ///   class, or the encoder's error.
    public func run() throws -> OperationOutput {
        guard let maskFormat = format.maskFormat else {
            guard let config else {
                throw FormatsError(.invalidField, "format semantic needs the labeling config (the class ids come from it)")
            }
            return .png(try PNGCodec.encode(document.semanticMask(classes: LabelMap(config: config), rule: rule)))
        }
        return try .union(
            of: document.regions.map(\.shape), rule: rule, width: document.width, height: document.height, as: maskFormat)
    }

    /// One mask per region, in document order, with the region's id.
    ///
    /// - Throws: ``FormatsError`` for `semantic` (one mask of all regions only), or the
    ///   encoder's error.
    public func perRegion() throws -> [(id: String, output: OperationOutput)] {
        guard let maskFormat = format.maskFormat else {
            throw FormatsError(.invalidField, "format semantic is one mask of all regions: it has no per_region form")
        }
        return try document.regions.map { region in
            (region.id, try .union(
                of: [region.shape], rule: rule, width: document.width, height: document.height, as: maskFormat))
        }
    }
}
