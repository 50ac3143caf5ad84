import Foundation
import LabelKitCore
import LabelKitJSON

/// COCO polygon input: `{"width", "height", "polygons": [[x1, y1, x2, y2, ...], ...]}`
/// in pixels (a `"segmentation"` key is accepted for `"polygons"`).
public struct COCOPolygonsDocument: Sendable {
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int
    /// Flat coordinate lists, one per polygon part.
    public var polygons: [[Double]]

    /// Parses the document.
    ///
    /// - Throws: ``FormatsError`` naming the polygon and coordinate at fault.
    public init(json: Data) throws(FormatsError) {
        try self.init(object: try JSONFields.parse(json))
    }

    /// Reads the document from an already decoded JSON value (``ExactJSON``).
    public init(object root: Any) throws(FormatsError) {
        guard let object = root as? [String: Any] else {
            throw FormatsError(.invalidField, "expected {\"width\", \"height\", \"polygons\": [[x1, y1, ...], ...]}")
        }
        width = try JSONFields.requiredInteger(object, "width", in: "COCO polygons")
        height = try JSONFields.requiredInteger(object, "height", in: "COCO polygons")
        guard let list = (object["polygons"] ?? object["segmentation"]) as? [Any] else {
            throw FormatsError(.missingField, "COCO polygons: missing list \"polygons\"")
        }
        var polygons: [[Double]] = []
        for (i, item) in list.enumerated() {
            guard let coordinates = item as? [Any] else {
                throw FormatsError(.invalidField, "polygons[\(i)] must be a flat list [x1, y1, x2, y2, ...]")
            }
            var part: [Double] = []
            part.reserveCapacity(coordinates.count)
            for (k, value) in coordinates.enumerated() {
                guard let number = JSONNumber.coordinate(value), number.isFinite else {
                    throw FormatsError(.invalidField, "polygons[\(i)][\(k)] is not a finite number")
                }
                part.append(number)
            }
            polygons.append(part)
        }
        self.polygons = polygons
    }

    /// Rasterizes every part with COCO's own algorithm and unions them, as
    /// pycocotools `annToRLE` does for a polygon segmentation.
    ///
    /// - Throws: ``FormatsError`` naming the part at fault.
    public func rle() throws(FormatsError) -> COCORLE {
        var parts: [COCORLE] = []
        parts.reserveCapacity(polygons.count)
        for (i, polygon) in polygons.enumerated() {
            do {
                parts.append(try COCORLE(polygon: polygon, height: height, width: width))
            } catch {
                throw FormatsError(.invalidField, "polygons[\(i)]: \(error.message)")
            }
        }
        if parts.isEmpty {
            do {
                return try COCORLE(height: height, width: width, counts: [UInt32(height * width)])
            } catch {
                throw FormatsError(.invalidField, "COCO polygons: \(error.message)")
            }
        }
        do {
            return try COCORLE.merge(parts)
        } catch {
            throw FormatsError(.invalidField, "COCO polygons: \(error.message)")
        }
    }
}
