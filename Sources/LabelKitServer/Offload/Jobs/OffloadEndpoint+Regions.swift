import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON
import LabelKitOperations

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
        return HitTestRequest(
            regions: document, points: points, rule: try options.choice("rule", FillRule.self) ?? .evenOdd,
            tolerance: try options.double("tolerance", minimum: 0) ?? Geometry.tolerance,
            skipLocked: try options.bool("skip_locked") ?? false
        ).run()
    }

    /// `labelkit duplicate`: copies with fresh ids (moved, on a grid, or pasted).
    static func duplicate(_ value: Any, _ options: JobOptions, _ limits: OffloadLimits) throws -> OffloadOutput {
        let results: [[String: Any]]
        do {
            results = try DuplicateRequest.results(of: value)
        } catch {
            throw Problem.invalid(error.message)
        }
        try RegionsPrecheck.check(results, limits: limits, eachItemSize: true)
        let seed = try options.int("seed", in: 0...Int.max).map { UInt64($0) }
        let dx = try options.double("dx") ?? 0, dy = try options.double("dy") ?? 0
        let offset: RegionDuplicator.Offset =
            try options.bool("percent") == true ? .percent(dx: dx, dy: dy) : .pixels(dx: dx, dy: dy)
        let linkParent = try options.bool("link_parent") ?? false
        let pasteWidth = try options.int("paste_width", in: 1...Int(Int32.max))
        let pasteHeight = try options.int("paste_height", in: 1...Int(Int32.max))
        let action: DuplicateRequest.Action
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
                    action = .grid(regionID: id, rows: rows, columns: columns, spacing: offset, linkParent: linkParent)
                } else {
                    action = .copy(regionID: id, offset: offset, linkParent: linkParent)
                }
            } else if let pasteWidth, let pasteHeight {
                try limits.checkMask(width: pasteWidth, height: pasteHeight, what: "the paste image")
                let keep = try options.choice("keep", ["percent", "pixels"]) ?? "percent"
                let clip = try options.bool("clip") ?? false
                action = .paste(
                    width: pasteWidth, height: pasteHeight, mode: keep == "percent" ? .keepPercent : .keepPixels(clip: clip))
            } else if pasteWidth != nil || pasteHeight != nil {
                throw Problem.invalid("\"paste_width\" and \"paste_height\" go together")
            } else {
                action = .copyAll
            }
            return try DuplicateRequest(results: results, action: action, seed: seed).run()
        } catch let error as FormatsError {
            throw Problem.invalid(error.message)
        }
    }
}
