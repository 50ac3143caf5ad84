import Foundation
import LabelKitFormats

/// How `coco.json` numbers its categories: the label map's names first (a
/// config's or `--label-map`'s, in class order), then every other category name
/// in order of first appearance in the tasks; ids from 1, or from 0 in Label
/// Studio's numbering (a config) and in the converter's (sorted names without a
/// config). Recorded in shard manifests, so the merge numbers them the same way.
struct COCOCategories: Equatable, Sendable {
    /// The first id.
    var base: Int
    /// Names that come first, in order (placeholders of free ids included).
    var seed: [String]
    /// Converter-compatible without a config: all names sorted.
    var sortsNames: Bool
    /// Converter-compatible with a config that has KeyPointLabels: these labels
    /// leave the categories and one `default` category (the next id) lists them.
    var keypointLabels: [String]

    /// The categories of an export with `options` and `labels`.
    init(options: ExportOptions, labels: LabelMap) {
        let converter = options.converterCompatible
        base = converter || labels.isFromConfig ? 0 : 1
        seed = labels.names
        sortsNames = converter && !labels.isFromConfig
        keypointLabels = converter && labels.isFromConfig ? labels.keypointLabels : []
    }

    /// The categories as a manifest records them.
    var json: [String: Any] {
        ["base": base, "seed": seed, "sorted": sortsNames, "keypoint_labels": keypointLabels]
    }

    /// The categories a manifest recorded; nil when a field is missing.
    init?(json: [String: Any]) {
        guard let base = json["base"] as? Int, let seed = json["seed"] as? [String],
            let sorted = (json["sorted"] as? NSNumber)?.boolValue, let keypoints = json["keypoint_labels"] as? [String]
        else { return nil }
        self.base = base
        self.seed = seed
        sortsNames = sorted
        keypointLabels = keypoints
    }

    /// The names in order of appearance so far: the seed, before any task.
    func seededNames() -> LabelMap {
        var seen = LabelMap()
        for name in seed { seen.insert(name) }
        return seen
    }

    /// Adds the category name of the next annotation (in task order) to `seen`.
    static func note(_ name: String, in seen: inout LabelMap) {
        if name != LabelMap.keypointCategory { seen.insert(name) }
    }

    /// The `categories` array's JSON text and the id of every name, given every
    /// annotation's name noted in `seen`.
    func resolve(_ seen: LabelMap) -> (json: Data, ids: [String: Int]) {
        let ordered = sortsNames ? seen.names.sorted() : seen.names
        var ids = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0 + base) })
        var categories: [[String: Any]] = ordered.enumerated().filter { !LabelMap.isPlaceholder($0.element) }.map {
            ["id": $0.offset + base, "name": $0.element]
        }
        if !keypointLabels.isEmpty {
            let keypointNames = Set(keypointLabels)
            categories.removeAll { keypointNames.contains($0["name"] as? String ?? "") }
            let merged = (categories.compactMap { $0["id"] as? Int }.max() ?? -1) + 1
            categories.append([
                "id": merged, "name": "default", "supercategory": "default", "keypoints": keypointLabels,
                "skeleton": [Any](),
            ])
            ids[LabelMap.keypointCategory] = merged
        }
        let json = (try? JSONSerialization.data(withJSONObject: categories, options: [.sortedKeys])) ?? Data("[]".utf8)
        return (json, ids)
    }
}
