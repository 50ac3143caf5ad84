import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// Builders for synthetic Label Studio tasks and helpers for the export tests.
///
/// Brush RLE is produced with the independent `Reference` encoder (not the code
/// under test); expected geometry is computed here from the spec formulas.
enum LSBuild {
    static func rectangle(
        _ id: String, x: Double, y: Double, width: Double, height: Double, rotation: Double = 0,
        labels: [String]? = ["Box"], from: String = "label", size: (Int, Int) = (200, 100)
    ) -> [String: Any] {
        var value: [String: Any] = ["x": x, "y": y, "width": width, "height": height, "rotation": rotation]
        if let labels { value["rectanglelabels"] = labels }
        return result(id, "rectanglelabels", from, size, value)
    }

    static func ellipse(
        _ id: String, x: Double, y: Double, rx: Double, ry: Double, rotation: Double = 0,
        labels: [String] = ["Round"], from: String = "ellipse", size: (Int, Int) = (200, 100)
    ) -> [String: Any] {
        result(
            id, "ellipselabels", from, size,
            ["x": x, "y": y, "radiusX": rx, "radiusY": ry, "rotation": rotation, "ellipselabels": labels])
    }

    static func polygon(
        _ id: String, _ points: [[Double]], labels: [String] = ["Poly"], from: String = "polygon",
        size: (Int, Int) = (200, 100)
    ) -> [String: Any] {
        result(id, "polygonlabels", from, size, ["points": points, "polygonlabels": labels])
    }

    static func keypoint(
        _ id: String, x: Double, y: Double, labels: [String] = ["Point"], from: String = "kp",
        size: (Int, Int) = (200, 100)
    ) -> [String: Any] {
        result(id, "keypointlabels", from, size, ["x": x, "y": y, "width": 1, "keypointlabels": labels])
    }

    static func brush(_ id: String, _ mask: Mask, labels: [String]? = ["Paint"], from: String = "tag") -> [String: Any]
    {
        brush(
            id, rle: Reference.labelStudioEncode(mask: mask).map(Int.init), size: (mask.width, mask.height),
            labels: labels, from: from)
    }

    static func brush(_ id: String, rle: [Int], size: (Int, Int), labels: [String]? = ["Paint"], from: String = "tag")
        -> [String: Any]
    {
        var value: [String: Any] = ["format": "rle", "rle": rle]
        if let labels { value["brushlabels"] = labels }
        return result(id, "brushlabels", from, size, value)
    }

    static func result(_ id: String, _ type: String, _ from: String, _ size: (Int, Int), _ value: [String: Any])
        -> [String: Any]
    {
        [
            "id": id, "type": type, "from_name": from, "to_name": "image", "original_width": size.0,
            "original_height": size.1, "image_rotation": 0, "value": value, "origin": "manual",
        ]
    }

    static func annotation(
        _ id: Int, by: Any? = 1, created: String? = nil, updated: String? = nil, cancelled: Bool = false,
        groundTruth: Bool = false, _ result: [[String: Any]]
    ) -> [String: Any] {
        var a: [String: Any] = ["id": id, "result": result, "was_cancelled": cancelled, "ground_truth": groundTruth]
        if let by { a["completed_by"] = by }
        if let created { a["created_at"] = created }
        if let updated { a["updated_at"] = updated }
        return a
    }

    static func task(
        _ id: Int, image: String? = nil, annotations: [[String: Any]], predictions: [[String: Any]] = []
    ) -> [String: Any] {
        var t: [String: Any] = [
            "id": id, "data": ["image": image ?? "/data/local-files/?d=images/img-\(id).jpg"],
            "annotations": annotations,
        ]
        if !predictions.isEmpty { t["predictions"] = predictions }
        return t
    }

    /// A parsed task, through the same JSON path the pipeline uses.
    static func parsed(_ task: [String: Any], index: Int = 0) throws -> LabelStudioTask {
        try LabelStudioTask(json: try JSONSerialization.data(withJSONObject: task), index: index)
    }

    /// A mask of `w x h` with an anti-aliased disc: 255 inside, edge alphas 1...254.
    static func softDisc(width w: Int, height h: Int, cx: Double, cy: Double, r: Double) -> Mask {
        var mask = Mask(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                let d =
                    ((Double(x) + 0.5 - cx) * (Double(x) + 0.5 - cx) + (Double(y) + 0.5 - cy) * (Double(y) + 0.5 - cy))
                    .squareRoot()
                let coverage = min(1, max(0, r + 0.5 - d))
                mask[x, y] = UInt8((coverage * 255).rounded())
            }
        }
        return mask
    }

    /// A binary (0/255) mask with an axis-aligned block.
    static func block(width w: Int, height h: Int, x0: Int, y0: Int, x1: Int, y1: Int, value: UInt8 = 255) -> Mask {
        var mask = Mask(width: w, height: h)
        for y in y0..<y1 { for x in x0..<x1 { mask[x, y] = value } }
        return mask
    }

    /// A mixed batch of `count` tasks of small images: brushes (with soft edges),
    /// rotated rectangles, ellipses, polygons, keypoints, a text item, several
    /// annotations per task and a prediction.
    static func batch(count: Int, width w: Int = 48, height h: Int = 32) -> [[String: Any]] {
        (0..<count).map { i in
            let s = (w, h)
            let brushMask = softDisc(
                width: w, height: h, cx: Double(5 + i % 30), cy: Double(4 + i % 20), r: Double(3 + i % 7))
            var results: [[String: Any]] = [
                brush("b\(i)", brushMask, labels: [i % 3 == 0 ? "Cat" : "Dog"]),
                rectangle(
                    "r\(i)", x: Double(i % 40), y: Double(i % 30), width: 20, height: 25,
                    rotation: Double(i * 17 % 360),
                    labels: ["Box"], size: s),
                ellipse("e\(i)", x: 50, y: 50, rx: Double(5 + i % 20), ry: 12, rotation: Double(i * 7), size: s),
                polygon("p\(i)", [[10, 10], [60 + Double(i % 30), 12], [40, 70], [12, 55]], size: s),
                keypoint("k\(i)", x: 30, y: 40, size: s),
                [
                    "id": "t\(i)", "type": "textarea", "from_name": "notes", "to_name": "image",
                    "value": ["text": ["x"]],
                ],
            ]
            if i % 4 == 0 { results.append(brush("b\(i)x", brushMask, labels: ["Cat"])) }
            let newer = annotation(
                100 + i, by: ["email": "ann.\(i % 3)@example.org"], created: "2024-05-0\(1 + i % 5)T10:00:00.000000Z",
                results)
            let older = annotation(
                5000 + i, by: 7, created: "2023-01-01T00:00:00.000000Z",
                [rectangle("o\(i)", x: 1, y: 1, width: 10, height: 10, size: s)])
            let prediction: [String: Any] = [
                "result": [polygon("q\(i)", [[1, 1], [20, 1], [1, 20]], labels: ["Pred"], size: s)], "score": 0.5,
            ]
            return task(i + 1, annotations: [older, newer], predictions: [prediction])
        }
    }
}

/// A temporary folder removed when released.
final class ExportTempDir {
    let path: String
    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("labelkit-export-tests-\(UUID().uuidString)", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func sub(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum ExportFiles {
    static let journal = ".labelkit-export.jsonl"

    /// Writes tasks as a JSON array (sorted keys, so reruns see the same bytes).
    static func writeTasks(_ tasks: [[String: Any]], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: tasks, options: [.sortedKeys, .prettyPrinted])
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Every file under `dir` (relative names, recursively) with its bytes, except the journal.
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir) else { return out }
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue || name == journal { continue }
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    /// The journal's task lines (header dropped), parsed.
    static func journalEntries(_ dir: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: dir + "/" + journal, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Decoded 8-bit PNG.
    static func mask(_ bytes: [UInt8]) throws -> Mask { try PNGCodec.decodeMask(bytes) }
}

extension Array where Element == Double {
    func isClose(to other: [Double], tolerance: Double = 1e-9) -> Bool {
        count == other.count && zip(self, other).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
    }
}

/// JSON numbers (NSNumber) as doubles.
func exportDoubles(_ value: Any?) -> [Double]? {
    (value as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
}
