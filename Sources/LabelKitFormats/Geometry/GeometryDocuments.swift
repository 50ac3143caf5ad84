import LabelKitCore
import LabelKitJSON

/// The vectorisation output `{"width", "height", "contours": [{"outer": [[x, y], ...],
/// "holes": [[[x, y], ...], ...]}]}`, as `labelkit vectorize` and `POST /v1/vectorize`
/// write it.
public enum ContoursDocument {
    /// The compact JSON text (integers without a fraction).
    public static func json(width: Int, height: Int, contours: [MaskContour]) -> String {
        func ring(_ points: [Point]) -> String {
            "[" + points.map { "[\(JSONText.number($0.x)),\(JSONText.number($0.y))]" }.joined(separator: ",") + "]"
        }
        let body = contours.map { c in
            "{\"outer\":\(ring(c.outer)),\"holes\":[" + c.holes.map(ring).joined(separator: ",") + "]}"
        }
        return "{\"width\":\(width),\"height\":\(height),\"contours\":[" + body.joined(separator: ",") + "]}"
    }
}

/// The hit-test output `[{"hits": [ids, top-most first]}, ...]`, one object per
/// point in order, as `labelkit hit-test` and `POST /v1/hit-test` write it.
public enum HitListDocument {
    /// The compact JSON text for the regions' ids and the hits of each point.
    public static func json(ids: [String], hits: BatchHits) -> String {
        let quotedIDs = ids.map(JSONText.quoted)
        var out = "["
        for i in 0..<hits.count {
            if i > 0 { out += "," }
            out += "{\"hits\":[" + hits[i].map { quotedIDs[$0] }.joined(separator: ",") + "]}"
        }
        return out + "]"
    }
}
