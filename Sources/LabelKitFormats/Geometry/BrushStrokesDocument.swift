import LabelKitCore
import LabelKitJSON

/// Brush strokes as JSON: `[{"points", "size", "mode"}, ...]`, each stroke's
/// points a flat `[x1, y1, x2, y2, ...]` list (Label Studio's `touches[].points`),
/// `[[x, y], ...]` or `[{"x", "y"}, ...]` in pixels, `size` the brush diameter
/// (or Label Studio's `strokeWidth`), `mode` `add` or `erase` (or its
/// `compositeOperation`, `source-over` / `destination-out`).
public enum BrushStrokesDocument {
    /// The strokes of a list, in order.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the stroke and field at fault.
    public static func strokes(from list: [Any]) throws(FormatsError) -> [BrushStroke] {
        var strokes: [BrushStroke] = []
        for (i, item) in list.enumerated() {
            guard let stroke = item as? [String: Any] else {
                throw FormatsError(.invalidField, "strokes[\(i)] must be an object")
            }
            guard let raw = stroke["points"] as? [Any] else {
                throw FormatsError(.invalidField, "strokes[\(i)].points must be a list")
            }
            let points = try Self.points(raw, what: "strokes[\(i)].points")
            guard let size = JSONNumber.finite(stroke["size"] ?? stroke["strokeWidth"]), size >= 0 else {
                throw FormatsError(
                    .invalidField, "strokes[\(i)].size must be a number >= 0 (the brush diameter in pixels)")
            }
            let mode: BrushStroke.Mode
            switch (stroke["mode"] ?? stroke["compositeOperation"]) as? String ?? "add" {
            case "add", "source-over": mode = .add
            case "erase", "destination-out": mode = .erase
            default: throw FormatsError(.invalidField, "strokes[\(i)].mode must be add or erase")
            }
            strokes.append(BrushStroke(points: points, size: size, mode: mode))
        }
        return strokes
    }

    /// Stroke points in any of the three forms.
    static func points(_ raw: [Any], what: String) throws(FormatsError) -> [Point] {
        if raw.allSatisfy({ JSONNumber.finite($0) != nil }) {
            guard raw.count % 2 == 0 else { throw FormatsError(.invalidField, "\(what): a flat list needs an even count") }
            return stride(from: 0, to: raw.count, by: 2).map {
                Point(x: JSONNumber.finite(raw[$0])!, y: JSONNumber.finite(raw[$0 + 1])!)
            }
        }
        do {
            return try PointList.points(from: raw)
        } catch {
            throw FormatsError(error.code, "\(what): \(error.message)")
        }
    }
}
