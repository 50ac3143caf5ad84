import Foundation
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// What a finished shard writes next to its journal
/// (`.labelkit-export-shard-INDEX-of-COUNT.json`): which shard it is, how much of
/// the journal it finished, and everything the merge must find equal in every
/// shard: the options, the input (``InputFingerprint``), the COCO categories'
/// numbering and the label files. No manifest means the shard has not finished.
struct ShardManifest: Equatable {
    /// The layout of this file.
    static let version = "1"

    var shard: ExportShard
    /// ``ExportOptions``' fingerprint (the format first).
    var options: String
    /// The input every shard must have read.
    var input: InputFingerprint
    /// The journal's length when the shard finished.
    var journalBytes: Int
    /// Tasks of this shard.
    var tasks: Int
    /// How COCO categories are numbered.
    var categories: COCOCategories
    /// `labels.json` or `classes.txt`, which depend on the label map only.
    var labelFiles: [String: [UInt8]]

    /// The manifest's JSON object.
    var json: [String: Any] {
        [
            "labelkit_export_shard": Self.version, "shard": shard.index, "of": shard.count, "options": options,
            "input": ["tasks": input.tasks, "bytes": input.bytes, "hash": input.hash] as [String: Any],
            "journal_bytes": journalBytes, "tasks": tasks, "categories": categories.json,
            "label_files": labelFiles.mapValues { String(decoding: $0, as: UTF8.self) },
        ]
    }

    init(
        shard: ExportShard, options: String, input: InputFingerprint, journalBytes: Int, tasks: Int,
        categories: COCOCategories, labelFiles: [String: [UInt8]]
    ) {
        self.shard = shard
        self.options = options
        self.input = input
        self.journalBytes = journalBytes
        self.tasks = tasks
        self.categories = categories
        self.labelFiles = labelFiles
    }

    /// Reads a manifest.
    ///
    /// - Throws: ``FormatsError`` naming the file when it cannot be read or is not
    ///   a shard manifest of this version.
    init(contentsOf path: String) throws(FormatsError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatsError(.invalidField, "\(path): cannot read the shard manifest")
        }
        let object = (try? ExactJSON.parse(data)) as? [String: Any] ?? [:]
        guard object["labelkit_export_shard"] as? String == Self.version, let index = object["shard"] as? Int,
            let count = object["of"] as? Int, let shard = try? ExportShard(index: index, count: count),
            let options = object["options"] as? String, let input = object["input"] as? [String: Any],
            let tasks = input["tasks"] as? Int, let bytes = input["bytes"] as? Int, let hash = input["hash"] as? String,
            let journalBytes = object["journal_bytes"] as? Int, let shardTasks = object["tasks"] as? Int,
            let categories = (object["categories"] as? [String: Any]).flatMap(COCOCategories.init(json:)),
            let labelFiles = object["label_files"] as? [String: String]
        else {
            throw FormatsError(.invalidField, "\(path): not a shard manifest of this version of labelkit")
        }
        self.init(
            shard: shard, options: options, input: InputFingerprint(tasks: tasks, bytes: bytes, hash: hash),
            journalBytes: journalBytes, tasks: shardTasks, categories: categories,
            labelFiles: labelFiles.mapValues { Array($0.utf8) })
    }

    /// Writes the manifest atomically into the shard's output folder.
    func write(to directory: String) throws(FormatsError) {
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
        do {
            try FileIO.writeAtomically(Array(data) + [0x0A], to: directory + "/" + shard.manifestName)
        } catch {
            throw FormatsError(.invalidField, error.message)
        }
    }
}
