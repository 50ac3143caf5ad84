import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

extension RegionDuplicator {
    /// The item moved by `offset` (geometry-free items are returned unchanged).
    static func moved(_ item: [String: Any], by offset: Offset) throws(FormatsError) -> [String: Any] {
        guard var value = item["value"] as? [String: Any], let kind = LabelStudioRegion.kind(of: item) else {
            return item
        }
        let id = item["id"] as? String ?? "?"
        let w = Double(JSONNumber.integer(item["original_width"]) ?? 0)
        let h = Double(JSONNumber.integer(item["original_height"]) ?? 0)
        let dx: Double, dy: Double
        switch offset {
        case .percent(let px, let py):
            (dx, dy) = (px, py)
        case .pixels(let px, let py):
            guard w > 0, h > 0 else {
                throw FormatsError(.missingField, "region \"\(id)\": a pixel offset needs original_width/height")
            }
            (dx, dy) = (px / w * 100, py / h * 100)
        }
        guard dx != 0 || dy != 0 else { return item }
        switch kind {
        case .rectangle, .ellipse, .keypoint:
            value["x"] = try number(value["x"], "x", id) + dx
            value["y"] = try number(value["y"], "y", id) + dy
        case .polygon:
            value["points"] = try points(value["points"], id).map { [$0.x + dx, $0.y + dy] }
        case .brush, .bitmask:
            let mask = try brushMask(item, id: id)
            let shifted = mask.shifted(dx: Int((dx / 100 * w).rounded()), dy: Int((dy / 100 * h).rounded()))
            try store(shifted, kind, in: &value, id)
        }
        var copy = item
        copy["value"] = value
        return copy
    }

    /// The item placed on a `width x height` image, or nil when clipping drops it.
    static func pasted(_ item: [String: Any], width: Int, height: Int, mode: PasteMode) throws(FormatsError)
        -> [String: Any]?
    {
        var copy = item
        let oldW = JSONNumber.integer(item["original_width"]) ?? width
        let oldH = JSONNumber.integer(item["original_height"]) ?? height
        if item["original_width"] != nil { copy["original_width"] = width }
        if item["original_height"] != nil { copy["original_height"] = height }
        guard var value = item["value"] as? [String: Any], let kind = LabelStudioRegion.kind(of: item) else {
            return copy
        }
        let id = item["id"] as? String ?? "?"
        let keepPixels: Bool, clip: Bool
        switch mode {
        case .keepPercent: (keepPixels, clip) = (false, false)
        case .keepPixels(let c): (keepPixels, clip) = (true, c)
        }
        let sx = keepPixels ? Double(oldW) / Double(width) : 1
        let sy = keepPixels ? Double(oldH) / Double(height) : 1
        switch kind {
        case .rectangle, .ellipse, .keypoint:
            for key in ["x", "width", "radiusX"] where value[key] != nil { value[key] = try number(value[key], key, id) * sx }
            for key in ["y", "height", "radiusY"] where value[key] != nil { value[key] = try number(value[key], key, id) * sy }
            if clip {
                let region = try LabelStudioRegion.region(
                    from: ["id": id, "type": item["type"] ?? "", "value": value, "original_width": width,
                        "original_height": height])
                let image = Box(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height))
                guard region.shape.boundingBox.intersects(image) else { return nil }
                if kind == .keypoint, case .keypoint(let d) = region.shape, !image.contains(d.center) { return nil }
                if kind == .rectangle, (try? number(value["rotation"], "rotation", id)) ?? 0 == 0 {
                    let x0 = max(0, try number(value["x"], "x", id)), y0 = max(0, try number(value["y"], "y", id))
                    let x1 = min(100, try number(value["x"], "x", id) + number(value["width"], "width", id))
                    let y1 = min(100, try number(value["y"], "y", id) + number(value["height"], "height", id))
                    value["x"] = x0
                    value["y"] = y0
                    value["width"] = x1 - x0
                    value["height"] = y1 - y0
                }
            }
        case .polygon:
            var pts = try points(value["points"], id).map { Point(x: $0.x * sx, y: $0.y * sy) }
            if clip {
                pts = Polygon.clip(pts, to: Box(minX: 0, minY: 0, maxX: 100, maxY: 100))
                guard pts.count >= 3 else { return nil }
            }
            value["points"] = pts.map { [$0.x, $0.y] }
        case .brush, .bitmask:
            let mask = try brushMask(item, id: id)
            let placed = keepPixels ? mask.resizedCanvas(width: width, height: height)
                : mask.resampledNearest(width: width, height: height)
            if clip && !placed.bytes.contains(where: { $0 != 0 }) { return nil }
            try store(placed, kind, in: &value, id)
        }
        copy["value"] = value
        return copy
    }

    static func number(_ raw: Any?, _ key: String, _ id: String) throws(FormatsError) -> Double {
        guard let n = JSONNumber.finite(raw) else {
            throw FormatsError(.invalidField, "region \"\(id)\": \"value.\(key)\" must be a finite number")
        }
        return n
    }

    static func points(_ raw: Any?, _ id: String) throws(FormatsError) -> [Point] {
        guard let list = raw as? [Any] else {
            throw FormatsError(.invalidField, "region \"\(id)\": \"value.points\" must be a list")
        }
        var out: [Point] = []
        for item in list {
            guard let pair = item as? [Any], pair.count >= 2 else {
                throw FormatsError(.invalidField, "region \"\(id)\": a point must be [x, y]")
            }
            out.append(Point(x: try number(pair[0], "points", id), y: try number(pair[1], "points", id)))
        }
        return out
    }

    static func brushMask(_ item: [String: Any], id: String) throws(FormatsError) -> Mask {
        let region = try LabelStudioRegion.region(from: item)
        guard case .mask(let mask) = region.shape else {
            throw FormatsError(.invalidField, "region \"\(id)\": expected a brush")
        }
        return mask
    }

    /// Writes a moved or placed mask back: brush RLE, or for a bitmask a PNG data
    /// URL (black, alpha from the mask) as Label Studio stores it.
    static func store(_ mask: Mask, _ kind: LabelStudioRegion.Kind, in value: inout [String: Any], _ id: String)
        throws(FormatsError)
    {
        guard kind == .bitmask else {
            value["rle"] = try encode(mask, id)
            return
        }
        var rgba = [UInt8](repeating: 0, count: mask.bytes.count * 4)
        for i in 0..<mask.bytes.count { rgba[4 * i + 3] = mask.bytes[i] }
        do {
            let png = try PNGCodec.encode(Image(width: mask.width, height: mask.height, channels: 4, pixels: rgba))
            value["imageDataURL"] = "data:image/png;base64," + Data(png).base64EncodedString()
        } catch {
            throw FormatsError(.invalidField, "region \"\(id)\": \(error.message)")
        }
    }

    static func encode(_ mask: Mask, _ id: String) throws(FormatsError) -> [Int] {
        do {
            return try LabelStudioRLE.encode(mask).map(Int.init)
        } catch {
            throw FormatsError(.invalidField, "region \"\(id)\": \(error.message)")
        }
    }
}
