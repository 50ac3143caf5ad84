import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// What a job answers: the operation's output.
typealias OffloadOutput = OperationOutput

extension OperationOutput {
    /// The output as a JSON value inside a batch (a PNG as `{"png": base64}`).
    var batchJSON: String {
        switch self {
        case .json(let text): return text
        case .png(let bytes): return "{\"png\":\"" + Data(bytes).base64EncodedString() + "\"}"
        }
    }
}

/// The offload endpoints and the work each does on one job. Every body is the
/// command line's input document, with the command's flags as extra fields
/// (snake case) or query parameters; every answer is the command's JSON.
enum OffloadEndpoint: String, CaseIterable, Sendable {
    case rasterize
    case rleEncode = "rle/encode"
    case rleDecode = "rle/decode"
    case rleConvert = "rle/convert"
    case measure = "masks/measure"
    case vectorize
    case brush
    case hitTest = "hit-test"
    case duplicate

    /// The route path.
    var path: String { "/v1/" + rawValue }

    /// The methods a path of the offload API takes (`Allow`), nil for other paths.
    static func allowedMethods(path: String) -> String? {
        switch path {
        case "/openapi.json", "/v1/limits", "/v1/metrics": return "GET, HEAD"
        default: return allCases.contains { $0.path == path } ? "POST" : nil
        }
    }

    /// Checks the request's query parameters (each job's fields are checked when
    /// it runs), so a malformed option fails the whole request even when every
    /// job overrides it.
    func checkQuery(_ query: [String: String]) throws {
        let o = JobOptions(objects: [], query: query)
        switch self {
        case .rasterize:
            _ = (
                try o.choice("format", RasterizeFormat.self), try o.choice("rule", FillRule.self),
                try o.bool("per_region")
            )
        case .rleEncode: _ = (try o.choice("format", RLEFormat.self), try o.int("threshold", in: 0...255))
        case .rleDecode: _ = try o.choice("format", RLEFormat.self)
        case .rleConvert: _ = (try o.choice("from", RLEFormat.self), try o.choice("to", RLEFormat.self))
        case .measure: _ = (try o.bool("union"), try o.bool("intersection"))
        case .vectorize: _ = (try o.double("simplify", minimum: 0), try o.bool("percent"))
        case .brush: _ = try o.choice("format", MaskFormat.self)
        case .hitTest:
            _ = (
                try o.choice("rule", FillRule.self), try o.double("tolerance", minimum: 0),
                try o.bool("skip_locked")
            )
        case .duplicate:
            _ = (
                try o.string("id"), try o.double("dx"), try o.double("dy"), try o.bool("percent"),
                try o.bool("link_parent")
            )
            _ = (try o.int("paste_width", in: 1...Int(Int32.max)), try o.int("paste_height", in: 1...Int(Int32.max)))
            _ = (try o.choice("keep", ["percent", "pixels"]), try o.bool("clip"), try o.int("seed", in: 0...Int.max))
            if let grid = try o.string("grid") { _ = try RegionDuplicator.grid(grid) }
        }
    }

    /// Endpoints that take a raw `image/png` body.
    var takesPNG: Bool { self == .rleEncode || self == .vectorize || self == .measure }

    /// Runs one job.
    ///
    /// - Parameter value: the job's JSON value, or a ``PNGBody``.
    /// - Parameter preferPNG: the request's `Accept` prefers `image/png`.
    /// A PNG body only reaches endpoints that take one (``OffloadRequest/parse()`` answers 415).
    func run(_ value: Any, options: JobOptions, limits: OffloadLimits, preferPNG: Bool) throws -> OffloadOutput {
        switch self {
        case .rasterize: return try Self.rasterize(value, options, limits, preferPNG: preferPNG)
        case .rleEncode: return try Self.encode(value, options, limits)
        case .rleDecode: return try Self.decode(value, options, limits)
        case .rleConvert: return try Self.convert(value, options, limits)
        case .measure: return try Self.measure(value, options, limits)
        case .vectorize: return try Self.vectorize(value, options, limits)
        case .brush: return try Self.brush(value, options, limits, preferPNG: preferPNG)
        case .hitTest: return try Self.hitTest(value, options, limits)
        case .duplicate: return try Self.duplicate(value, options, limits)
        }
    }

    // MARK: Rasterize and brush

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
            mask = try MaskInput.read(base, limits: limits, what: "base").mask(what: "base")
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

    // MARK: RLE

    /// `labelkit rle encode`: a mask (or COCO polygons) -> LS or COCO RLE.
    static func encode(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        if let object = value as? [String: Any], (object["polygons"] ?? object["segmentation"]) is [Any] {
            guard try options.choice("format", RLEFormat.self) ?? .coco == .coco else {
                throw Problem.invalid("polygons are encoded as COCO RLE: use \"format\": \"coco\"")
            }
            let list = (object["polygons"] ?? object["segmentation"]) as? [Any] ?? []
            try limits.check(list.count, OffloadLimits.Name.regions, "polygons in the job")
            for (i, part) in list.enumerated() {
                try limits.check(
                    ((part as? [Any])?.count ?? 0) / 2, OffloadLimits.Name.vertices, "vertices of polygons[\(i)]")
            }
            if let w = JSONNumber.integer(object["width"]), let h = JSONNumber.integer(object["height"]) {
                try limits.checkMask(width: w, height: h)
            }
            do {
                return .json(COCORLEDocument.json(try COCOPolygonsDocument(object: object).rle()))
            } catch {
                throw Problem.invalid(error.message)
            }
        }
        let format = try options.choice("format", RLEFormat.self) ?? .ls
        let threshold = try options.int("threshold", in: 0...255)
        let input = try MaskInput.read(value, limits: limits, what: "mask")
        switch format {
        case .coco:
            return .json(COCORLEDocument.json(try input.coco(what: "mask")))
        case .ls:
            let mask = try input.mask(what: "mask")
            do {
                let rle =
                    try threshold.map { try LabelStudioRLE.encode(grayImage: mask, threshold: UInt8($0)) }
                    ?? LabelStudioRLE.encode(mask)
                return .brush(rle, width: mask.width, height: mask.height)
            } catch {
                throw Problem.invalid("mask: \(error)")
            }
        }
    }

    /// `labelkit rle decode`: LS or COCO RLE -> a mask PNG.
    static func decode(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let format = try options.choice("format", ["ls", "coco"])
        let input = try MaskInput.read(value, limits: limits, what: "rle", format: format)
        // `MaskInput.read` checked the size against the limits.
        if case .mask = input { throw Problem.invalid("rle: expected a Label Studio or COCO RLE document, not a PNG") }
        return .png(try PNGCodec.encode(try input.mask(what: "rle")))
    }

    /// `labelkit rle convert`: LS <-> COCO.
    static func convert(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let from = try options.choice("from", ["ls", "coco"])
        let input = try MaskInput.read(value, limits: limits, what: "rle", format: from)
        let to = try options.choice("to", ["ls", "coco"])
        switch input {
        case .ls(let document):
            guard to != "ls" else { throw Problem.invalid("\"from\" and \"to\" name the same format (ls)") }
            do {
                let rle = try RLEConversion.coco(
                    fromLabelStudio: document.rle, width: document.width, height: document.height)
                return .json(COCORLEDocument.json(rle))
            } catch {
                throw Problem.invalid("rle: \(error.message)")
            }
        case .coco(let rle):
            guard to != "coco" else { throw Problem.invalid("\"from\" and \"to\" name the same format (coco)") }
            do {
                return .brush(try RLEConversion.labelStudio(fromCOCO: rle), width: rle.width, height: rle.height)
            } catch {
                throw Problem.invalid("rle: \(error.message)")
            }
        case .mask:
            throw Problem.invalid("rle: expected a Label Studio or COCO RLE document, not a PNG")
        }
    }

    // MARK: Measure and vectorize

    /// Area and box of each mask, the IoU matrix against `gt`, union and intersection.
    static func measure(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        var masksValue: Any = value
        var object: [String: Any] = [:]
        if !(value is PNGBody) {
            guard let o = value as? [String: Any], let list = o["masks"] else {
                throw Problem.invalid("expected {\"masks\": [mask, ...], \"gt\"?: [mask, ...]}")
            }
            object = o
            masksValue = list
        }
        func rles(_ raw: Any, _ name: String) throws -> [COCORLE] {
            if raw is PNGBody { return [try MaskInput.read(raw, limits: limits, what: name).coco(what: name)] }
            guard let list = raw as? [Any] else { throw Problem.invalid("\"\(name)\" must be a list of masks") }
            try limits.check(list.count, OffloadLimits.Name.regions, "\(name) in the job")
            return try list.enumerated().map { i, item in
                try MaskInput.read(item, limits: limits, what: "\(name)[\(i)]").coco(what: "\(name)[\(i)]")
            }
        }
        let masks = try rles(masksValue, "masks")
        let gt = try object["gt"].map { try rles($0, "gt") }
        var iscrowd: [Bool] = []
        if let raw = object["iscrowd"] {
            guard let list = raw as? [Any] else {
                throw Problem.invalid("\"iscrowd\" must be a list of 0/1 or booleans")
            }
            iscrowd = try list.enumerated().map { i, item in
                if let flag = JSONNumber.boolean(item) { return flag }
                guard let v = JSONNumber.integer(item), v == 0 || v == 1 else {
                    throw Problem.invalid("iscrowd[\(i)] must be 0, 1, true or false")
                }
                return v == 1
            }
        }
        func stats(_ list: [COCORLE]) -> String {
            "["
                + list.map {
                    "{\"area\":\($0.area),\"bbox\":[" + $0.boundingBox.map(JSONText.number).joined(separator: ",")
                        + "]}"
                }
                .joined(separator: ",") + "]"
        }
        var out = "{\"masks\":" + stats(masks)
        if let gt {
            out += ",\"gt\":" + stats(gt)
            let matrix = COCORLE.iou(masks, gt, isCrowd: iscrowd)
            out +=
                ",\"iou\":["
                + matrix.map { "[" + $0.map(JSONText.number).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }
        for (key, intersect) in [("union", false), ("intersection", true)] {
            guard try options.bool(key) == true else { continue }
            guard !masks.isEmpty else { throw Problem.invalid("\"\(key)\" needs at least one mask") }
            do {
                let merged = try COCORLE.merge(masks, intersect: intersect)
                out += ",\"\(key)\":" + COCORLEDocument.json(merged).dropLast() + ",\"area\":\(merged.area)}"
            } catch {
                throw Problem.invalid("\(key): \(error.message)")
            }
        }
        return .json(out + "}")
    }

    /// `labelkit vectorize`: a mask -> polygons with holes.
    static func vectorize(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let simplify = try options.double("simplify", minimum: 0) ?? 0
        let percent = try options.bool("percent") ?? false
        var source = value
        if let object = value as? [String: Any], let mask = object["mask"] { source = mask }
        let mask = try MaskInput.read(source, limits: limits, what: "mask").mask(what: "mask")
        var contours = mask.contours()
        if simplify > 0 { contours = contours.map { $0.simplified(tolerance: simplify) } }
        if percent { contours = contours.map { $0.percent(width: mask.width, height: mask.height) } }
        return .json(ContoursDocument.json(width: mask.width, height: mask.height, contours: contours))
    }

    // MARK: Regions

    /// `labelkit hit-test`: the visible regions under each point, top-most first.
    static func hitTest(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        guard value is [String: Any] else {
            throw Problem.invalid("expected a scene {\"original_width\", \"original_height\", \"regions\", \"points\"}")
        }
        let document = try RegionsPrecheck.document(value, limits: limits)
        if let object = value as? [String: Any], let list = (object["queries"] ?? object["points"]) as? [Any] {
            try limits.check(list.count, OffloadLimits.Name.points, "points in the job")
        }
        let points: [Point]
        do {
            points = try PointList.points(from: value)
        } catch {
            throw Problem.invalid(error.message)
        }
        let rule = try options.choice("rule", FillRule.self) ?? .evenOdd
        let tolerance = try options.double("tolerance", minimum: 0) ?? Geometry.tolerance
        let skipLocked = try options.bool("skip_locked") ?? false
        let index = RegionIndex(regions: document.regions, rule: rule, tolerance: tolerance)
        let hits = index.hitIndices(for: points, includeLocked: !skipLocked)
        return .json(HitListDocument.json(ids: document.regions.map(\.id), hits: hits))
    }

    /// `labelkit duplicate`: copies with fresh ids (moved, on a grid, or pasted).
    static func duplicate(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let results: [[String: Any]]
        if let list = value as? [Any] {
            guard let objects = list as? [[String: Any]] else {
                throw Problem.invalid("every region must be an object")
            }
            results = objects
        } else if let object = value as? [String: Any], let list = (object["regions"] ?? object["result"]) as? [Any] {
            guard let objects = list as? [[String: Any]] else {
                throw Problem.invalid("every region must be an object")
            }
            results = objects
        } else {
            throw Problem.invalid("expected a list of results or {\"regions\": [...]}")
        }
        try RegionsPrecheck.check(results, limits: limits, eachItemSize: true)
        let seed = try options.int("seed", in: 0...Int.max).map { UInt64($0) }
        var duplicator = RegionDuplicator(results: results, seed: seed)
        let dx = try options.double("dx") ?? 0, dy = try options.double("dy") ?? 0
        let offset: RegionDuplicator.Offset =
            try options.bool("percent") == true ? .percent(dx: dx, dy: dy) : .pixels(dx: dx, dy: dy)
        let linkParent = try options.bool("link_parent") ?? false
        let pasteWidth = try options.int("paste_width", in: 1...Int(Int32.max))
        let pasteHeight = try options.int("paste_height", in: 1...Int(Int32.max))
        let copies: [[String: Any]]
        do {
            if let id = try options.string("id") {
                if let grid = try options.string("grid") {
                    let (rows, columns) = try RegionDuplicator.grid(grid)
                    let cells = rows.multipliedReportingOverflow(by: columns)
                    try limits.check(
                        cells.overflow ? .max : cells.partialValue, OffloadLimits.Name.regions, "grid cells")
                    let vertices = results.filter { ($0["id"] as? String) == id }
                        .map { (($0["value"] as? [String: Any])?["points"] as? [Any])?.count ?? 1 }.reduce(0, +)
                    let total = cells.partialValue.multipliedReportingOverflow(by: max(1, vertices))
                    guard !total.overflow, total.partialValue <= limits.maxVertices * 100 else {
                        throw Problem.limit(
                            OffloadLimits.Name.vertices, maximum: limits.maxVertices * 100,
                            "the grid would write \(cells.partialValue) copies of \(vertices) vertices; the limit is "
                                + "\(limits.maxVertices * 100) vertices in all (100 x vertices)")
                    }
                    copies = try duplicator.duplicateGrid(
                        regionID: id, rows: rows, columns: columns, spacing: offset, linkParent: linkParent)
                } else {
                    copies = try duplicator.duplicate(regionID: id, offset: offset, linkParent: linkParent)
                }
            } else if let pasteWidth, let pasteHeight {
                try limits.checkMask(width: pasteWidth, height: pasteHeight, what: "the paste image")
                let keep = try options.choice("keep", ["percent", "pixels"]) ?? "percent"
                let clip = try options.bool("clip") ?? false
                copies = try duplicator.paste(
                    results, width: pasteWidth, height: pasteHeight,
                    mode: keep == "percent" ? .keepPercent : .keepPixels(clip: clip))
            } else if pasteWidth != nil || pasteHeight != nil {
                throw Problem.invalid("\"paste_width\" and \"paste_height\" go together")
            } else {
                copies = try duplicator.copyAll()
            }
        } catch let error as FormatsError {
            throw Problem.invalid(error.message)
        }
        guard JSONSerialization.isValidJSONObject(copies),
            let data = try? JSONSerialization.data(withJSONObject: copies, options: [.sortedKeys])
        else {
            throw Problem.invalid("the copies hold values JSON cannot carry (NaN or infinite numbers)")
        }
        return .json(String(decoding: data, as: UTF8.self))
    }
}
