import Foundation

/// A JSON object's text with holes for integers that are only known when the
/// whole export is assembled (COCO `id`, `image_id`, `category_id`): the object
/// is serialised once, on the worker that exported its task, with 0 in each hole,
/// and the assembly writes the text around the holes with the real numbers, so
/// nothing is parsed or serialised again.
///
///     let image = SplicedJSON(["file_name": "a.jpg", "width": 4], holes: ["id"])!
///     // text: {"file_name":"a.jpg","id":0,"width":4}, cuts: [26]
///     image.write(values: [7], into: &out)   // {"file_name":"a.jpg","id":7,"width":4}
struct SplicedJSON {
    /// The object's text (sorted keys, as `JSONSerialization` writes it) with `0`
    /// in each hole.
    var text: [UInt8]
    /// The offset of each hole's `0` in ``text``, in the order the holes were named.
    var cuts: [Int]

    /// The text of `object` with `holes` (top-level keys, set to 0); nil when
    /// `JSONSerialization` cannot write the object (NaN, an infinity).
    init?(_ object: [String: Any], holes: [String]) {
        var object = object
        for key in holes { object[key] = 0 }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return nil
        }
        text = [UInt8](data)
        cuts = []
        for key in holes {
            guard let cut = Self.hole(of: key, in: text) else { return nil }
            cuts.append(cut)
        }
    }

    /// The offset of the `0` in `"key":0` followed by `,` or `}`: inside a JSON
    /// string every `"` is escaped, so the unescaped `"key":` is the member itself.
    private static func hole(of key: String, in text: [UInt8]) -> Int? {
        let pattern = Array("\"\(key)\":0".utf8)
        guard text.count > pattern.count else { return nil }
        var start = 1
        while start + pattern.count < text.count {
            if text[start - 1] == UInt8(ascii: "{") || text[start - 1] == UInt8(ascii: ",") {
                let end = start + pattern.count
                if text[start..<end].elementsEqual(pattern)
                    && (text[end] == UInt8(ascii: ",") || text[end] == UInt8(ascii: "}"))
                {
                    return end - 1
                }
            }
            start += 1
        }
        return nil
    }

    /// Appends `text` to `out` with `values[k]` in hole `k`.
    static func write(
        _ text: UnsafeBufferPointer<UInt8>, cuts: some Collection<Int>, values: [Int],
        into out: inout BufferedFileWriter
    ) {
        // Holes in text order (a config may name them in any order).
        var holes = Array(zip(cuts, values))
        if holes.count > 1 { holes.sort { $0.0 < $1.0 } }
        var from = 0
        for (cut, value) in holes {
            out.append(UnsafeBufferPointer(rebasing: text[from..<cut]))
            out.append(decimal: value)
            from = cut + 1
        }
        out.append(UnsafeBufferPointer(rebasing: text[from...]))
    }
}
