import Foundation
import Testing

/// Inputs, runs and comparisons for the sharded export tests.
enum ShardInput {
    /// FNV-1a 64, written here from its definition (offset basis 14695981039346656037,
    /// prime 1099511628211), so the tests do not rely on the hash under test.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        return hash
    }

    /// The shard of a task whose key (id text) is `key`, by the README's rule.
    static func shard(of key: String, count: Int) -> Int { Int(fnv1a64(key) % UInt64(count)) }

    /// `count` small tasks: brushes, rectangles, polygons and keypoints whose labels
    /// first appear in later and later tasks (so categories and classes depend on
    /// every shard), two annotations per task, and every 9th task with a broken
    /// brush (it fails into errors.jsonl). Image names are distinct.
    static func mixedTasks(count: Int, imageName: (Int) -> String = { "img/\($0).jpg" }) -> String {
        let (w, h) = (32, 24)
        let brushes = (0..<3).map { k in
            ExportInput.mask2rle(
                ExportInput.blob(w, h, cx: 8 + 6 * Double(k), cy: 12, rx: 4 + Double(k), ry: 5))
        }
        func result(_ id: String, _ type: String, _ from: String, _ value: String) -> String {
            """
            {"id": "\(id)", "type": "\(type)", "from_name": "\(from)", "to_name": "image", "original_width": \(w), \
            "original_height": \(h), "value": {\(value)}}
            """
        }
        var tasks: [String] = []
        for t in 1...count {
            let label = "L\(t * 7 % 11)"
            let rle =
                t % 9 == 0
                ? "[0, 0, 78, 32, 57, 27, 255]" : "[" + brushes[t % 3].map(String.init).joined(separator: ",") + "]"
            let results = [
                result(
                    "b\(t)", "brushlabels", "tag", #""format": "rle", "rle": \#(rle), "brushlabels": ["\#(label)"]"#),
                result(
                    "r\(t)", "rectanglelabels", "label",
                    #""x": \#(t % 50), "y": 10.5, "width": 30, "height": 40, "rotation": \#(t * 13 % 90), "rectanglelabels": ["Box\#(t % 4)"]"#
                ),
                result(
                    "p\(t)", "polygonlabels", "poly",
                    #""points": [[5, 5], [60, 8.25], [30, \#(50 + t % 40)]], "polygonlabels": ["\#(label)"]"#),
                result("k\(t)", "keypointlabels", "kp", #""x": 30, "y": 40, "width": 1, "keypointlabels": ["Point"]"#),
            ]
            tasks.append(
                """
                {"id": \(t), "data": {"image": "/data/local-files/?d=\(imageName(t))"}, "annotations": [\
                {"id": \(1000 + t), "completed_by": {"email": "user\(t % 3)@example.com"}, \
                "created_at": "2024-05-0\(1 + t % 9)T00:00:00.000000Z", "result": [\(results.joined(separator: ", "))]}, \
                {"id": \(2000 + t), "completed_by": 9, "created_at": "2024-04-01T00:00:00.000000Z", \
                "result": [\(results[1])]}]}
                """)
        }
        return "[\n" + tasks.joined(separator: ",\n") + "\n]\n"
    }

    /// Every file under `dir` with its bytes, the shards' bookkeeping
    /// (`.labelkit-export*`) left out.
    static func outputFiles(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir) else { return out }
        while let name = walker.nextObject() as? String {
            if name.split(separator: "/").contains(where: { $0.hasPrefix(".labelkit-export") }) { continue }
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    /// Compares two export folders file for file, byte for byte.
    static func expectSameOutput(_ a: String, _ b: String, _ context: String) throws {
        let x = try outputFiles(a), y = try outputFiles(b)
        #expect(!x.isEmpty, "\(context): \(a) is empty")
        let onlyA = Set(x.keys).subtracting(y.keys).sorted(), onlyB = Set(y.keys).subtracting(x.keys).sorted()
        #expect(onlyA.isEmpty, "\(context): only in the unsharded export: \(onlyA.prefix(10))")
        #expect(onlyB.isEmpty, "\(context): only in the merged export: \(onlyB.prefix(10))")
        let differing = x.keys.filter { y[$0] != nil && y[$0] != x[$0] }.sorted()
        #expect(differing.isEmpty, "\(context): \(differing.count) files differ, e.g. \(differing.prefix(5))")
    }

    /// The task positions recorded in a shard journal (header skipped).
    static func journalIndices(_ path: String) throws -> Set<Int> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(
            text.split(separator: "\n").dropFirst().compactMap {
                ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["i"] as? Int
            })
    }

    /// Runs `count` shards of `labelkit export input args` into one folder (`shared`)
    /// or folders `dir/shard-K`; returns the folders written. Each shard must exit 0.
    static func runShards(
        _ input: String, _ args: [String], count: Int, shared: String?, under dir: TempDir
    ) throws -> [String] {
        var folders: [String] = []
        for k in 0..<count {
            let folder = shared ?? dir.path("shard-\(k)")
            let run = try CLI.run(["export", input] + args + ["-o", folder, "--shard", "\(k)/\(count)", "--quiet"])
            try #require(run.status == 0, "shard \(k)/\(count): \(run.stderrText)")
            #expect(
                run.stderrText.split(separator: "\n").allSatisfy { $0.hasPrefix("labelkit: task ") },
                "a quiet shard prints only failed tasks: \(run.stderrText)")
            if !folders.contains(folder) { folders.append(folder) }
        }
        return folders
    }
}
