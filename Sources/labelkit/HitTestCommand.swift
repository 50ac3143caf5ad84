import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitFormats

/// `labelkit hit-test`: which regions are under each point.
struct HitTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit-test",
        abstract: "List the visible regions under each point, top-most first (JSON on stdout).",
        discussion: """
            SCENE.json is {"original_width", "original_height", "regions": [Label Studio
            results with id, type, value, hidden]}; later regions are on top; hidden ones
            are ignored. POINTS.json is a list of {"x", "y"} in pixels (a scene file with a
            "queries" list works for both). Output: [{"hits": [ids, top-most first]}, ...]
            in point order. A point on a boundary (within --tolerance) hits.

            Examples:
              labelkit hit-test scene.json --points points.json
              labelkit hit-test scene.json --points scene.json --rule nonzero
              labelkit hit-test scene.json --points points.json --tolerance 3 --skip-locked
            """
    )

    @Option(help: "The query points JSON (defaults to the scene's own \"queries\").")
    var points: String?

    @Option(help: "Polygon fill rule: evenodd or nonzero.")
    var rule: FillRuleArgument = .evenodd

    @Option(help: "Pick distance in pixels for boundaries, keypoints and lines (minimum 1e-9).")
    var tolerance: Double = Geometry.tolerance

    @Flag(help: "Ignore locked (readonly) regions.")
    var skipLocked = false

    @Argument(help: "The scene JSON file.")
    var scene: String

    func validate() throws {
        guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be >= 0") }
    }

    func run() async throws {
        let document = try Input.regions(scene)
        let queries = try Input.points(points ?? scene)
        let index = RegionIndex(regions: document.regions, rule: rule.fillRule, tolerance: tolerance)
        let hits = index.hitIndices(for: queries, includeLocked: !skipLocked)
        let quotedIDs = document.regions.map { JSONText.quoted($0.id) }
        var out = "["
        for i in 0..<hits.count {
            if i > 0 { out += "," }
            out += "{\"hits\":[" + hits[i].map { quotedIDs[$0] }.joined(separator: ",") + "]}"
        }
        out += "]"
        Output.line(out)
    }
}

/// JSON text helpers for hand-written output.
enum JSONText {
    /// A number in the shortest form that reads back to the same Double
    /// (integers without a fraction).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
