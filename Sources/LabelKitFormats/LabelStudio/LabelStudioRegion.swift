import Foundation
import LabelKitCore
import LabelKitJSON

/// Reads Label Studio result items (one element of `annotation.result[]`) into
/// core ``Region`` values, converting percent coordinates to pixels once:
/// `x_px = x / 100 * original_width`, `y_px = y / 100 * original_height`.
///
/// Every check names the region: non-finite numbers, negative sizes, empty
/// polygons, unknown types and brush RLE that does not decode are
/// ``FormatsError`` values whose message starts with `region "<id>"`.
public enum LabelStudioRegion {
    /// The image types a result can have, by geometry.
    public enum Kind: String, Sendable {
        case rectangle, ellipse, polygon, keypoint, brush
        /// BitmaskLabels (Label Studio 1.2x): a PNG data URL in `value.imageDataURL`.
        case bitmask
    }

    /// The geometry kind of a result: from its `type` (`rectanglelabels`, ...), or
    /// for the generic `labels` type from the fields of its `value`.
    ///
    /// - Returns: nil for types without image geometry (`choices`, `textarea`,
    ///   `relation`, ...).
    public static func kind(of result: [String: Any]) -> Kind? {
        let type = (result["type"] as? String ?? "").lowercased()
        switch type {
        case "rectanglelabels", "rectangle": return .rectangle
        case "ellipselabels", "ellipse": return .ellipse
        case "polygonlabels", "polygon": return .polygon
        case "keypointlabels", "keypoint": return .keypoint
        case "brushlabels", "brush": return .brush
        case "bitmasklabels", "bitmask": return .bitmask
        case "labels":
            let value = result["value"] as? [String: Any] ?? [:]
            if value["rle"] != nil { return .brush }
            if value["imageDataURL"] != nil { return .bitmask }
            if value["points"] != nil { return .polygon }
            if value["radiusX"] != nil { return .ellipse }
            if value["height"] != nil { return .rectangle }
            if value["width"] != nil { return .keypoint }
            return nil
        default: return nil
        }
    }

    /// Converts one result item to a region of an image of `width x height` pixels
    /// (the result's own `original_width`/`original_height` win when present).
    ///
    /// - Throws: ``FormatsError`` naming the region and the field at fault.
    public static func region(from result: [String: Any], width: Int? = nil, height: Int? = nil) throws(FormatsError)
        -> Region
    {
        let id = (result["id"] as? String) ?? (JSONNumber.integer(result["id"]).map(String.init)) ?? "?"
        let context = "region \"\(id)\""
        guard let kind = kind(of: result) else {
            let type = result["type"] as? String ?? "(none)"
            throw FormatsError(.unsupportedRegion, "\(context): type \"\(type)\" has no image geometry")
        }
        guard let value = result["value"] as? [String: Any] else {
            throw FormatsError(.missingField, "\(context): missing object \"value\"")
        }
        let w = JSONNumber.integer(result["original_width"]) ?? width
        let h = JSONNumber.integer(result["original_height"]) ?? height
        guard let w, let h else {
            throw FormatsError(.missingField, "\(context): missing \"original_width\"/\"original_height\"")
        }
        guard w > 0, h > 0 else {
            throw FormatsError(.invalidField, "\(context): image size \(w)x\(h) must be positive")
        }
        let reader = ValueReader(value: value, context: context, width: Double(w), height: Double(h))
        let shape: Shape
        switch kind {
        case .rectangle:
            let rect = RotatedRect(
                origin: Point(x: try reader.x("x"), y: try reader.y("y")),
                width: try reader.size("width", horizontal: true), height: try reader.size("height", horizontal: false),
                rotation: try reader.number("rotation", default: 0))
            shape = .rectangle(rect)
        case .ellipse:
            let ellipse = Ellipse(
                center: Point(x: try reader.x("x"), y: try reader.y("y")),
                radiusX: try reader.size("radiusX", horizontal: true),
                radiusY: try reader.size("radiusY", horizontal: false),
                rotation: try reader.number("rotation", default: 0))
            shape = .ellipse(ellipse)
        case .polygon:
            shape = .polygon(Polygon(points: try reader.points("points")))
        case .keypoint:
            let radius = value["width"] == nil ? 0 : try reader.size("width", horizontal: true)
            shape = .keypoint(Disc(center: Point(x: try reader.x("x"), y: try reader.y("y")), radius: radius))
        case .brush:
            let rle = try JSONFields.bytes(value["rle"], field: "\(context): value.rle")
            do {
                shape = .mask(try LabelStudioRLE.decodeMask(rle, width: w, height: h))
            } catch {
                throw FormatsError(.invalidField, "\(context): brush RLE: \(error.message)")
            }
        case .bitmask:
            shape = .mask(try BitmaskImage.mask(value["imageDataURL"], width: w, height: h, context: context))
        }
        let labelKey = (result["type"] as? String ?? "").lowercased()
        let labels = (value[labelKey] as? [String]) ?? (value["labels"] as? [String]) ?? []
        let hidden = (result["hidden"] as? Bool) ?? false
        let locked = (result["readonly"] as? Bool) ?? (result["locked"] as? Bool) ?? false
        return Region(id: id, shape: shape, labels: labels, isHidden: hidden, isLocked: locked)
    }
}

/// Reads numbers from a result's `value`, naming the region and field in errors.
struct ValueReader {
    let value: [String: Any]
    let context: String
    let width: Double, height: Double

    func number(_ key: String, default fallback: Double? = nil) throws(FormatsError) -> Double {
        guard let raw = value[key] else {
            if let fallback { return fallback }
            throw FormatsError(.missingField, "\(context): missing \"value.\(key)\"")
        }
        guard let number = raw as? NSNumber, !(raw is String) else {
            throw FormatsError(.invalidField, "\(context): \"value.\(key)\" must be a number")
        }
        let double = number.doubleValue
        guard double.isFinite else {
            throw FormatsError(.invalidField, "\(context): \"value.\(key)\" is not finite (\(double))")
        }
        return double
    }

    /// A horizontal percent coordinate in pixels.
    func x(_ key: String) throws(FormatsError) -> Double { try pixels(try number(key) / 100 * width, key) }
    /// A vertical percent coordinate in pixels.
    func y(_ key: String) throws(FormatsError) -> Double { try pixels(try number(key) / 100 * height, key) }

    /// A converted value, refused when the conversion overflowed.
    func pixels(_ value: Double, _ key: String) throws(FormatsError) -> Double {
        guard value.isFinite else {
            throw FormatsError(.invalidField, "\(context): \"value.\(key)\" is too large to convert to pixels")
        }
        return value
    }

    /// A non-negative percent size in pixels.
    func size(_ key: String, horizontal: Bool) throws(FormatsError) -> Double {
        let percent = try number(key)
        guard percent >= 0 else {
            throw FormatsError(.invalidField, "\(context): \"value.\(key)\" is negative (\(percent))")
        }
        return try pixels(percent / 100 * (horizontal ? width : height), key)
    }

    /// A non-empty `[[x, y], ...]` list in pixels.
    func points(_ key: String) throws(FormatsError) -> [Point] {
        guard let list = value[key] as? [Any] else {
            throw FormatsError(.missingField, "\(context): missing list \"value.\(key)\"")
        }
        guard !list.isEmpty else {
            throw FormatsError(.invalidField, "\(context): \"value.\(key)\" is empty")
        }
        var points: [Point] = []
        points.reserveCapacity(list.count)
        for (i, item) in list.enumerated() {
            guard let pair = item as? [Any], pair.count >= 2, let x = JSONNumber.coordinate(pair[0]),
                let y = JSONNumber.coordinate(pair[1])
            else {
                throw FormatsError(.invalidField, "\(context): \"value.\(key)[\(i)]\" must be [x, y]")
            }
            guard x.isFinite, y.isFinite else {
                throw FormatsError(.invalidField, "\(context): \"value.\(key)[\(i)]\" is not finite")
            }
            points.append(Point(x: try pixels(x / 100 * width, key), y: try pixels(y / 100 * height, key)))
        }
        return points
    }
}
