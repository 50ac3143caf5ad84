import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

/// `ExportPipeline` end to end in temporary folders: determinism across job
/// counts, journal resume, option changes and bad tasks.
@Suite("Export: pipeline")
struct ExportPipelineTests {
    static let count = 30

    static func input(_ dir: ExportTempDir, _ tasks: [[String: Any]] = LSBuild.batch(count: count)) throws -> String {
        let path = dir.sub("export.json")
        try ExportFiles.writeTasks(tasks, to: path)
        return path
    }

    static func run(
        _ input: String, _ out: String, _ format: ExportFormat, jobs: Int = 2, selection: AnnotationSelection = .all,
        predictions: Bool = true, force: Bool = false
    ) async throws(FormatsError) -> ExportSummary {
        let options = ExportOptions(format: format, selection: selection, includePredictions: predictions)
        return try await ExportPipeline(input: input, outputDirectory: out, options: options, jobs: jobs, force: force)
            .run()
    }

    /// Drops the last `n` task lines of the journal (and the files they name), and
    /// leaves a torn half line at the end, as a kill during an append would.
    static func forgetLast(_ n: Int, in dir: String) throws -> [[String: Any]] {
        let path = dir + "/" + ExportFiles.journal
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let removed = lines.suffix(n).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        lines.removeLast(n)
        for entry in removed {
            for file in entry["files"] as? [String] ?? [] {
                try FileManager.default.removeItem(atPath: dir + "/" + file)
            }
        }
        try (lines.joined(separator: "\n") + "\n" + #"{"files":["task-1-annot"#).write(
            toFile: path, atomically: false, encoding: .utf8)
        return removed
    }

    static func journalIndices(_ dir: String) throws -> [Int] {
        try ExportFiles.journalEntries(dir).compactMap { ($0["i"] as? NSNumber)?.intValue }.sorted()
    }

    // MARK: - Determinism

    @Test("jobs 1 and jobs 2 write identical outputs", arguments: ExportFormat.allCases.filter { $0 != .yoloPose })
    func jobsAgree(_ format: ExportFormat) async throws {
        let dir = try ExportTempDir()
        let input = try Self.input(dir)
        let one = try await Self.run(input, dir.sub("one"), format, jobs: 1)
        let two = try await Self.run(input, dir.sub("two"), format, jobs: 2)
        #expect(one.exported == Self.count && two.exported == Self.count)
        #expect(one.failed == 0 && two.failed == 0)
        let a = try ExportFiles.snapshot(dir.sub("one")), b = try ExportFiles.snapshot(dir.sub("two"))
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, bytes) in a where b[name] != bytes {
            Issue.record("\(format): \(name) differs between jobs 1 and 2")
        }
        #expect(a["errors.jsonl"]?.isEmpty == true)
        switch format {
        case .png:
            // 5 regions per task in the newer annotation (+1 every 4th), 1 in the older, 1 prediction.
            #expect(a.count == 1 + Self.count * 7 + (Self.count + 3) / 4)
        case .coco: #expect(a.keys.sorted() == ["coco.json", "errors.jsonl"])
        case .semantic: #expect(a["labels.json"] != nil)
        case .yolo, .yoloSeg, .yoloOBB, .yoloPose:
            #expect(a["classes.txt"] != nil)
            #expect(a.keys.filter { $0.hasPrefix("labels/") }.count == Self.count)
        case .voc:
            #expect(a.keys.filter { $0.hasPrefix("Annotations/") && $0.hasSuffix(".xml") }.count == Self.count)
        case .numpy:
            let arrays = a.keys.filter { $0 != "errors.jsonl" }
            #expect(!arrays.isEmpty && arrays.allSatisfy { $0.hasSuffix(".npy") })
        }
        #expect(try Self.journalIndices(dir.sub("two")) == Array(0..<Self.count))
    }

    @Test("coco.json: ids from 1 in task order, categories by first appearance")
    func cocoAssembly() async throws {
        let dir = try ExportTempDir()
        let input = try Self.input(dir)
        _ = try await Self.run(input, dir.sub("c"), .coco, selection: .latest, predictions: false)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.sub("c") + "/coco.json"))
        let coco = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let images = try #require(coco["images"] as? [[String: Any]])
        let annotations = try #require(coco["annotations"] as? [[String: Any]])
        let categories = try #require(coco["categories"] as? [[String: Any]])
        #expect(images.map { $0["id"] as? Int } == Array(1...Self.count))
        #expect(images.map { $0["task"] as? String } == (1...Self.count).map(String.init))
        #expect(annotations.map { $0["id"] as? Int } == Array(1...annotations.count))
        // Per task: brush, rectangle, ellipse, polygon, keypoint (+ a second brush every 4th task).
        #expect(annotations.count == Self.count * 5 + (Self.count + 3) / 4)
        #expect(categories.map { $0["name"] as? String } == ["Cat", "Box", "Round", "Poly", "Point", "Dog"])
        #expect(categories.map { $0["id"] as? Int } == Array(1...6))
        let imageIDs = Set(images.compactMap { $0["id"] as? Int })
        #expect(annotations.allSatisfy { imageIDs.contains($0["image_id"] as? Int ?? -1) })
    }

    // MARK: - Resume

    @Test(
        "resume after lost journal lines and files: same outputs, each task once",
        arguments: [ExportFormat.png, .coco, .yolo])
    func resume(_ format: ExportFormat) async throws {
        let dir = try ExportTempDir()
        let input = try Self.input(dir)
        _ = try await Self.run(input, dir.sub("reference"), format)
        let out = dir.sub("resumed")
        _ = try await Self.run(input, out, format)
        let removed = try Self.forgetLast(8, in: out)
        #expect(removed.count == 8)
        let summary = try await Self.run(input, out, format)
        #expect(summary.resumed == Self.count - 8)
        #expect(summary.exported == 8)
        #expect(summary.failed == 0)
        let a = try ExportFiles.snapshot(dir.sub("reference")), b = try ExportFiles.snapshot(out)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, bytes) in a where b[name] != bytes { Issue.record("\(format): \(name) differs after resume") }
        #expect(try Self.journalIndices(out) == Array(0..<Self.count), "every task exactly once in the journal")
        // A finished export run again does nothing but reassemble.
        let again = try await Self.run(input, out, format)
        #expect(again.resumed == Self.count && again.exported == 0)
        #expect(try ExportFiles.snapshot(out) == a)
    }

    /// A SIGKILL during `FileIO.writeAtomically` leaves `<file>.tmp-<pid>-<random>`
    /// in the output folder (observed with real kills of `labelkit export --to png`).
    /// The resumed run must not leave it there, or the folder differs from an
    /// uninterrupted export.
    @Test("resume removes temporary files a killed writer left behind")
    func resumeRemovesStaleTemporaries() async throws {
        let dir = try ExportTempDir()
        let input = try Self.input(dir)
        _ = try await Self.run(input, dir.sub("reference"), .png)
        let out = dir.sub("killed")
        _ = try await Self.run(input, out, .png)
        let removed = try Self.forgetLast(3, in: out)
        let victim = try #require((removed.first?["files"] as? [String])?.first)
        try Data([0x89, 0x50]).write(to: URL(fileURLWithPath: out + "/" + victim + ".tmp-4242-123456789"))
        _ = try await Self.run(input, out, .png)
        let left = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "temporary files left in the output: \(left)")
        #expect(try ExportFiles.snapshot(out).keys.sorted() == ExportFiles.snapshot(dir.sub("reference")).keys.sorted())
    }

    @Test("another format, selection or input in the same folder is refused unless forced")
    func changedOptions() async throws {
        let dir = try ExportTempDir()
        let input = try Self.input(dir)
        let out = dir.sub("out")
        _ = try await Self.run(input, out, .coco)
        for (format, selection) in [(ExportFormat.coco, AnnotationSelection.latest), (.png, .all)] {
            await #expect(throws: FormatsError.self) {
                _ = try await Self.run(input, out, format, selection: selection)
            }
        }
        do {
            _ = try await Self.run(input, out, .coco, predictions: false)
            Issue.record("dropping predictions must be refused")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.message.contains("--force"), "\(error.message)")
        }
        // The input changed (one task more): refused too.
        try ExportFiles.writeTasks(LSBuild.batch(count: Self.count + 1), to: input)
        await #expect(throws: FormatsError.self) { _ = try await Self.run(input, out, .coco) }
        // Forced: starts over.
        let forced = try await Self.run(input, out, .coco, selection: .latest, force: true)
        #expect(forced.resumed == 0 && forced.exported == Self.count + 1)
        #expect(try Self.journalIndices(out) == Array(0...Self.count))
    }

    // MARK: - Bad tasks

    static func badTasks() -> [[String: Any]] {
        let good = LSBuild.block(width: 64, height: 48, x0: 3, y0: 4, x1: 20, y1: 30)
        var cut = Reference.labelStudioEncode(mask: good).map(Int.init)
        cut.removeLast(4)
        var noSize = LSBuild.rectangle("nosize", x: 1, y: 1, width: 10, height: 10)
        noSize.removeValue(forKey: "original_width")
        return [
            LSBuild.task(1, annotations: [LSBuild.annotation(20, [LSBuild.brush("ok1", good)])]),
            LSBuild.task(
                11,
                annotations: [
                    LSBuild.annotation(
                        21, [LSBuild.brush("fine", good), LSBuild.brush("cut", rle: cut, size: (64, 48))])
                ]),
            LSBuild.task(12, annotations: [LSBuild.annotation(22, [noSize])]),
            LSBuild.task(
                13,
                annotations: [
                    LSBuild.annotation(
                        23, [LSBuild.polygon("huge", [[1.5e308, 1], [2, 3], [4, 1]], size: (640, 480))])
                ]),
            LSBuild.task(
                14, annotations: [LSBuild.annotation(24, [LSBuild.rectangle("ok2", x: 1, y: 1, width: 10, height: 10)])]
            ),
        ]
    }

    @Test(
        "bad tasks go to errors.jsonl with task, annotation and region ids; the rest is exported",
        arguments: [ExportFormat.png, .coco])
    func badTasks(_ format: ExportFormat) async throws {
        let dir = try ExportTempDir()
        let input = try Self.input(dir, Self.badTasks())
        let out = dir.sub("out")
        let summary = try await Self.run(input, out, format)
        #expect(summary.exported == 2)
        #expect(summary.failed == 3)
        let expected = [("11", "21", "cut"), ("12", "22", "nosize"), ("13", "23", "huge")]
        #expect(
            summary.failures.map { [$0.taskID, $0.annotationID, $0.regionID] } == expected.map { [$0.0, $0.1, $0.2] })
        let lines = try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 3)
        for (line, ids) in zip(lines, expected) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object["task"] == ids.0 && object["annotation"] == ids.1 && object["region"] == ids.2, "\(line)")
            #expect((object["error"] ?? "").contains(ids.2), "the message names the region: \(line)")
        }
        let files = try ExportFiles.snapshot(out).keys.sorted()
        switch format {
        case .png:
            #expect(
                files == [
                    "errors.jsonl", "task-1-annotation-20-by-1-tag-Paint-0.png",
                    "task-14-annotation-24-by-1-label-Box-0.png",
                ])
        default:
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/coco.json"))
            let coco = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((coco["images"] as? [[String: Any]])?.map { $0["task"] as? String } == ["1", "14"])
        }
        // Run again: everything resumed, the failures still reported.
        let again = try await Self.run(input, out, format)
        #expect(again.resumed == 5 && again.exported == 0 && again.failed == 3)
        #expect(try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8).split(separator: "\n") == lines)
    }

    /// Python's `json.dumps` (Label Studio's backend) writes non-finite floats as
    /// `NaN` / `Infinity`; an overlong exponent overflows to infinity. Such a task
    /// must still be reported with its own task id, annotation id and region id.
    @Test(
        "NaN / Infinity / 1e400 coordinates are reported with task, annotation and region ids",
        arguments: ["NaN", "Infinity", "1e400"])
    func nonFiniteLiteral(_ literal: String) async throws {
        let dir = try ExportTempDir()
        let input = dir.sub("export.json")
        let text = """
            [{"id": 1, "data": {"image": "a.jpg"}, "annotations": [{"id": 20, "completed_by": 1, "result": [
              {"id": "ok", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": 100,
               "original_height": 50, "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["A"]}}]}]},
             {"id": 14, "data": {"image": "b.jpg"}, "annotations": [{"id": 24, "completed_by": 1, "result": [
              {"id": "bad", "type": "ellipselabels", "from_name": "e", "to_name": "image", "original_width": 100,
               "original_height": 50, "value": {"x": \(literal), "y": 3, "radiusX": 2, "radiusY": 2, "ellipselabels": ["A"]}}]}]}]
            """
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let summary = try await Self.run(input, dir.sub("out"), .coco)
        #expect(summary.exported == 1 && summary.failed == 1)
        let failure = try #require(summary.failures.first)
        #expect(failure.taskID == "14", "reported task id: \(failure.taskID)")
        #expect(failure.annotationID == "24", "reported annotation id: \(failure.annotationID)")
        #expect(failure.regionID == "bad", "reported region id: \(failure.regionID)")
    }
}
