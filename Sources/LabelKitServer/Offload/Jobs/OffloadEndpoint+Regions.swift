import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

// Regions: hit-test and duplicate.
extension OffloadEndpoint {
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
