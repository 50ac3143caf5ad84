import Foundation
import LabelKitImaging
import Testing

/// `labelkit export`: exit codes, error reporting, progress output, the PNG ->
/// import-masks -> PNG round trip, and resuming after SIGKILL.
@Suite("labelkit export")
struct CLIExportTests {
    // MARK: - Exit codes and messages

    static let badTasks = """
        [
        {"id": 1, "data": {"image": "a.jpg"}, "annotations": [{"id": 20, "completed_by": 1, "result": [
          {"id": "ok1", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": 100, "original_height": 50,
           "value": {"x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0, "rectanglelabels": ["A"]}}]}]},
        {"id": 11, "data": {"image": "b.jpg"}, "annotations": [{"id": 21, "completed_by": 1, "result": [
          {"id": "bad-rle", "type": "brushlabels", "from_name": "brush", "to_name": "image", "original_width": 100, "original_height": 50,
           "value": {"format": "rle", "rle": [0, 0, 78, 32, 57, 27, 255], "brushlabels": ["A"]}}]}]},
        {"id": 12, "data": {"image": "c.jpg"}, "annotations": [{"id": 22, "completed_by": 1, "result": [
          {"id": "no-size", "type": "rectanglelabels", "from_name": "label", "to_name": "image",
           "value": {"x": 10, "y": 10, "width": 20, "height": 20, "rectanglelabels": ["A"]}}]}]},
        {"id": 13, "data": {"image": "d.jpg"}, "annotations": [{"id": 23, "completed_by": 1, "result": [
          {"id": "huge", "type": "polygonlabels", "from_name": "poly", "to_name": "image", "original_width": 640, "original_height": 480,
           "value": {"points": [[1.5e308, 1], [2, 3], [4, 1]], "polygonlabels": ["A"]}}]}]},
        {"id": 15, "data": {"image": "e.jpg"}, "annotations": [{"id": 25, "completed_by": 1, "result": [
          {"id": "ok2", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": 100, "original_height": 50,
           "value": {"x": 10, "y": 10, "width": 20, "height": 20, "rectanglelabels": ["A"]}}]}]}
        ]
        """

    @Test(
        "exit 0 on the sample export, every format",
        arguments: ["png", "semantic", "coco", "yolo", "yolo-seg", "yolo-obb", "voc", "numpy"])
    func success(_ format: String) throws {
        let dir = try TempDir()
        let out = dir.path("out")
        let result = try CLI.run(["export", ExportInput.sample, "--to", format, "-o", out, "--annotations", "all"])
        #expect(result.status == 0, "\(result.stderrText)")
        let summary = ExportInput.summary(result.stderrText)
        #expect(summary?.0 == 4 && summary?.1 == 0 && summary?.2 == 0, "\(result.stderrText)")
        #expect(FileManager.default.fileExists(atPath: out + "/errors.jsonl"))
        #expect(result.stdout.isEmpty)
        let quiet = try CLI.run(["export", ExportInput.sample, "--to", format, "-o", dir.path("q"), "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "--quiet must print nothing: \(quiet.stderrText)")
    }

    @Test(
        "exit 1 when a task fails: errors.jsonl and stderr name task, annotation and region",
        arguments: ["png", "coco"])
    func failures(_ format: String) throws {
        let dir = try TempDir()
        let input = dir.path("bad.json")
        try Self.badTasks.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.path("out")
        let result = try CLI.run(["export", input, "--to", format, "-o", out, "--jobs", "2"])
        #expect(result.status == 1, "\(result.stderrText)")
        let expected = [("11", "21", "bad-rle"), ("12", "22", "no-size"), ("13", "23", "huge")]
        let errorLines = result.stderrLines.filter { $0.hasPrefix("labelkit: task ") }
        #expect(errorLines.count == 3, "\(result.stderrText)")
        for (line, ids) in zip(errorLines, expected) {
            #expect(line.hasPrefix("labelkit: task \(ids.0) annotation \(ids.1) region \(ids.2): "), "\(line)")
        }
        let summary = ExportInput.summary(result.stderrText)
        #expect(summary?.0 == 2 && summary?.2 == 3, "\(result.stderrText)")
        let jsonl = try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(jsonl.count == 3)
        for (line, ids) in zip(jsonl, expected) {
            let object = try JSON.object(Data(line.utf8))
            #expect(object["task"] as? String == ids.0, "\(line)")
            #expect(object["annotation"] as? String == ids.1, "\(line)")
            #expect(object["region"] as? String == ids.2, "\(line)")
            #expect(!((object["error"] as? String) ?? "").isEmpty)
        }
        // Errors are reported even with --quiet, and a rerun (all resumed) still exits 1.
        let again = try CLI.run(["export", input, "--to", format, "-o", out, "--quiet"])
        #expect(again.status == 1)
        #expect(again.stderrLines.filter { $0.hasPrefix("labelkit: task ") }.count == 3, "\(again.stderrText)")
    }

    @Test(
        "exit 2 for unusable arguments, with one error line",
        arguments: [
            ["--to", "coco", "--jobs", "0"], ["--to", "bogus"], ["--to", "coco", "--annotations", "newest"],
            ["--to", "coco", "--rule", "winding"], ["--to", "coco", "--no-such-flag"],
            ["--to", "coco", "MISSING_INPUT"],
            ["--to", "coco", "--no-output"], ["--to", "coco", "--output-is-a-file"],
            ["--to", "semantic", "--label-map", "MISSING_MAP"],
        ])
    func unusable(_ args: [String]) throws {
        let dir = try TempDir()
        let file = dir.path("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        var argv = ["export"]
        var input = ExportInput.sample
        var output: String? = dir.path("out")
        for arg in args {
            switch arg {
            case "MISSING_INPUT": input = dir.path("nope.json")
            case "--no-output": output = nil
            case "--output-is-a-file": output = file
            case "MISSING_MAP": argv.append(dir.path("nope-labels.json"))
            default: argv.append(arg)
            }
        }
        argv.append(input)
        if let output { argv += ["-o", output] }
        let result = try CLI.run(argv)
        #expect(result.status == 2, "\(argv): \(result.stderrText)")
        #expect(result.stderrLines.count == 1, "\(result.stderrText)")
        #expect(result.stderrText.hasPrefix("labelkit: error: "), "\(result.stderrText)")
    }

    @Test("exit 2 when the output folder holds an export with other options; --force starts over")
    func journalMismatch() throws {
        let dir = try TempDir()
        let out = dir.path("out")
        #expect(try CLI.run(["export", ExportInput.sample, "--to", "coco", "-o", out, "--quiet"]).status == 0)
        let other = try CLI.run(["export", ExportInput.sample, "--to", "coco", "-o", out, "--annotations", "all"])
        #expect(other.status == 2)
        #expect(other.stderrText.contains("--force"), "\(other.stderrText)")
        let forced = try CLI.run([
            "export", ExportInput.sample, "--to", "coco", "-o", out, "--annotations", "all", "--force",
        ])
        #expect(forced.status == 0, "\(forced.stderrText)")
    }

    // MARK: - Round trip

    /// Tasks whose PNG export is binary (0/255): brushes with 0/255 alpha, shapes.
    static func roundTripTasks(sameLabel: Int) -> String {
        let (w, h) = (96, 64)
        let brushes = (0..<3).map { k in
            ExportInput.mask2rle(
                ExportInput.blob(w, h, cx: 20 + 25 * Double(k), cy: 30, rx: 10 + 3 * Double(k), ry: 8 + 2 * Double(k)))
        }
        func result(_ id: String, _ type: String, _ from: String, _ value: String) -> String {
            """
            {"id": "\(id)", "type": "\(type)", "from_name": "\(from)", "to_name": "image", "original_width": \(w), \
            "original_height": \(h), "value": {\(value)}}
            """
        }
        func rle(_ k: Int) -> String { "[" + brushes[k % 3].map(String.init).joined(separator: ",") + "]" }
        var tasks: [String] = []
        for t in 1...3 {
            var results = [
                result("b\(t)a", "brushlabels", "tag", #""format": "rle", "rle": \#(rle(t)), "brushlabels": ["Cat"]"#),
                result(
                    "b\(t)b", "brushlabels", "tag",
                    #""format": "rle", "rle": \#(rle(t + 1)), "brushlabels": ["Traffic-light"]"#),
                result(
                    "b\(t)c", "brushlabels", "tag",
                    #""format": "rle", "rle": \#(rle(t + 2)), "brushlabels": ["Cat", "Black"]"#),
                result(
                    "r\(t)", "rectanglelabels", "label",
                    #""x": 10.5, "y": 12, "width": 40, "height": 30, "rotation": \#(t * 25), "rectanglelabels": ["Box"]"#
                ),
                result(
                    "e\(t)", "ellipselabels", "ellipse",
                    #""x": 60, "y": 50, "radiusX": 15, "radiusY": 20, "rotation": 30, "ellipselabels": ["Round"]"#),
                result(
                    "p\(t)", "polygonlabels", "polygon",
                    #""points": [[5, 5], [50, 8], [30, 60], [8, 40]], "polygonlabels": ["Poly"]"#),
                result("k\(t)", "keypointlabels", "kp", #""x": 30, "y": 40, "width": 3, "keypointlabels": ["Point"]"#),
                result("n\(t)", "rectangle", "bbox", #""x": 70, "y": 70, "width": 20, "height": 20, "rotation": 0"#),
            ]
            for s in 0..<sameLabel {
                results.append(
                    result(
                        "s\(t)-\(s)", "rectanglelabels", "label",
                        #""x": \#(2 + s * 7), "y": \#(3 + s * 5), "width": \#(4 + s), "height": \#(6 + s % 4), "rotation": 0, "rectanglelabels": ["Tile"]"#
                    ))
            }
            tasks.append(
                """
                {"id": \(t), "data": {"image": "/data/local-files/?d=img/\(t).png"}, "annotations": [\
                {"id": \(100 + t), "completed_by": \(t == 2 ? "7" : #"{"email": "lab.user@example.com"}"#), \
                "created_at": "2024-05-0\(t)T00:00:00.000000Z", "result": [\(results.joined(separator: ", "))]}, \
                {"id": \(200 + t), "completed_by": 9, "created_at": "2024-04-01T00:00:00.000000Z", "result": [\(results[0])]}]}
                """)
        }
        return "[\n" + tasks.joined(separator: ",\n") + "\n]\n"
    }

    static func roundTrip(sameLabel: Int) throws {
        let dir = try TempDir()
        let input = dir.path("tasks.json")
        try roundTripTasks(sameLabel: sameLabel).write(toFile: input, atomically: true, encoding: .utf8)
        let first = dir.path("first"), second = dir.path("second"), imported = dir.path("imported.json")
        let a = try CLI.run(["export", input, "--to", "png", "-o", first, "--annotations", "all", "--quiet"])
        try #require(a.status == 0, "\(a.stderrText)")
        let b = try CLI.run(["import-masks", first, "--to", "ls", "-o", imported])
        try #require(b.status == 0, "\(b.stderrText)")
        let c = try CLI.run(["export", imported, "--to", "png", "-o", second, "--annotations", "all", "--quiet"])
        try #require(c.status == 0, "\(c.stderrText)")
        let names = try FileManager.default.contentsOfDirectory(atPath: first).filter { $0.hasSuffix(".png") }.sorted()
        let again = try FileManager.default.contentsOfDirectory(atPath: second).filter { $0.hasSuffix(".png") }.sorted()
        #expect(names.count == 3 * (9 + sameLabel))
        #expect(names == again, "file names differ after the round trip")
        var differing: [String] = []
        for name in names where again.contains(name) {
            let x = try ExportInput.pixels(first + "/" + name), y = try ExportInput.pixels(second + "/" + name)
            #expect(Set(x.2).isSubset(of: [0, 255]), "\(name) is not binary")
            if x.0 != y.0 || x.1 != y.1 || x.2 != y.2 { differing.append(name) }
        }
        #expect(differing.isEmpty, "\(differing.count) masks differ after the round trip, e.g. \(differing.prefix(4))")
    }

    @Test("export png -> import-masks -> export png: same file names, same pixels")
    func roundTripKeepsMasks() throws {
        try Self.roundTrip(sameLabel: 2)
    }

    /// With 11+ regions of one from_name+label the counters reach two digits;
    /// `import-masks` must restore the region order (…-2 before …-10).
    @Test("round trip with more than 10 regions of one label keeps every mask under its name")
    func roundTripManyRegionsOfOneLabel() throws {
        try Self.roundTrip(sameLabel: 12)
    }

    // MARK: - SIGKILL and resume

    /// Starts `labelkit args`, waits until the journal holds `fraction` of the
    /// tasks, kills it with SIGKILL; returns the task lines recorded at the kill.
    static func killMidway(_ args: [String], output: String, tasks: Int, fraction: Double) throws -> Int {
        let executable = try #require(CLI.executable, "labelkit executable not found")
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        let target = Int(Double(tasks) * fraction) + 1  // + header line
        while process.isRunning && ExportInput.journalLines(output) < target && Date() < deadline {
            usleep(5_000)
        }
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(wasRunning, "the export finished before it could be killed")
        if wasRunning {
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        }
        return ExportInput.journalLines(output) - 1
    }

    static func killAndResume(format: String, tasks: Int, expectProgress: Bool) throws {
        let dir = try TempDir()
        let input = dir.path("big.json")
        try ExportInput.brushAndPolygonTasks(count: tasks).write(toFile: input, atomically: true, encoding: .utf8)
        let reference = dir.path("reference"), killed = dir.path("killed")

        let full = try CLI.run(["export", input, "--to", format, "-o", reference, "--jobs", "2"])
        try #require(full.status == 0, "\(full.stderrText)")
        #expect(ExportInput.summary(full.stderrText).map { $0.0 == tasks && $0.1 == 0 } == true, "\(full.stderrText)")
        if expectProgress {
            // Non-TTY progress: whole lines "[###...] NN% N tasks, R tasks/s, ETA Ss", no carriage returns.
            let progress = full.stderrLines.filter {
                $0.hasPrefix("[") && $0.contains("% ") && $0.contains(" tasks/s, ETA ")
            }
            #expect(!progress.isEmpty, "no progress line on stderr: \(full.stderrText)")
            #expect(!full.stderrText.contains("\r"))
        }

        let args = ["export", input, "--to", format, "-o", killed, "--jobs", "2"]
        let recorded = try killMidway(args, output: killed, tasks: tasks, fraction: 0.35)
        #expect(recorded > 0 && recorded < tasks, "\(recorded) of \(tasks) tasks recorded at the kill")

        let resumed = try CLI.run(args)
        try #require(resumed.status == 0, "\(resumed.stderrText)")
        if case let (exported, resumedCount, failed)? = ExportInput.summary(resumed.stderrText) {
            #expect(exported + resumedCount == tasks && failed == 0, "\(resumed.stderrText)")
            #expect(resumedCount == recorded, "\(recorded) tasks were journalled at the kill: \(resumed.stderrText)")
        } else {
            Issue.record("no summary line: \(resumed.stderrText)")
        }
        let indices = try ExportInput.journalIndices(killed)
        #expect(indices.count == tasks, "journal has \(indices.count) task lines for \(tasks) tasks")
        #expect(indices.sorted() == Array(0..<tasks), "journal: some task missing or recorded twice")
        try ExportInput.expectSameFolders(reference, killed, "\(format) after kill -9 and resume")
    }

    @Test("kill -9 during --to coco --jobs 2, rerun: coco.json byte-identical, each task once")
    func killCOCO() throws {
        try Self.killAndResume(format: "coco", tasks: 3000, expectProgress: true)
    }

    @Test("kill -9 during --to png --jobs 2, rerun: identical PNG set, each task once")
    func killPNG() throws {
        try Self.killAndResume(format: "png", tasks: 400, expectProgress: false)
    }

    // MARK: - pycocotools and label-studio-converter

    /// Runs Tests/Scripts/check_export.py (acceptance checks against pycocotools
    /// and label-studio-converter) with this build's binary when python3 exists;
    /// the script itself reports "skipped" without the Python packages.
    @Test("check_export.py: COCO loads in pycocotools, masks and brush PNGs match the references")
    func pythonReferences() throws {
        let script = ExportInput.packageRoot.appendingPathComponent("Tests/Scripts/check_export.py").path
        let executable = try #require(CLI.executable, "labelkit executable not found")
        guard
            let python = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--labelkit", executable.path]
        let dir = try TempDir()
        let log = dir.path("log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = try String(contentsOfFile: log, encoding: .utf8)
        let lines = output.split(separator: "\n")
        if lines.first(where: { $0.hasPrefix("skipped:") }) != nil { return }
        let failures = lines.filter { $0.hasPrefix("FAIL") }
        #expect(process.terminationStatus == 0, "\(lines.last ?? ""):\n\(failures.joined(separator: "\n"))")
        #expect(lines.last?.hasSuffix(" 0 failed") == true, "\(output.suffix(2000))")
    }
}
