import Foundation
import LabelKitCore
import LabelKitImaging

extension ExportPipeline {
    /// Writes the files that cover every task, from the journal in task order:
    /// `errors.jsonl` always, `coco.json` for COCO, `labels.json` for semantic
    /// masks, `classes.txt` for YOLO.
    func assemble(journal: ExportJournal, labels: LabelMap, summary: inout ExportSummary) throws(FormatsError) {
        var failures: [TaskExport.Failure] = []
        var categories = labels
        var images: [[String: Any]] = []
        var annotations: [[String: Any]] = []
        var convertedCategories: Set<String> = []
        do {
            try journal.forEachEntry { entry in
                if let list = entry["failures"] as? [[String: String]] {
                    failures += list.map {
                        .init(
                            taskID: $0["task"] ?? "", annotationID: $0["annotation"] ?? "", regionID: $0["region"] ?? "",
                            message: $0["error"] ?? "")
                    }
                }
                guard options.format == .coco, let coco = entry["coco"] as? [String: Any] else { return }
                if let parts = coco["converterImages"] as? [[String: Any]] {
                    for part in parts {
                        guard var image = part["image"] as? [String: Any] else { continue }
                        let imageID = images.count
                        image["id"] = imageID
                        images.append(image)
                        for var annotation in part["annotations"] as? [[String: Any]] ?? [] {
                            let name = annotation.removeValue(forKey: "category") as? String ?? ""
                            convertedCategories.insert(name)
                            annotation["category"] = name
                            annotation["image_id"] = imageID
                            annotation["id"] = annotations.count
                            annotations.append(annotation)
                        }
                    }
                    return
                }
                guard var image = coco["image"] as? [String: Any] else { return }
                let imageID = images.count + 1
                image["id"] = imageID
                images.append(image)
                for var annotation in coco["annotations"] as? [[String: Any]] ?? [] {
                    let name = annotation.removeValue(forKey: "category") as? String ?? "no_label"
                    annotation["category_id"] = categories.insert(name) + 1
                    annotation["image_id"] = imageID
                    annotation["id"] = annotations.count + 1
                    annotations.append(annotation)
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
            var categoryList = categories.names.enumerated().map { ["id": $0.offset + 1, "name": $0.element] as [String: Any] }
            if options.converterCompatible {
                // The converter's categories: label names sorted, ids from 0.
                let names = labels.names.isEmpty ? convertedCategories.sorted() : labels.names.sorted()
                let ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
                categoryList = names.enumerated().map { ["id": $0.offset, "name": $0.element] }
                annotations = annotations.map { a in
                    var a = a
                    let name = a.removeValue(forKey: "category") as? String ?? ""
                    a["category_id"] = ids[name] ?? -1
                    return a
                }
            }
            let document: [String: Any] = [
                "info": ["description": "Exported by LabelKit", "version": "1.0"],
                "images": images,
                "annotations": annotations,
                "categories": categoryList,
            ]
            let data: Data
            do {
                data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
            } catch {
                throw FormatsError(.invalidField, "cannot encode coco.json: \(error.localizedDescription)")
            }
            try write(Array(data), "coco.json", summary: &summary)
        case .semantic:
            try write(Array(labels.semanticJSON()), "labels.json", summary: &summary)
        case .yolo, .yoloSeg, .yoloOBB:
            let text = labels.names.map { $0 + "\n" }.joined()
            try write(Array(text.utf8), "classes.txt", summary: &summary)
        case .png:
            break
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
