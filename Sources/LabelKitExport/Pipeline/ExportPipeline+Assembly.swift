import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging

extension ExportPipeline {
    /// Writes the files that cover every task, from the journal in task order:
    /// `errors.jsonl` always, `coco.json` for COCO, `labels.json` for semantic
    /// masks, `classes.txt` for YOLO.
    func assemble(journal: ExportJournal, labels: LabelMap, summary: inout ExportSummary) throws(FormatsError) {
        var failures: [TaskExport.Failure] = []
        do {
            try journal.forEachEntry { entry in
                guard let list = entry["failures"] as? [[String: String]] else { return }
                failures += list.map {
                    .init(
                        taskID: $0["task"] ?? "", annotationID: $0["annotation"] ?? "", regionID: $0["region"] ?? "",
                        message: $0["error"] ?? "")
                }
            }
        } catch {
            throw FormatsError(.invalidField, "\(journal.path): \(error.localizedDescription)")
        }
        summary.failures = failures
        summary.failed = failures.isEmpty ? 0 : Set(failures.map(\.taskID)).count
        let errorLines = failures.map { $0.jsonLine + "\n" }.joined()
        try write(Array(errorLines.utf8), "errors.jsonl", summary: &summary)
        switch options.format {
        case .coco:
            try writeCOCO(journal: journal, labels: labels)
            summary.files += 1
        case .semantic:
            try write(Array(labels.semanticJSON()), "labels.json", summary: &summary)
        case .yolo, .yoloSeg, .yoloOBB, .yoloPose:
            let text = labels.names.map { $0 + "\n" }.joined()
            try write(Array(text.utf8), "classes.txt", summary: &summary)
        case .png, .voc, .numpy:
            break
        }
    }

    /// The COCO images and annotations of one journal entry, in order (one image
    /// per task, or one per annotation in converter-compatible mode).
    private static func cocoParts(_ entry: [String: Any]) -> [(image: [String: Any], annotations: [[String: Any]])] {
        guard let coco = entry["coco"] as? [String: Any] else { return [] }
        if let parts = coco["converterImages"] as? [[String: Any]] {
            return parts.compactMap { part in
                (part["image"] as? [String: Any]).map { ($0, part["annotations"] as? [[String: Any]] ?? []) }
            }
        }
        guard let image = coco["image"] as? [String: Any] else { return [] }
        return [(image, coco["annotations"] as? [[String: Any]] ?? [])]
    }

    /// Streams `coco.json` from the journal in three passes (categories, images,
    /// annotations), holding one task at a time, so memory stays flat however
    /// large the export.
    private func writeCOCO(journal: ExportJournal, labels: LabelMap) throws(FormatsError) {
        let converter = options.converterCompatible
        // Label Studio's ids (from 0) with a labeling config, and in the converter's values.
        let base = converter || labels.isFromConfig ? 0 : 1
        // Pass 1: category names, in order of first appearance.
        var seen = labels
        do {
            try journal.forEachEntry { entry in
                for part in Self.cocoParts(entry) {
                    for annotation in part.annotations {
                        let name = annotation["category"] as? String ?? "no_label"
                        if name != LabelMap.keypointCategory { seen.insert(name) }
                    }
                }
            }
        } catch {
            throw FormatsError(.invalidField, "\(journal.path): \(error.localizedDescription)")
        }
        // The converter's categories without a config: label names sorted, ids from 0.
        let names = converter && !labels.isFromConfig ? seen.names.sorted() : seen.names
        var categoryID = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0 + base) })
        var categories: [[String: Any]] = names.enumerated().filter { !LabelMap.isPlaceholder($0.element) }.map {
            ["id": $0.offset + base, "name": $0.element]
        }
        if converter && labels.isFromConfig && !labels.keypointLabels.isEmpty {
            // Label Studio's COCO export with KeyPointLabels: their labels leave the categories and
            // one "default" category (the next id) lists them as its keypoints.
            let keypointNames = Set(labels.keypointLabels)
            categories.removeAll { keypointNames.contains($0["name"] as? String ?? "") }
            let merged = (categories.compactMap { $0["id"] as? Int }.max() ?? -1) + 1
            categories.append([
                "id": merged, "name": "default", "supercategory": "default", "keypoints": labels.keypointLabels,
                "skeleton": [Any](),
            ])
            categoryID[LabelMap.keypointCategory] = merged
        }
        let path = outputDirectory + "/coco.json"
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let out = FileHandle(forWritingAtPath: temporary)
        else {
            throw FormatsError(.invalidField, "\(temporary): cannot create")
        }
        do {
            defer { try? out.close() }
            func json(_ object: Any) throws -> Data {
                try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            }
            try out.write(contentsOf: Data("{\"info\":{\"description\":\"Exported by LabelKit\",\"version\":\"1.0\"},".utf8))
            try out.write(contentsOf: Data("\"categories\":".utf8))
            try out.write(contentsOf: try json(categories))
            // Pass 2: images.
            try out.write(contentsOf: Data(",\"images\":[".utf8))
            var imageCount = 0
            try journal.forEachEntry { entry in
                for part in Self.cocoParts(entry) {
                    var image = part.image
                    image["id"] = imageCount + base
                    try out.write(contentsOf: Data((imageCount > 0 ? "," : "").utf8) + (try json(image)))
                    imageCount += 1
                }
            }
            // Pass 3: annotations.
            try out.write(contentsOf: Data("],\"annotations\":[".utf8))
            var imageIndex = 0, annotationCount = 0
            try journal.forEachEntry { entry in
                for part in Self.cocoParts(entry) {
                    for var annotation in part.annotations {
                        let name = annotation.removeValue(forKey: "category") as? String ?? "no_label"
                        annotation["category_id"] = categoryID[name] ?? base
                        annotation["image_id"] = imageIndex + base
                        annotation["id"] = annotationCount + base
                        try out.write(contentsOf: Data((annotationCount > 0 ? "," : "").utf8) + (try json(annotation)))
                        annotationCount += 1
                    }
                    imageIndex += 1
                }
            }
            try out.write(contentsOf: Data("]}".utf8))
            try out.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw FormatsError(.invalidField, "\(path): cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw FormatsError(.invalidField, "\(path): cannot rename the finished file into place")
        }
    }

    private func write(_ bytes: [UInt8], _ name: String, summary: inout ExportSummary) throws(FormatsError) {
        do {
            try FileIO.writeAtomically(bytes, to: outputDirectory + "/" + name)
            summary.files += 1
        } catch {
            throw FormatsError(.invalidField, error.message)
        }
    }
}
