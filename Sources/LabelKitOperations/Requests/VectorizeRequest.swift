import LabelKitCore
import LabelKitFormats

/// `vectorize` (the command line's and `POST /v1/vectorize`'s): a mask's outlines
/// as polygons with holes (``ContoursDocument``).
public struct VectorizeRequest: Sendable {
    /// The mask (non-zero is inside).
    public var mask: Mask
    /// Douglas-Peucker tolerance in pixels (0: the exact outlines).
    public var simplify: Double
    /// Coordinates in percent of the image size, as Label Studio's polygons.
    public var percent: Bool

    /// A request.
    public init(mask: Mask, simplify: Double = 0, percent: Bool = false) {
        self.mask = mask
        self.simplify = simplify
        self.percent = percent
    }

    /// The contours document.
    public func run() -> OperationOutput {
        var contours = mask.contours()
        if simplify > 0 { contours = contours.map { $0.simplified(tolerance: simplify) } }
        if percent { contours = contours.map { $0.percent(width: mask.width, height: mask.height) } }
        return .json(ContoursDocument.json(width: mask.width, height: mask.height, contours: contours))
    }
}
