import Foundation
import Testing

/// `labelkit export --shard INDEX/COUNT` and `labelkit export merge`: four shards
/// and a merge give the unsharded export byte for byte, in one shared folder and
/// in a folder per shard; the split follows FNV-1a 64 of the task id; the merge
/// refuses shards that do not make one export; a killed shard resumes.
@Suite("labelkit export --shard and export merge")
struct CLIExportShardTests {
    /// `--to` and the options of each configuration.
    static let configurations: [[String]] = [
        ["--to", "png"], ["--to", "semantic"], ["--to", "coco"], ["--to", "coco", "--converter-compatible"],
        ["--to", "yolo"], ["--to", "voc"], ["--to", "numpy"],
    ]

    enum Layout: String, CaseIterable, CustomTestStringConvertible {
        case shared, separate
        var testDescription: String { rawValue }
    }

    @Test(
        "4 shards + merge = one unsharded run, byte for byte", arguments: configurations, Layout.allCases)
    func shardsEqualUnsharded(_ options: [String], _ layout: Layout) throws {
        let dir = try TempDir()
        let input = dir.path("tasks.json")
        try ShardInput.mixedTasks(count: 40).write(toFile: input, atomically: true, encoding: .utf8)
        let args = options + ["--annotations", "all", "--jobs", "2"]
        let full = try CLI.run(["export", input] + args + ["-o", dir.path("full"), "--quiet"])
        let failed = full.stderrLines.filter { $0.hasPrefix("labelkit: task ") }
        // Every 9th task has a broken brush (the converter's COCO leaves brushes out).
        #expect(full.status == (failed.isEmpty ? 0 : 1), "\(full.stderrText)")
        #expect(failed.count == (options.contains("--converter-compatible") ? 0 : 4), "\(full.stderrText)")

        let folders = try ShardInput.runShards(
            input, args, count: 4, shared: layout == .shared ? dir.path("shared") : nil, under: dir)
        let merged = layout == .shared ? folders[0] : dir.path("merged")
        let merge = try CLI.run(["export", "merge"] + folders + (layout == .shared ? [] : ["-o", merged]))
        #expect(merge.status == full.status, "\(merge.stderrText)")
        #expect(
            merge.stderrLines.filter { $0.hasPrefix("labelkit: task ") } == failed,
            "the merge reports the failed tasks as the unsharded export does")
        let line = "merged 40 tasks of 4 shards: \(40 - failed.count) exported, \(failed.count) failed;"
        #expect(merge.stderrLines.last?.hasPrefix(line) == true, "\(merge.stderrText)")
        try ShardInput.expectSameOutput(dir.path("full"), merged, "\(options.joined(separator: " ")), \(layout)")
        if layout == .shared {
            #expect(!FileManager.default.fileExists(atPath: merged + "/.labelkit-export-shard-0-of-4"))
        }
    }

    @Test("the split is FNV-1a 64 of the id's text mod COUNT; a task without an id uses its position")
    func stableSplit() throws {
        // Reference vectors of FNV-1a 64 check the hand-written hash first.
        #expect(ShardInput.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(ShardInput.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ShardInput.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        // Integer ids as written, string ids by their characters (escapes decoded), and
        // the fifth task (position 4) without an id.
        let ids = ["1", "2", "3", "42", "1000000007", #""a\"b""#, #""Кошка""#, "", "7", "-5", "8", "9"]
        let keys = ["1", "2", "3", "42", "1000000007", "a\"b", "Кошка", "7", "7", "-5", "8", "9"]
        let tasks = ids.enumerated().map { k, id in
            let idMember = id.isEmpty ? "" : "\"id\": \(id), "
            return #"{"data": {"image": "i\#(k).jpg", "id": 99}, \#(idMember)"annotations": []}"#
        }
        // Known shards, from the hash computed by hand: FNV-1a 64 of "42" is 0x07ee7e07b4b19223.
        #expect(ShardInput.fnv1a64("42") == 0x07ee_7e07_b4b1_9223)
        #expect(ShardInput.shard(of: "42", count: 3) == 1 && ShardInput.shard(of: "42", count: 4) == 3)
        let dir = try TempDir()
        let input = dir.path("tasks.json")
        try ("[" + tasks.joined(separator: ",\n") + "]").write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.path("out")
        for k in 0..<3 {
            let run = try CLI.run(["export", input, "--to", "coco", "-o", out, "--shard", "\(k)/3", "--quiet"])
            try #require(run.status == 0, "\(run.stderrText)")
            let expected = Set(keys.indices.filter { ShardInput.shard(of: keys[$0], count: 3) == k })
            #expect(
                try ShardInput.journalIndices(out + "/.labelkit-export-shard-\(k)-of-3.jsonl") == expected,
                "shard \(k)/3")
        }
        #expect(try ShardInput.journalIndices(out + "/.labelkit-export-shard-1-of-3.jsonl").contains(3), "id 42")
        // The three shards cover every task once.
        var all: [Int] = []
        for k in 0..<3 { all += try ShardInput.journalIndices(out + "/.labelkit-export-shard-\(k)-of-3.jsonl") }
        #expect(all.sorted() == Array(0..<ids.count))
    }

    @Test(
        "--shard must be INDEX/COUNT with 0 <= INDEX < COUNT: exit 2 with one line",
        arguments: ["4/4", "-1/4", "1/0", "0/0", "x", "1/", "/4", "1/4/2", "1.5/4", " 1/4", "1/four"])
    func shardArgument(_ value: String) throws {
        let dir = try TempDir()
        let run = try CLI.run(["export", ExportInput.sample, "--to", "png", "-o", dir.path("out"), "--shard", value])
        #expect(run.status == 2, "--shard \(value): \(run.stderrText)")
        #expect(run.stderrLines.count == 1, "\(run.stderrText)")
        #expect(run.stderrText.hasPrefix("labelkit: error: "), "\(run.stderrText)")
        #expect(run.stderrText.contains("shard"), "\(run.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("out")), "nothing is written")
    }

    @Test("file names two tasks want: the first in input order keeps them, as unsharded --jobs 1")
    func nameClashes() throws {
        // Pairs of tasks that name one YOLO label file: one pair in different shards, one in the same.
        let shards = (1...40).map { ShardInput.shard(of: String($0), count: 4) }
        // Every 9th task fails (a broken brush) and writes no file: none of them here.
        let apart = try #require((3...40).first { $0 % 9 != 0 && shards[$0 - 1] != shards[0] })
        let together = try #require((3...40).first { $0 % 9 != 0 && $0 != apart && shards[$0 - 1] == shards[1] })
        let clashing: [Int: String] = [apart: "img/1.jpg", together: "img/2.jpg"]
        let dir = try TempDir()
        let input = dir.path("tasks.json")
        try ShardInput.mixedTasks(count: 40) { clashing[$0] ?? "img/\($0).jpg" }
            .write(toFile: input, atomically: true, encoding: .utf8)
        for layout in Layout.allCases {
            let root = dir.path(layout.rawValue)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let args = ["--to", "yolo", "--annotations", "all", "--jobs", "1"]
            let full = try CLI.run(["export", input] + args + ["-o", root + "/full", "--quiet"])
            let clashes = full.stderrLines.filter { $0.contains("is already written by task #") }
            #expect(clashes.count == 2, "\(full.stderrText)")
            let shardRoot = try TempDir()
            let folders = try ShardInput.runShards(
                input, args, count: 4, shared: layout == .shared ? root + "/shared" : nil, under: shardRoot)
            let merged = layout == .shared ? folders[0] : root + "/merged"
            let merge = try CLI.run(["export", "merge"] + folders + (layout == .shared ? [] : ["-o", merged]))
            #expect(merge.status == 1, "\(merge.stderrText)")
            #expect(merge.stderrLines.filter { $0.contains("is already written by task #") } == clashes)
            try ShardInput.expectSameOutput(root + "/full", merged, "name clashes, \(layout)")
        }
    }

    // MARK: - Refusals

    /// Four PNG shards of the sample into `dir/out`.
    static func fourShards(_ dir: TempDir, extra: [String] = []) throws -> String {
        let out = dir.path("out")
        _ = try ShardInput.runShards(ExportInput.sample, ["--to", "png"] + extra, count: 4, shared: out, under: dir)
        return out
    }

    static func expectRefusal(_ args: [String], mentions words: [String]) throws {
        let run = try CLI.run(args)
        #expect(run.status == 2, "\(args): \(run.stderrText)")
        #expect(run.stderrLines.count == 1, "one line: \(run.stderrText)")
        #expect(run.stderrText.hasPrefix("labelkit: error: "), "\(run.stderrText)")
        for word in words { #expect(run.stderrText.contains(word), "\(word) in: \(run.stderrText)") }
    }

    @Test("merge refuses a missing shard, naming it")
    func missingShard() throws {
        let dir = try TempDir()
        let out = try Self.fourShards(dir)
        try FileManager.default.removeItem(atPath: out + "/.labelkit-export-shard-2-of-4.jsonl")
        try Self.expectRefusal(
            ["export", "merge", out], mentions: ["2/4", "missing", ".labelkit-export-shard-2-of-4.jsonl"])
        #expect(!FileManager.default.fileExists(atPath: out + "/errors.jsonl"), "nothing is assembled")
    }

    @Test("merge refuses a shard that has not finished (no manifest)")
    func unfinishedShard() throws {
        let dir = try TempDir()
        let out = try Self.fourShards(dir)
        try FileManager.default.removeItem(atPath: out + "/.labelkit-export-shard-1-of-4.json")
        try Self.expectRefusal(
            ["export", "merge", out], mentions: ["1/4", "not finished", ".labelkit-export-shard-1-of-4.json"])
    }

    @Test("merge refuses a shard found twice")
    func duplicateShard() throws {
        let dir = try TempDir()
        let folders = try ShardInput.runShards(ExportInput.sample, ["--to", "png"], count: 4, shared: nil, under: dir)
        let copy = dir.path("copy")
        _ = try ShardInput.runShards(ExportInput.sample, ["--to", "png"], count: 2, shared: copy, under: dir)
        try FileManager.default.removeItem(atPath: copy + "/.labelkit-export-shard-0-of-2.jsonl")
        try FileManager.default.moveItem(
            atPath: copy + "/.labelkit-export-shard-1-of-2.jsonl", toPath: copy + "/.labelkit-export-shard-1-of-4.jsonl"
        )
        try Self.expectRefusal(
            ["export", "merge"] + folders + [copy, "-o", dir.path("merged")],
            mentions: ["1/4", "twice", folders[1], copy])
    }

    @Test("merge refuses shards of different splits")
    func differentCounts() throws {
        let dir = try TempDir()
        let out = try Self.fourShards(dir)
        _ = try CLI.run(["export", ExportInput.sample, "--to", "png", "-o", out, "--shard", "0/3", "--quiet"])
        try Self.expectRefusal(["export", "merge", out], mentions: ["different splits", "0/3"])
    }

    @Test("merge refuses shards exported with other options")
    func differentOptions() throws {
        let dir = try TempDir()
        let out = try Self.fourShards(dir)
        let again = try CLI.run([
            "export", ExportInput.sample, "--to", "png", "--annotations", "all", "-o", out, "--shard", "3/4", "--quiet",
            "--force",
        ])
        try #require(again.status == 0, "\(again.stderrText)")
        try Self.expectRefusal(
            ["export", "merge", out], mentions: ["other options", ".labelkit-export-shard-3-of-4.json"])
    }

    @Test("merge refuses shards exported from another input")
    func differentInputs() throws {
        let dir = try TempDir()
        let out = try Self.fourShards(dir)
        let changed = dir.path("changed.json")
        var text = try String(contentsOfFile: ExportInput.sample, encoding: .utf8)
        text += "\n"
        text = text.replacingOccurrences(of: "\"Face\"", with: "\"Faces\"")
        try text.write(toFile: changed, atomically: true, encoding: .utf8)
        let again = try CLI.run(["export", changed, "--to", "png", "-o", out, "--shard", "1/4", "--quiet", "--force"])
        try #require(again.status == 0, "\(again.stderrText)")
        try Self.expectRefusal(
            ["export", "merge", out], mentions: ["another input", ".labelkit-export-shard-1-of-4.json"])
    }

    @Test("merge needs -o for several folders, refuses -o naming one of them, and a folder without shards")
    func mergeArguments() throws {
        let dir = try TempDir()
        let folders = try ShardInput.runShards(ExportInput.sample, ["--to", "png"], count: 2, shared: nil, under: dir)
        try Self.expectRefusal(["export", "merge"] + folders, mentions: ["-o"])
        try Self.expectRefusal(["export", "merge"] + folders + ["-o", folders[1]], mentions: ["-o", folders[1]])
        try FileManager.default.createDirectory(atPath: dir.path("empty"), withIntermediateDirectories: true)
        try Self.expectRefusal(["export", "merge", dir.path("empty")], mentions: ["no shard journal", "--shard"])
        try Self.expectRefusal(["export", "merge"], mentions: ["folder"])
    }

    // MARK: - CLI spelling, resume

    @Test("export-merge is the same command; export merge --help shows an example per flag")
    func spelling() throws {
        let dir = try TempDir()
        let out = try Self.fourShards(dir)
        let alias = try CLI.run(["export-merge", out, "--quiet"])
        #expect(alias.status == 0 && alias.stderr.isEmpty, "\(alias.stderrText)")
        let help = try CLI.run(["export", "merge", "--help"])
        #expect(help.status == 0)
        for text in ["-o, --output", "--quiet", "e.g.", "labelkit export merge"] {
            #expect(help.stdoutText.contains(text), "\(text) in: \(help.stdoutText)")
        }
        let exportHelp = try CLI.run(["export", "--help"])
        #expect(exportHelp.stdoutText.contains("--shard <index/count>"), "\(exportHelp.stdoutText)")
    }

    @Test("a shard killed with SIGKILL resumes from its journal; the merge equals the unsharded export")
    func killedShardResumes() throws {
        let dir = try TempDir()
        let input = dir.path("big.json")
        let tasks = 600
        try ExportInput.brushAndPolygonTasks(count: tasks).write(toFile: input, atomically: true, encoding: .utf8)
        let full = try CLI.run(["export", input, "--to", "png", "-o", dir.path("full"), "--quiet"])
        try #require(full.status == 0, "\(full.stderrText)")
        let out = dir.path("out")
        let args = ["export", input, "--to", "png", "-o", out, "--jobs", "2", "--shard", "0/2"]
        let journal = out + "/.labelkit-export-shard-0-of-2.jsonl"
        let executable = try #require(CLI.executable)
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        func lines() -> Int {
            (FileManager.default.contents(atPath: journal) ?? Data()).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        while process.isRunning && lines() < tasks / 6 && Date() < deadline { usleep(5_000) }
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(wasRunning, "the shard finished before it could be killed")
        let recorded = lines() - 1
        #expect(!FileManager.default.fileExists(atPath: out + "/.labelkit-export-shard-0-of-2.json"))

        let resumed = try CLI.run(args)
        try #require(resumed.status == 0, "\(resumed.stderrText)")
        let summary = try #require(ExportInput.summary(resumed.stderrText), "\(resumed.stderrText)")
        #expect(summary.1 == recorded, "\(recorded) tasks were journalled at the kill: \(resumed.stderrText)")
        let other = try CLI.run(["export", input, "--to", "png", "-o", out, "--shard", "1/2", "--quiet"])
        try #require(other.status == 0, "\(other.stderrText)")
        let merge = try CLI.run(["export", "merge", out, "--quiet"])
        #expect(merge.status == 0 && merge.stderr.isEmpty, "\(merge.stderrText)")
        try ShardInput.expectSameOutput(dir.path("full"), out, "killed shard, resumed")
    }
}
