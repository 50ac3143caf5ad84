import Foundation
import LabelKitCore
import LabelKitJSON

/// Reads and writes COCO RLE objects `{"size": [H, W], "counts": ...}`, where
/// `counts` is pycocotools' compressed string or an uncompressed list of ints.
public enum COCORLEDocument {
    /// Parses one COCO RLE object (extra fields ignored; an object holding the RLE
    /// under `"rle"` or `"segmentation"` is accepted too).
    ///
    /// - Throws: ``FormatsError`` naming the field, or the core error text for
    ///   malformed counts.
    public static func parse(_ json: Data) throws(FormatsError) -> COCORLE {
        try rle(from: JSONFields.parse(json), context: "COCO RLE")
    }

    /// Parses a JSON array of COCO RLE objects.
    ///
    /// - Throws: ``FormatsError`` naming the element and field at fault.
    public static func parseList(_ json: Data) throws(FormatsError) -> [COCORLE] {
        let root = try JSONFields.parse(json)
        guard let array = root as? [Any] else {
            throw FormatsError(.invalidField, "expected a JSON array of COCO RLE objects")
        }
        var out: [COCORLE] = []
        out.reserveCapacity(array.count)
        for (i, element) in array.enumerated() {
            out.append(try rle(from: element, context: "COCO RLE [\(i)]"))
        }
        return out
    }

    /// Reads one COCO RLE from a decoded JSON value (`{"size", "counts"}`).
    public static func rle(from value: Any, context: String) throws(FormatsError) -> COCORLE {
        guard var object = value as? [String: Any] else {
            throw FormatsError(.invalidField, "\(context): expected an object with \"size\" and \"counts\"")
        }
        if object["counts"] == nil, let inner = (object["rle"] ?? object["segmentation"]) as? [String: Any] {
            object = inner
        }
        guard let size = object["size"] as? [Any], size.count == 2,
            let height = JSONNumber.integer(size[0]), let width = JSONNumber.integer(size[1])
        else {
            throw FormatsError(.invalidField, "\(context): \"size\" must be [height, width]")
        }
        do {
            if let string = object["counts"] as? String {
                return try COCORLE(height: height, width: width, compressedCounts: string)
            }
            guard let list = object["counts"] as? [Any] else {
                throw FormatsError(.missingField, "\(context): \"counts\" must be a string or a list of integers")
            }
            var counts: [UInt32] = []
            counts.reserveCapacity(list.count)
            for (i, element) in list.enumerated() {
                guard let v = JSONNumber.integer(element), v >= 0, v <= Int(UInt32.max) else {
                    throw FormatsError(.invalidField, "\(context): counts[\(i)] = \(element) is not a count")
                }
                counts.append(UInt32(v))
            }
            return try COCORLE(height: height, width: width, counts: counts)
        } catch let error as CoreError {
            throw FormatsError(.invalidField, "\(context): \(error.message)")
        } catch let error as FormatsError {
            throw error
        } catch {
            throw FormatsError(.invalidField, "\(context): \(error)")
        }
    }

    /// The compact JSON form `{"size":[H,W],"counts":"..."}` (compressed counts).
    public static func json(_ rle: COCORLE) -> String {
        "{\"size\":[\(rle.height),\(rle.width)],\"counts\":\(quoted(rle.compressedCounts))}"
    }

    /// A JSON string literal; compressed counts use only `0`...`o`, of which `\`
    /// is the one character that needs escaping.
    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\") + "\""
    }
}
