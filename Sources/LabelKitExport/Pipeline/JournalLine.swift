import Foundation
import LabelKitJSON

/// The journal line of one finished task, written by hand so that the assembly
/// and the merge can copy its COCO objects and `errors.jsonl` lines as they are:
///
///     {"i":4,"task":"5","status":"done","files":["a.png"],"held":[0],
///      "failures":[ERRORS_LINE,...],"coco":[PART,...]}
///
/// `held` (files a shard found taken and kept in its staging folder), `failures`
/// and `coco` appear only when not empty. A failure is its `errors.jsonl` line.
/// A COCO part is one image and its annotations:
/// `[[ID_CUT,LENGTH,IMAGE],[CATEGORY,CATEGORY_ID_CUT,ID_CUT,IMAGE_ID_CUT,LENGTH,ANNOTATION],...]`,
/// where each object is `JSONSerialization`'s text with 0 in the holes the cuts
/// point at (see ``SplicedJSON``) and LENGTH is its byte count.
enum JournalLine {
    /// The line of `export` (ending in a newline); `held` lists the positions in
    /// `export.files` kept in the shard's staging folder.
    ///
    /// - Returns: nil when a COCO value cannot be written as JSON (NaN, an infinity).
    static func render(_ export: TaskExport, held: [Int]) -> [UInt8]? {
        var line = "{\"i\":\(export.index),\"task\":" + JSONText.quoted(export.taskID)
        line += ",\"status\":" + (export.failures.isEmpty ? "\"done\"" : "\"failed\"")
        line += ",\"files\":[" + export.files.map { JSONText.quoted($0.name) }.joined(separator: ",") + "]"
        if !held.isEmpty { line += ",\"held\":[" + held.map(String.init).joined(separator: ",") + "]" }
        if !export.failures.isEmpty {
            line += ",\"failures\":[" + export.failures.map(\.jsonLine).joined(separator: ",") + "]"
        }
        var bytes = Array(line.utf8)
        if export.failures.isEmpty, let coco = export.coco {
            let parts = cocoParts(coco)
            if !parts.isEmpty {
                bytes += Array(",\"coco\":[".utf8)
                for (k, part) in parts.enumerated() {
                    if k > 0 { bytes.append(UInt8(ascii: ",")) }
                    guard appendPart(part, to: &bytes) else { return nil }
                }
                bytes.append(UInt8(ascii: "]"))
            }
        }
        bytes += Array("}\n".utf8)
        return bytes
    }

    /// The COCO images of a task with their annotations: one image per task, or
    /// one per annotation in converter-compatible mode.
    private static func cocoParts(_ coco: [String: Any]) -> [(image: [String: Any], annotations: [[String: Any]])] {
        if let parts = coco["converterImages"] as? [[String: Any]] {
            return parts.compactMap { part in
                (part["image"] as? [String: Any]).map { ($0, part["annotations"] as? [[String: Any]] ?? []) }
            }
        }
        guard let image = coco["image"] as? [String: Any] else { return [] }
        return [(image, coco["annotations"] as? [[String: Any]] ?? [])]
    }

    private static func appendPart(
        _ part: (image: [String: Any], annotations: [[String: Any]]), to bytes: inout [UInt8]
    ) -> Bool {
        guard let image = SplicedJSON(part.image, holes: ["id"]) else { return false }
        bytes += Array("[[\(image.cuts[0]),\(image.text.count),".utf8)
        bytes += image.text
        bytes.append(UInt8(ascii: "]"))
        for var annotation in part.annotations {
            let category = annotation.removeValue(forKey: "category") as? String ?? "no_label"
            guard let object = SplicedJSON(annotation, holes: ["category_id", "id", "image_id"]) else { return false }
            let cuts = object.cuts.map(String.init).joined(separator: ",")
            bytes += Array(",[\(JSONText.quoted(category)),\(cuts),\(object.text.count),".utf8)
            bytes += object.text
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
        return true
    }
}
