import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// `measure` (`labelkit rle measure` and `POST /v1/masks/measure`): the area and
/// box of each mask, pycocotools' IoU matrix against ground-truth masks, and their
/// union and intersection:
///
///     {"masks": [{"area", "bbox"}, ...], "gt": [...], "iou": [[...], ...],
///      "union": {"size", "counts", "area"}, "intersection": {...}}
public struct MeasureRequest: Sendable {
    /// The masks measured.
    public var masks: [COCORLE]
    /// Ground truth for the IoU matrix (none: no `gt` and `iou` in the answer).
    public var groundTruth: [COCORLE]?
    /// Crowd flags of the ground truth (pycocotools' `iscrowd`).
    public var isCrowd: [Bool]
    /// Add the union of the masks.
    public var union: Bool
    /// Add the intersection of the masks.
    public var intersection: Bool

    /// A request.
    public init(
        masks: [COCORLE], groundTruth: [COCORLE]? = nil, isCrowd: [Bool] = [], union: Bool = false,
        intersection: Bool = false
    ) {
        self.masks = masks
        self.groundTruth = groundTruth
        self.isCrowd = isCrowd
        self.union = union
        self.intersection = intersection
    }

    /// The measurements document.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` when a union or intersection is
    ///   asked of no masks, or of masks of different sizes.
    public func run() throws(FormatsError) -> OperationOutput {
        func stats(_ list: [COCORLE]) -> String {
            "["
                + list.map {
                    "{\"area\":\($0.area),\"bbox\":[" + $0.boundingBox.map(JSONText.number).joined(separator: ",") + "]}"
                }
                .joined(separator: ",") + "]"
        }
        var out = "{\"masks\":" + stats(masks)
        if let groundTruth {
            out += ",\"gt\":" + stats(groundTruth)
            let matrix = COCORLE.iou(masks, groundTruth, isCrowd: isCrowd)
            out +=
                ",\"iou\":["
                + matrix.map { "[" + $0.map(JSONText.number).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }
        for (key, intersect, wanted) in [("union", false, union), ("intersection", true, intersection)] where wanted {
            guard !masks.isEmpty else { throw FormatsError(.invalidField, "\"\(key)\" needs at least one mask") }
            do {
                let merged = try COCORLE.merge(masks, intersect: intersect)
                out += ",\"\(key)\":" + COCORLEDocument.json(merged).dropLast() + ",\"area\":\(merged.area)}"
            } catch {
                throw FormatsError(.invalidField, "\(key): \(error.message)")
            }
        }
        return .json(out + "}")
    }
}
