import Foundation
import LabelKitCore
import LabelKitJSON

/// Query points for hit-testing: a JSON list of `{"x", "y"}` in pixels, or an
/// object holding such a list under `"queries"` or `"points"` (so a scene file
/// with queries is valid input). Extra fields are ignored.
public enum PointList {
    /// Parses the points.
    ///
    /// - Throws: ``FormatsError`` naming the index of a malformed point.
    public static func parse(_ json: Data) throws(FormatsError) -> [Point] {
        try points(from: JSONFields.parse(json))
    }

    /// Reads points from a decoded JSON value.
    public static func points(from root: Any) throws(FormatsError) -> [Point] {
        let list: [Any]
        if let array = root as? [Any] {
            list = array
        } else if let object = root as? [String: Any], let array = (object["queries"] ?? object["points"]) as? [Any] {
            list = array
        } else {
            throw FormatsError(.invalidField, "expected a list of {\"x\", \"y\"} points (or \"queries\": [...])")
        }
        var points: [Point] = []
        points.reserveCapacity(list.count)
        for (i, item) in list.enumerated() {
            let x: Double?, y: Double?
            if let object = item as? [String: Any] {
                x = object["x"].flatMap(JSONNumber.coordinate)
                y = object["y"].flatMap(JSONNumber.coordinate)
            } else if let pair = item as? [Any], pair.count == 2 {
                x = JSONNumber.coordinate(pair[0])
                y = JSONNumber.coordinate(pair[1])
            } else {
                x = nil
                y = nil
            }
            guard let x, let y, x.isFinite, y.isFinite else {
                throw FormatsError(.invalidField, "points[\(i)] must be {\"x\": number, \"y\": number} with finite values")
            }
            points.append(Point(x: x, y: y))
        }
        return points
    }
}
