import Foundation
import LabelKitCore
import LabelKitJSON

/// A Label Studio task from a JSON export: its id, data, annotations and
/// predictions, with results kept as JSON objects (unknown fields survive).
/// Items of the JSON-MIN export (flat: data fields plus one region list per
/// control tag) are read as a task with one annotation.
public struct LabelStudioTask: @unchecked Sendable {
    /// One annotation (or prediction) of a task.
    public struct Annotation: @unchecked Sendable {
        /// The annotation id (`nil` for predictions without one).
        public var id: String?
        /// Who made it: the `completed_by` value (an id or an object with `email`).
        public var completedBy: Any?
        /// The result items.
        public var result: [[String: Any]]
        /// `was_cancelled` (or the older `skipped`).
        public var wasCancelled: Bool
        /// `ground_truth`.
        public var groundTruth: Bool
        /// `created_at` as found (ISO text), for ordering.
        public var createdAt: String
        /// `updated_at` as found.
        public var updatedAt: String
        /// True for predictions.
        public var isPrediction: Bool

        /// The file-name-safe author: the email of `completed_by` (or its text),
        /// keeping letters, digits, `@` and `.`, as label-studio-converter does.
        public var author: String {
            let raw: String
            if let object = completedBy as? [String: Any] {
                raw = (object["email"] as? String) ?? ""
            } else if let number = completedBy as? NSNumber {
                raw = number.stringValue
            } else if let text = completedBy as? String {
                raw = text
            } else {
                raw = ""
            }
            return String(raw.filter { $0.isLetter || $0.isNumber || $0 == "@" || $0 == "." })
        }
    }

    /// The task id as text (`id`).
    public var id: String
    /// The task's `data` object.
    public var data: [String: Any]
    /// Annotations, in file order.
    public var annotations: [Annotation]
    /// Predictions, in file order.
    public var predictions: [Annotation]
    /// True when `predictions` lists ids only (`"predictions": [1, 2]`), as Label
    /// Studio's ordinary JSON export writes them: nothing to export.
    public var predictionIDsOnly = false

    /// Parses a task object.
    ///
    /// - Throws: ``FormatsError`` when the element is not an object.
    public init(json: Data, index: Int) throws(FormatsError) {
        let object: Any
        do {
            object = try ExactJSON.parse(json)
        } catch {
            throw FormatsError(.invalidJSON, "task \(index): \(error.description)")
        }
        guard let task = object as? [String: Any] else {
            throw FormatsError(.invalidField, "task \(index): expected an object")
        }
        self.init(object: task, index: index)
    }

    /// Builds a task from a decoded object (`index` names it when it has no id).
    public init(object task: [String: Any], index: Int) {
        if let number = task["id"] as? NSNumber {
            id = number.stringValue
        } else if let text = task["id"] as? String {
            id = text
        } else {
            id = String(index)
        }
        data = task["data"] as? [String: Any] ?? [:]
        func annotation(_ raw: Any, prediction: Bool) -> Annotation? {
            guard let a = raw as? [String: Any] else { return nil }
            let id = (a["id"] as? NSNumber)?.stringValue ?? a["id"] as? String
            return Annotation(
                id: id, completedBy: a["completed_by"], result: a["result"] as? [[String: Any]] ?? [],
                wasCancelled: (a["was_cancelled"] as? Bool) ?? (a["skipped"] as? Bool) ?? false,
                groundTruth: (a["ground_truth"] as? Bool) ?? false,
                createdAt: a["created_at"] as? String ?? "", updatedAt: a["updated_at"] as? String ?? "",
                isPrediction: prediction)
        }
        let rawAnnotations = (task["annotations"] ?? task["completions"]) as? [Any] ?? []
        annotations = rawAnnotations.compactMap { annotation($0, prediction: false) }
        let rawPredictions = task["predictions"] as? [Any] ?? []
        predictions = rawPredictions.compactMap { annotation($0, prediction: true) }
        predictionIDsOnly = !rawPredictions.isEmpty && rawPredictions.allSatisfy { $0 is NSNumber || $0 is Int }
        if task["annotations"] == nil && task["completions"] == nil && task["predictions"] == nil,
            let minimal = Self.minimalAnnotation(task)
        {
            annotations = [minimal]
            data = task.filter { !($0.value is [Any]) && !Self.minimalKeys.contains($0.key) }
        }
    }

    /// Why `object` is not a Label Studio task, or nil when it is one: a task has
    /// `data`, `annotations` (`completions`) or `predictions`; a JSON-MIN item has
    /// its annotator or at least one region. A COCO file is named as such.
    public static func notATask(_ object: [String: Any]) -> String? {
        if object["images"] is [Any] && object["annotations"] is [Any] && object["categories"] is [Any] {
            return "this is a COCO file (images, annotations, categories), not a Label Studio export;"
                + " `labelkit import-masks` turns COCO into Label Studio tasks"
        }
        let taskKeys = ["data", "annotations", "completions", "predictions", "annotator", "annotation_id"]
        if taskKeys.contains(where: { object[$0] != nil }) || minimalAnnotation(object) != nil { return nil }
        let keys = object.keys.sorted().prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
        return "not a Label Studio export: a task has \"data\" and \"annotations\" or \"predictions\""
            + (keys.isEmpty ? " (this object is empty)" : " (this object has \(keys)\(object.count > 5 ? ", ..." : ""))")
    }

    /// Keys of a JSON-MIN item that are not data fields.
    static let minimalKeys: Set<String> = [
        "id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement",
    ]

    /// The annotation of a JSON-MIN item (Label Studio's "JSON_MIN" export): one key
    /// per control tag (`from_name`) holding the region values, each with its
    /// label list and `original_width`/`original_height`.
    static func minimalAnnotation(_ item: [String: Any]) -> Annotation? {
        var results: [[String: Any]] = []
        for key in item.keys.sorted() {
            guard let values = item[key] as? [[String: Any]] else { continue }
            for (n, value) in values.enumerated() where value["original_width"] != nil {
                let labelKeys = ["rectanglelabels", "ellipselabels", "polygonlabels", "keypointlabels", "brushlabels", "labels"]
                let type =
                    labelKeys.first { value[$0] != nil }
                    ?? (value["rle"] != nil ? "brush" : value["points"] != nil ? "polygon"
                        : value["radiusX"] != nil ? "ellipse" : value["height"] != nil ? "rectangle" : "keypoint")
                var regionValue = value
                regionValue.removeValue(forKey: "original_width")
                regionValue.removeValue(forKey: "original_height")
                results.append([
                    "id": "\(key)-\(n)", "type": type, "from_name": key, "to_name": "image",
                    "original_width": value["original_width"]!, "original_height": value["original_height"] ?? 0,
                    "value": regionValue,
                ])
            }
        }
        guard !results.isEmpty else { return nil }
        return Annotation(
            id: (item["annotation_id"] as? NSNumber)?.stringValue ?? item["annotation_id"] as? String,
            completedBy: item["annotator"], result: results, wasCancelled: false, groundTruth: false,
            createdAt: item["created_at"] as? String ?? "", updatedAt: item["updated_at"] as? String ?? "",
            isPrediction: false)
    }

    /// The image reference (`data.image`, else the first string in `data`).
    public var imageReference: String {
        if let image = data["image"] as? String { return image }
        return data.values.compactMap { $0 as? String }.sorted().first ?? ""
    }
}

/// Which annotations of a task are exported.
public enum AnnotationSelection: String, Sendable, CaseIterable {
    /// The newest non-cancelled annotation per task (by `updated_at`, then `created_at`).
    case latest
    /// Every non-cancelled annotation, newest first (label-studio-converter's choice).
    case all
    /// Non-cancelled ground-truth annotations only.
    case groundTruth = "ground-truth"

    /// The annotations of `task` this selection keeps, plus its predictions when asked.
    public func annotations(of task: LabelStudioTask, predictions: Bool) -> [LabelStudioTask.Annotation] {
        let live = task.annotations.filter { !$0.wasCancelled }
        // Newest first; the sort is stable, so equal stamps keep file order.
        let newestFirst = live.enumerated().sorted { a, b in
            let ka = a.element.updatedAt.isEmpty ? a.element.createdAt : a.element.updatedAt
            let kb = b.element.updatedAt.isEmpty ? b.element.createdAt : b.element.updatedAt
            return ka != kb ? ka > kb : a.offset < b.offset
        }.map(\.element)
        var chosen: [LabelStudioTask.Annotation]
        switch self {
        case .latest: chosen = Array(newestFirst.prefix(1))
        case .all: chosen = newestFirst
        case .groundTruth: chosen = newestFirst.filter(\.groundTruth)
        }
        if predictions { chosen += task.predictions }
        return chosen
    }
}
