import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitOperations

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
        let request = RasterizeRequest(document: document, format: format, rule: rule, config: config)
        guard try options.bool("per_region") == true else { return try request.run() }
        if format != .ls {
            // COCO and PNG outputs paint one full mask per region: their total is bounded too.
            let total = width.multipliedReportingOverflow(by: height * document.regions.count)
            guard !total.overflow, total.partialValue <= limits.maxMaskPixels * 16 else {
                throw Problem.limit(
                    OffloadLimits.Name.maskPixels, maximum: limits.maxMaskPixels * 16,
                    "per_region \(format) paints \(document.regions.count) masks of \(width)x\(height); "
                        + "their total is limited to 16 x mask_pixels (use format ls, which paints none)")
            }
        }
        let parts = try request.perRegion().map { "{\"id\":" + JSONText.quoted($0.id) + "," + $0.output.batchJSON.dropFirst() }
        return .json("{\"width\":\(width),\"height\":\(height),\"regions\":[" + parts.joined(separator: ",") + "]}")
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
        let strokes = try BrushStrokesDocument.strokes(from: list)
        for (i, stroke) in strokes.enumerated() {
            try limits.check(stroke.points.count, OffloadLimits.Name.vertices, "points of strokes[\(i)]")
        }
        return try BrushRequest(base: mask, strokes: strokes, format: format).run()
    }
}
