import Foundation
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// Writes the files that cover every task from journal lines in task order:
/// `errors.jsonl` always, `coco.json` for COCO, and the label files (`labels.json`,
/// `classes.txt`). The end of an unsharded export and ``ExportMerge`` both call it,
/// so a merged export is the unsharded one byte for byte. Stored bytes are copied
/// as they are: failures are their `errors.jsonl` lines, COCO objects their text
/// with the ids written into their holes (``SplicedJSON``).
struct ExportAssembler {
    /// The export's format.
    let format: ExportFormat
    /// How COCO categories are numbered.
    let categories: COCOCategories
    /// The label files, which depend on the label map only.
    let labelFiles: [String: [UInt8]]
    /// The output folder.
    let directory: String

    /// What the assembly found and wrote.
    struct Outcome {
        /// Every failure, in task order.
        var failures: [TaskExport.Failure] = []
        /// Files written.
        var files = 0
    }

    /// Writes the assembled files.
    ///
    /// - Parameters:
    ///   - lines: the finished tasks, in task order.
    ///   - replaced: failures that take the place of a line's output, by position
    ///     in `lines` (a task whose file name an earlier task holds, found by the merge).
    /// - Throws: ``FormatsError`` naming a file that cannot be written or a journal
    ///   line that is not as it was recorded.
    func write(_ lines: [JournalLineRef], replaced: [Int: TaskExport.Failure] = [:]) throws(FormatsError) -> Outcome {
        var outcome = Outcome()
        var errors = try BufferedFileWriter(path: directory + "/errors.jsonl")
        for (k, line) in lines.enumerated() {
            if let failure = replaced[k] {
                errors.append(Array((failure.jsonLine + "\n").utf8))
                outcome.failures.append(failure)
                continue
            }
            for span in line.record.failures {
                errors.append(UnsafeBufferPointer(rebasing: line.bytes[span]))
                errors.append("\n")
                outcome.failures.append(Self.failure(UnsafeBufferPointer(rebasing: line.bytes[span])))
            }
        }
        try errors.commit()
        outcome.files += 1
        if format == .coco {
            try writeCOCO(lines, replaced: replaced)
            outcome.files += 1
        }
        for (name, bytes) in labelFiles.sorted(by: { $0.key < $1.key }) {
            do {
                try FileIO.writeAtomically(bytes, to: directory + "/" + name)
            } catch {
                throw FormatsError(.invalidField, error.message)
            }
            outcome.files += 1
        }
        return outcome
    }

    /// The label files of an export with `labels`: `labels.json` for semantic
    /// masks, `classes.txt` for YOLO.
    static func labelFiles(format: ExportFormat, labels: LabelMap) -> [String: [UInt8]] {
        switch format {
        case .semantic: return ["labels.json": Array(labels.semanticJSON())]
        case .yolo, .yoloSeg, .yoloOBB, .yoloPose:
            return ["classes.txt": Array(labels.names.map { $0 + "\n" }.joined().utf8)]
        case .png, .coco, .voc, .numpy: return [:]
        }
    }

    /// A failure from its `errors.jsonl` line.
    static func failure(_ line: UnsafeBufferPointer<UInt8>) -> TaskExport.Failure {
        let fields = (try? ExactJSON.parse(Data(line))) as? [String: String] ?? [:]
        return .init(
            taskID: fields["task"] ?? "", annotationID: fields["annotation"] ?? "", regionID: fields["region"] ?? "",
            message: fields["error"] ?? "")
    }

    /// Streams `coco.json` in three passes over the lines (category names, images,
    /// annotations), copying each object's text with its ids written in, so memory
    /// holds the lines' positions, not their objects.
    private func writeCOCO(_ lines: [JournalLineRef], replaced: [Int: TaskExport.Failure]) throws(FormatsError) {
        let live = lines.indices.filter { replaced[$0] == nil && !lines[$0].record.failed }
        // Pass 1: category names in order of first appearance; each annotation's
        // position among them (-1: the merged keypoint category).
        var seen = categories.seededNames()
        var ordinals: [Int32] = []
        for k in live {
            let line = lines[k]
            let readable = line.record.forEachCOCOPart(in: line.bytes) { _, annotations in
                for annotation in annotations {
                    let name = JournalRecord.string(line.bytes, annotation.category)
                    if name == LabelMap.keypointCategory {
                        ordinals.append(-1)
                    } else {
                        ordinals.append(Int32(seen.insert(name)))
                    }
                }
            }
            guard readable else {
                throw FormatsError(
                    .invalidField, "\(line.file.path): the line of task #\(line.record.index) is damaged")
            }
        }
        let (categoryJSON, ids) = categories.resolve(seen)
        let categoryIDs = seen.names.map { ids[$0] ?? categories.base }
        let keypointID = ids[LabelMap.keypointCategory] ?? categories.base
        var out = try BufferedFileWriter(path: directory + "/coco.json")
        out.append("{\"info\":{\"description\":\"Exported by LabelKit\",\"version\":\"1.0\"},\"categories\":")
        out.append([UInt8](categoryJSON))
        // Pass 2: images.
        out.append(",\"images\":[")
        var imageCount = 0
        for k in live {
            let line = lines[k]
            _ = line.record.forEachCOCOPart(in: line.bytes) { image, _ in
                if imageCount > 0 { out.append(",") }
                SplicedJSON.write(
                    UnsafeBufferPointer(rebasing: line.bytes[image.text]), cuts: image.cuts,
                    values: [imageCount + categories.base], into: &out)
                imageCount += 1
            }
        }
        // Pass 3: annotations.
        out.append("],\"annotations\":[")
        var imageIndex = 0, annotationCount = 0
        for k in live {
            let line = lines[k]
            _ = line.record.forEachCOCOPart(in: line.bytes) { _, annotations in
                for annotation in annotations {
                    let ordinal = Int(ordinals[annotationCount])
                    let category = ordinal < 0 ? keypointID : categoryIDs[ordinal]
                    if annotationCount > 0 { out.append(",") }
                    SplicedJSON.write(
                        UnsafeBufferPointer(rebasing: line.bytes[annotation.object.text]), cuts: annotation.object.cuts,
                        values: [category, annotationCount + categories.base, imageIndex + categories.base],
                        into: &out)
                    annotationCount += 1
                }
                imageIndex += 1
            }
        }
        out.append("]}")
        try out.commit()
    }
}
