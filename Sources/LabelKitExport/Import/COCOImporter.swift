import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// Turns a COCO instances dataset into Label Studio tasks: one task per image,
/// boxes-only annotations as `rectanglelabels`, polygon segmentations as one
/// `polygonlabels` region per part, RLE segmentations (compressed or list counts)
/// as `brushlabels`, keypoints as `keypointlabels` (one per visible point).
public struct COCOImporter: Sendable {
    /// Settings shared with ``MaskImporter``.
    public var masks: MaskImporter

    /// Creates an importer.
    public init(masks: MaskImporter = MaskImporter()) { self.masks = masks }

    /// Builds tasks from a COCO JSON document.
    ///
    /// - Throws: ``FormatsError`` naming the annotation at fault.
    public func tasks(fromCOCO data: Data) throws(FormatsError) -> [[String: Any]] {
        guard let root = try JSONFields.parse(data) as? [String: Any] else {
            throw FormatsError(.invalidField, "COCO: expected an object with images, annotations, categories")
        }
        let images = root["images"] as? [[String: Any]] ?? []
        let categories = Dictionary(
            (root["categories"] as? [[String: Any]] ?? []).compactMap { c -> (Int, String)? in
                guard let id = JSONNumber.integer(c["id"]), let name = c["name"] as? String else { return nil }
                return (id, name)
            }, uniquingKeysWith: { a, _ in a })
        // A keypoint category names its points (`keypoints: ["nose", ...]`); they label the points.
        let pointNames = Dictionary(
            (root["categories"] as? [[String: Any]] ?? []).compactMap { c -> (Int, [String])? in
                guard let id = JSONNumber.integer(c["id"]), let names = c["keypoints"] as? [String] else { return nil }
                return (id, names)
            }, uniquingKeysWith: { a, _ in a })
        var byImage: [Int: [[String: Any]]] = [:]
        for annotation in root["annotations"] as? [[String: Any]] ?? [] {
            guard let imageID = JSONNumber.integer(annotation["image_id"]) else { continue }
            byImage[imageID, default: []].append(annotation)
        }
        var ids = RegionIDGenerator(seed: 0xC0C0)
        var tasks: [[String: Any]] = []
        for (n, image) in images.enumerated() {
            guard let imageID = JSONNumber.integer(image["id"]),
                let width = JSONNumber.integer(image["width"]), let height = JSONNumber.integer(image["height"]),
                width > 0, height > 0
            else {
                throw FormatsError(.invalidField, "COCO images[\(n)]: needs id, width and height")
            }
            var results: [[String: Any]] = []
            for annotation in byImage[imageID] ?? [] {
                let annotationID = JSONNumber.integer(annotation["id"]).map(String.init) ?? "?"
                let category = JSONNumber.integer(annotation["category_id"])
                let label = category.flatMap { categories[$0] } ?? "no_label"
                results += try regions(
                    annotation, label: label, pointNames: category.flatMap { pointNames[$0] } ?? [], width: width,
                    height: height, ids: &ids, context: "COCO annotation \(annotationID)")
            }
            var annotationObject: [String: Any] = ["result": results, "was_cancelled": false, "ground_truth": false]
            if masks.target == .predictions { annotationObject["model_version"] = "labelkit-import" }
            tasks.append([
                "id": imageID,
                "data": ["image": masks.imageRoot + (image["file_name"] as? String ?? "image-\(imageID)")],
                masks.target.rawValue: [annotationObject],
            ])
        }
        return tasks
    }

    /// The regions of one COCO annotation: its segmentation (an RLE with any
    /// foreground as a brush, each polygon part as a polygon), its keypoints with
    /// v > 0 (labelled by the category's point names, else the category), and its
    /// box when it has neither.
    func regions(
        _ annotation: [String: Any], label: String, pointNames: [String], width: Int, height: Int,
        ids: inout RegionIDGenerator, context: String
    ) throws(FormatsError) -> [[String: Any]] {
        let w = Double(width), h = Double(height)
        func base(_ type: String, _ value: [String: Any], label: String = label) throws(FormatsError) -> [String: Any] {
            var value = value
            value[type] = [label]
            let (from, to) = try masks.control(forType: type, labels: [label], preferred: nil, context: context)
            return [
                "id": ids.next(), "type": type, "from_name": from, "to_name": to,
                "original_width": width, "original_height": height, "image_rotation": 0, "origin": "manual",
                "value": value,
            ]
        }
        var results: [[String: Any]] = []
        if let segmentation = annotation["segmentation"] as? [String: Any] {
            let rle: COCORLE
            do {
                rle = try COCORLEDocument.rle(from: segmentation, context: context)
            }
            guard rle.height == height, rle.width == width else {
                throw FormatsError(.invalidField, "\(context): RLE size [\(rle.height), \(rle.width)] is not the image's")
            }
            if rle.area > 0 {
                let bytes: [UInt8]
                do {
                    bytes = try RLEConversion.labelStudio(fromCOCO: rle)
                } catch {
                    throw FormatsError(.invalidField, "\(context): \(error.message)")
                }
                results.append(try base("brushlabels", ["format": "rle", "rle": bytes.map(Int.init)]))
            }
        } else if let parts = annotation["segmentation"] as? [[Any]] {
            for part in parts {
                let numbers = part.compactMap { ($0 as? NSNumber)?.doubleValue }
                guard numbers.count >= 6, numbers.count % 2 == 0 else { continue }
                let points = stride(from: 0, to: numbers.count, by: 2).map { [numbers[$0] / w * 100, numbers[$0 + 1] / h * 100] }
                results.append(try base("polygonlabels", ["points": points, "closed": true]))
            }
        }
        let hasShape = !results.isEmpty
        if let keypoints = annotation["keypoints"] as? [Any], keypoints.count >= 3 {
            let numbers = keypoints.compactMap { ($0 as? NSNumber)?.doubleValue }
            for k in stride(from: 0, to: numbers.count - 2, by: 3) where numbers[k + 2] > 0 {
                let name = k / 3 < pointNames.count ? pointNames[k / 3] : label
                results.append(
                    try base(
                        "keypointlabels", ["x": numbers[k] / w * 100, "y": numbers[k + 1] / h * 100, "width": 0.5],
                        label: name))
            }
        }
        if results.isEmpty && !hasShape, annotation["keypoints"] == nil,
            let box = (annotation["bbox"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.doubleValue }), box.count == 4
        {
            results.append(
                try base(
                    "rectanglelabels",
                    ["x": box[0] / w * 100, "y": box[1] / h * 100, "width": box[2] / w * 100, "height": box[3] / h * 100,
                        "rotation": 0]))
        }
        return results
    }
}
