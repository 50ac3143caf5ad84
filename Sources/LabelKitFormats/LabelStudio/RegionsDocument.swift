import Foundation
import LabelKitCore
import LabelKitJSON

/// The regions of one image as the CLI and the HTTP API take them: one Label
/// Studio result, a list of results, `{"original_width", "original_height",
/// "regions": [...]}`, an annotation (`{"result": [...]}`) or a task (its first
/// annotation). Extra fields are ignored; items without image geometry
/// (`choices`, `textarea`, `relation`, ...) are skipped.
public struct RegionsDocument: Sendable {
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int
    /// The regions in document order (later = on top).
    public var regions: [Region]
    /// Items skipped because they carry no image geometry.
    public var skipped: Int

    /// Result types that carry no image geometry; anything else unknown is an error.
    static let nonGeometryTypes: Set<String> = [
        "relation", "choices", "textarea", "rating", "taxonomy", "number", "datetime", "pairwise", "ranker",
    ]

    /// Parses a document; with a labeling config, every region's labels are checked
    /// against it (see ``check(_:fromName:against:)``).
    ///
    /// - Throws: ``FormatsError`` naming the region and field at fault, or
    ///   `.missingField` when no image size can be found.
    public init(json: Data, config: LabelingConfig? = nil) throws(FormatsError) {
        let root = try JSONFields.parse(json)
        try self.init(object: root, config: config)
    }

    /// The result items of a document and the image size it names (from the
    /// document, else from the first item with `original_width`), before any item
    /// is parsed: what limits are checked on.
    ///
    /// - Throws: ``FormatsError`` when the root is neither a list nor an object.
    public static func items(of root: Any) throws(FormatsError) -> (items: [Any], width: Int?, height: Int?) {
        var items: [Any]
        var width: Int?, height: Int?
        if let list = root as? [Any] {
            items = list
        } else if let object = root as? [String: Any] {
            if let regions = object["regions"] as? [Any] {
                items = regions
            } else if let result = object["result"] as? [Any] {
                items = result
            } else if let first = (object["annotations"] as? [Any])?.first as? [String: Any],
                let result = first["result"] as? [Any]
            {
                items = result  // a whole task: its first annotation
            } else {
                items = [object]
            }
            width = JSONNumber.integer(object["original_width"] ?? object["width"])
            height = JSONNumber.integer(object["original_height"] ?? object["height"])
        } else {
            throw FormatsError(.invalidField, "expected a result object, a list of results or {\"regions\": [...]}")
        }
        if width == nil || height == nil,
            let first = items.first(where: { ($0 as? [String: Any])?["original_width"] != nil }) as? [String: Any]
        {
            width = width ?? JSONNumber.integer(first["original_width"])
            height = height ?? JSONNumber.integer(first["original_height"])
        }
        return (items, width, height)
    }

    /// Parses an already decoded JSON value (see ``init(json:config:)``).
    public init(object root: Any, config: LabelingConfig? = nil) throws(FormatsError) {
        let (items, width, height) = try Self.items(of: root)
        var objects: [[String: Any]] = []
        for (i, item) in items.enumerated() {
            guard let object = item as? [String: Any] else {
                throw FormatsError(.invalidField, "regions[\(i)] is not an object")
            }
            objects.append(object)
        }
        guard let width, let height else {
            throw FormatsError(.missingField, "no image size: give \"original_width\" and \"original_height\"")
        }
        guard width > 0, height > 0 else {
            throw FormatsError(.invalidField, "image size \(width)x\(height) must be positive")
        }
        try Self.checkBrushSizes(objects, width: width, height: height)
        var regions: [Region] = []
        var skipped = 0
        for object in objects {
            let type = (object["type"] as? String ?? "").lowercased()
            if RegionsDocument.nonGeometryTypes.contains(type) {
                skipped += 1
                continue
            }
            let region = try LabelStudioRegion.region(from: object, width: width, height: height)
            if let config { try Self.check(region, fromName: object["from_name"] as? String, against: config) }
            regions.append(region)
        }
        self.width = width
        self.height = height
        self.regions = regions
        self.skipped = skipped
    }

    /// Refuses, before any brush is decoded, a brush region whose own
    /// `original_width`/`original_height` differ from the document's image size.
    ///
    /// A result's own size wins when its region is read (``LabelStudioRegion``), and a
    /// brush decodes to a mask of that size; so a document of a 1x1 image could carry a
    /// 16384x16384 brush (a 55 KB stream, a 256 MiB mask) past a caller that checks the
    /// document's size before parsing, as the overlay and offload routes do (seen while
    /// writing `Fuzz/FuzzLabelStudioTask`, which now checks it). Such a mask could not be
    /// drawn on the document's image anyway.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the region and both sizes.
    static func checkBrushSizes(_ objects: [[String: Any]], width: Int, height: Int) throws(FormatsError) {
        for object in objects where [.brush, .bitmask].contains(LabelStudioRegion.kind(of: object)) {
            let w = JSONNumber.integer(object["original_width"]) ?? width
            let h = JSONNumber.integer(object["original_height"]) ?? height
            guard w == width, h == height else {
                let id = (object["id"] as? String) ?? JSONNumber.integer(object["id"]).map(String.init) ?? "?"
                throw FormatsError(
                    .invalidField, "region \"\(id)\": brush of \(w)x\(h) on an image of \(width)x\(height)")
            }
        }
    }
}
