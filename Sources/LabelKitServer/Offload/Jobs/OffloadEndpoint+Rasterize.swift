import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

// Rasterize and brush: regions and strokes to masks.
extension OffloadEndpoint {
    /// `labelkit rasterize`: regions -> one mask (or one per region).
    static func rasterize(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits, preferPNG: Bool) throws
        -> OffloadOutput
    {
        let config = try options.labelingConfig(limits)
        let document = try RegionsPrecheck.document(value, limits: limits, config: config)
        let format = try options.choice("format", RasterizeFormat.self) ?? (preferPNG ? .png : .ls)
        let rule = try options.choice("rule", FillRule.self) ?? .evenOdd
        let (width, height) = (document.width, document.height)
        let perRegion = try options.bool("per_region") == true
        guard let maskFormat = format.maskFormat else {
            guard let config, !perRegion else {
                throw Problem.invalid("format semantic needs \"config\" (the class ids come from it) and no per_region")
            }
            do {
                return .png(try PNGCodec.encode(document.semanticMask(classes: LabelMap(config: config), rule: rule)))
            } catch let error as FormatsError {
                throw Problem.invalid(error.message)
            }
        }
        if perRegion {
            if maskFormat != .ls {
                // COCO and PNG outputs paint one full mask per region: their total is bounded too.
                let total = width.multipliedReportingOverflow(by: height * document.regions.count)
                guard !total.overflow, total.partialValue <= limits.maxMaskPixels * 16 else {
                    throw Problem.limit(
                        OffloadLimits.Name.maskPixels, maximum: limits.maxMaskPixels * 16,
                        "per_region \(format) paints \(document.regions.count) masks of \(width)x\(height); "
                            + "their total is limited to 16 x mask_pixels (use format ls, which paints none)")
                }
            }
            var parts: [String] = []
            for region in document.regions {
                let body = try OperationOutput.union(
                    of: [region.shape], rule: rule, width: width, height: height, as: maskFormat
                ).batchJSON
                parts.append("{\"id\":" + JSONText.quoted(region.id) + "," + body.dropFirst())
            }
            return .json(
                "{\"width\":\(document.width),\"height\":\(document.height),\"regions\":["
                    + parts.joined(separator: ",")
                    + "]}")
        }
        return try OperationOutput.union(
            of: document.regions.map(\.shape), rule: rule, width: width, height: height, as: maskFormat)
    }

    /// Brush strokes (add and erase, in order) over an empty or given mask.
    static func brush(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits, preferPNG: Bool) throws
        -> OffloadOutput
    {
        guard let object = value as? [String: Any] else {
            throw Problem.invalid("expected {\"width\", \"height\", \"strokes\": [{\"points\", \"size\", \"mode\"}]}")
        }
        let format = try options.choice("format", MaskFormat.self) ?? (preferPNG ? .png : .ls)
        var mask: Mask
        if let base = object["base"] {
            mask = try MaskSource.read(base, limits: limits, what: "base").mask(what: "base")
            if let w = JSONNumber.integer(object["width"]), let h = JSONNumber.integer(object["height"]),
                (w, h) != (mask.width, mask.height)
            {
                throw Problem.invalid("base is \(mask.width)x\(mask.height), not \(w)x\(h)")
            }
        } else {
            guard let w = JSONNumber.integer(object["width"]), let h = JSONNumber.integer(object["height"]) else {
                throw Problem.invalid("\"width\" and \"height\" (integers) are required without \"base\"")
            }
            try limits.checkMask(width: w, height: h)
            mask = Mask(width: w, height: h)
        }
        guard let list = object["strokes"] as? [Any] else { throw Problem.invalid("\"strokes\" must be a list") }
        try limits.check(list.count, OffloadLimits.Name.regions, "strokes in the job")
        var strokes: [BrushStroke] = []
        for (i, item) in list.enumerated() {
            guard let stroke = item as? [String: Any] else { throw Problem.invalid("strokes[\(i)] must be an object") }
            guard let raw = stroke["points"] as? [Any] else {
                throw Problem.invalid("strokes[\(i)].points must be a list")
            }
            let points = try strokePoints(raw, what: "strokes[\(i)].points")
            try limits.check(points.count, OffloadLimits.Name.vertices, "points of strokes[\(i)]")
            guard let size = JSONNumber.finite(stroke["size"] ?? stroke["strokeWidth"]), size >= 0 else {
                throw Problem.invalid("strokes[\(i)].size must be a number >= 0 (the brush diameter in pixels)")
            }
            let mode: BrushStroke.Mode
            switch (stroke["mode"] ?? stroke["compositeOperation"]) as? String ?? "add" {
            case "add", "source-over": mode = .add
            case "erase", "destination-out": mode = .erase
            default: throw Problem.invalid("strokes[\(i)].mode must be add or erase")
            }
            strokes.append(BrushStroke(points: points, size: size, mode: mode))
        }
        for stroke in strokes { mask.fill(.polyline(stroke.polyline), value: stroke.mode == .add ? 255 : 0) }
        return try .mask(mask, as: format)
    }

    /// Stroke points: a flat `[x1, y1, x2, y2, ...]` list (Label Studio's
    /// `touches[].points`), `[[x, y], ...]` or `[{"x", "y"}, ...]`, in pixels.
    static func strokePoints(_ raw: [Any], what: String) throws -> [Point] {
        if raw.allSatisfy({ JSONNumber.finite($0) != nil }) {
            guard raw.count % 2 == 0 else { throw Problem.invalid("\(what): a flat list needs an even count") }
            return stride(from: 0, to: raw.count, by: 2).map {
                Point(x: JSONNumber.finite(raw[$0])!, y: JSONNumber.finite(raw[$0 + 1])!)
            }
        }
        do {
            return try PointList.points(from: raw)
        } catch {
            throw Problem.invalid("\(what): \(error.message)")
        }
    }
}
