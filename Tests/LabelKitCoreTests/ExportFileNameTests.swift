import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

/// File names of the png export under hostile labels, `from_name`s and ids: every
/// region gets its own file, names stay single, short, printable components, and
/// ordinary labels keep label-studio-converter's names byte for byte.
///
/// Expected hashed names were computed outside LabelKit, by a Python script that
/// implements the documented rule (`~` + the top 32 bits, in hex, of FNV-1a 64 of
/// the original UTF-8 bytes through SplitMix64's finalizer).
@Suite("Export: hostile file names")
struct ExportFileNameTests {
    static let prefix = "task-1-annotation-11-by-ann@example.org-"

    /// One `rectanglelabels` result as JSON text; `from` and `label` are JSON
    /// string literals (escapes included).
    static func rectangle(_ id: String, from: String = #""tag""#, label: String) -> String {
        """
        {"id": "\(id)", "type": "rectanglelabels", "from_name": \(from), "to_name": "image", \
        "original_width": 20, "original_height": 10, \
        "value": {"x": 10, "y": 10, "width": 50, "height": 50, "rotation": 0, "rectanglelabels": [\(label)]}}
        """
    }

    /// A brush result labelled `Cat` (a 20 x 10 block), RLE from the reference encoder.
    static var brush: String {
        let mask = LSBuild.block(width: 20, height: 10, x0: 2, y0: 2, x1: 9, y1: 7)
        let rle = Reference.labelStudioEncode(mask: mask).map(String.init).joined(separator: ", ")
        return """
            {"id": "brush", "type": "brushlabels", "from_name": "tag", "to_name": "image", \
            "original_width": 20, "original_height": 10, \
            "value": {"format": "rle", "rle": [\(rle)], "brushlabels": ["Cat"]}}
            """
    }

    static let long = String(repeating: "L", count: 300)
    static let cyrillic = String(repeating: "Ж", count: 150)  // 300 UTF-8 bytes

    /// The results of task 1 (18 regions with a second task's one: 19).
    static var results: [String] {
        [
            rectangle("cat", label: #""Cat""#),
            brush,
            rectangle("dog", label: #""Big dog""#),
            rectangle("koshka", label: #""Кошка""#),
            rectangle("neko", label: #""猫""#),
            rectangle("nul", label: #""a\u0000b""#),
            rectangle("slash", label: #""a/b""#),
            rectangle("backslash", label: #""a\\b""#),
            rectangle("underscore", label: #""a_b""#),
            rectangle("controls", label: #""tab\there\nnew\u001b[0m\u007f\u0085""#),
            rectangle("dots", label: #""..""#),
            rectangle("bidi", label: #""\u202Egnp.exe""#),
            rectangle("nul-from", from: #""tag\u0000x""#, label: #""Cat""#),
            rectangle("up-from", from: #""../up""#, label: #""Cat""#),
            rectangle("long", label: "\"\(long)\""),
            rectangle("long-too", label: "\"\(String(repeating: "L", count: 299))M\""),
            rectangle("cyrillic", label: "\"\(cyrillic)\""),
            rectangle("newline-only", label: #""\n""#),
        ]
    }

    static let regionCount = 19

    /// The whole export as JSON text: task 1 with the results above, and a task
    /// whose id tries to climb out of the output folder.
    static var exportJSON: String {
        """
        [
        {"id": 1, "data": {"image": "/data/local-files/?d=img/1.jpg"}, "annotations": [
          {"id": 11, "completed_by": {"email": "ann@example.org"}, "result": [
            \(results.joined(separator: ",\n    "))
          ]}]},
        {"id": "../evil", "data": {"image": "/data/local-files/?d=img/2.jpg"}, "annotations": [
          {"id": 12, "completed_by": 3, "result": [\(rectangle("evil", label: #""Cat""#))]}]}
        ]
        """
    }

    static func exportPNG(_ input: String, _ out: String, jobs: Int = 2) async throws -> ExportSummary {
        try await ExportPipeline(input: input, outputDirectory: out, options: ExportOptions(format: .png), jobs: jobs)
            .run()
    }

    static func pngNames(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".png") }.sorted()
    }

    @Test("every region gets its own short, printable file; ordinary names unchanged; two runs agree")
    func hostileLabels() async throws {
        let dir = try ExportTempDir()
        let input = dir.sub("export.json")
        try Self.exportJSON.write(toFile: input, atomically: true, encoding: .utf8)
        let summary = try await Self.exportPNG(input, dir.sub("a"))
        #expect(summary.failed == 0, "\(summary.failures)")
        #expect(summary.regions == Self.regionCount)
        let names = try Self.pngNames(dir.sub("a"))
        #expect(names.count == Self.regionCount, "one file per region: \(names)")
        for name in names {
            #expect(name.utf8.count <= 255, "\(name.utf8.count) bytes: \(name)")
            #expect(!name.contains("/") && !name.contains("\\"), "\(name)")
            #expect(
                !name.unicodeScalars.contains { $0.properties.generalCategory == .control },
                "control in \(name.debugDescription)")
            #expect(!name.hasPrefix("."), "\(name)")
        }
        let expected = [
            "Cat-0", "Cat-1", "Big dog-0", "Кошка-0", "猫-0", "a_b-0",
            "a_b~eb38c838-0",  // "a\u{0}b"
            "a_b~7a90cb64-0",  // "a/b"
            "a_b~00a3a493-0",  // "a\\b"
            String(repeating: "L", count: 173) + "~ed4173d5-0",
            String(repeating: "Ж", count: 86) + "~1cbd0027-0",
        ].map { Self.prefix + "tag-" + $0 + ".png" }
        for name in expected {
            #expect(names.contains(name), "missing \(name)")
        }
        #expect(names.contains(Self.prefix + "tag_x~bcfa6f2a-Cat-0.png"), "from_name with NUL")
        #expect(names.contains(Self.prefix + "tag-..-0.png"), "`..` inside a name is an ordinary character pair")
        // The 300-byte names end up exactly at the limit (232: 255 less the temporary suffix).
        #expect(names.filter { $0.contains("LLLL") }.map(\.utf8.count) == [232, 232])
        #expect(names.contains { $0.hasPrefix("task-.._evil~") && $0.hasSuffix("-annotation-12-by-3-tag-Cat-0.png") })

        let again = try await Self.exportPNG(input, dir.sub("b"), jobs: 1)
        #expect(again.failed == 0)
        let first = try ExportFiles.snapshot(dir.sub("a")), second = try ExportFiles.snapshot(dir.sub("b"))
        #expect(first.keys.sorted() == second.keys.sorted(), "names differ between runs")
        #expect(first == second, "bytes differ between runs")
    }

    @Test("two tasks with one id and annotation id: the second fails and overwrites nothing")
    func duplicateTaskIDs() async throws {
        let dir = try ExportTempDir()
        let input = dir.sub("export.json")
        let task = """
            {"id": 5, "data": {"image": "x.jpg"}, "annotations": [{"id": 6, "completed_by": 1, "result": [\
            \(Self.rectangle("r", label: #""Cat""#))]}]}
            """
        try "[\(task), \(task)]".write(toFile: input, atomically: true, encoding: .utf8)
        let summary = try await Self.exportPNG(input, dir.sub("out"), jobs: 1)
        #expect(summary.exported == 1 && summary.failed == 1)
        #expect(try Self.pngNames(dir.sub("out")) == ["task-5-annotation-6-by-1-tag-Cat-0.png"])
        let errors = try String(contentsOfFile: dir.sub("out/errors.jsonl"), encoding: .utf8)
        #expect(errors.contains("already written by task #0"), "\(errors)")
    }

    @Test("two annotations of one task with one id: the task fails naming the file and writes nothing")
    func duplicateAnnotationIDs() throws {
        let r = LSBuild.rectangle("r", x: 1, y: 1, width: 5, height: 5, size: (20, 10))
        let task = LSBuild.task(4, annotations: [LSBuild.annotation(9, [r]), LSBuild.annotation(9, [r])])
        let exporter = TaskExporter(options: ExportOptions(format: .png, selection: .all), labels: LabelMap())
        let out = exporter.export(try LSBuild.parsed(task), index: 0)
        #expect(out.files.isEmpty)
        #expect(out.failures.count == 1)
        let failure = try #require(out.failures.first)
        #expect(failure.taskID == "4" && failure.annotationID == "9" && failure.regionID == "r")
        #expect(failure.message.contains("task-4-annotation-9-by-1-label-Box-0.png"), "\(failure.message)")
    }

    @Test(
        "a task whose file cannot be written fails into errors.jsonl, removes its other files, and the export goes on")
    func unwritableTask() async throws {
        let dir = try ExportTempDir()
        let input = dir.sub("export.json")
        let tasks = (1...3).map { t in
            """
            {"id": \(t), "data": {"image": "\(t).jpg"}, "annotations": [{"id": \(10 + t), "completed_by": 1, "result": [\
            \(Self.rectangle("a\(t)", label: #""Cat""#)), \(Self.rectangle("b\(t)", label: #""Dog""#))]}]}
            """
        }
        try "[\(tasks.joined(separator: ",\n"))]".write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.sub("out")
        // A folder where task 2's second file goes: the rename onto it fails.
        try FileManager.default.createDirectory(
            atPath: out + "/task-2-annotation-12-by-1-tag-Dog-0.png", withIntermediateDirectories: true)
        let summary = try await Self.exportPNG(input, out, jobs: 1)
        #expect(summary.exported == 2 && summary.failed == 1)
        #expect(
            try Self.pngNames(out) == [
                "task-1-annotation-11-by-1-tag-Cat-0.png", "task-1-annotation-11-by-1-tag-Dog-0.png",
                "task-2-annotation-12-by-1-tag-Dog-0.png",  // the folder in the way
                "task-3-annotation-13-by-1-tag-Cat-0.png", "task-3-annotation-13-by-1-tag-Dog-0.png",
            ])
        let errors = try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8)
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(errors.utf8)) as? [String: String], "\(errors)")
        #expect(line["task"] == "2")
        #expect(line["error"]?.contains("task-2-annotation-12-by-1-tag-Dog-0.png") == true, "\(line)")
    }

    @Test("YOLO label files of hidden or odd image names are neither hidden nor nested")
    func yoloStems() throws {
        let s = (200, 100)
        let names = try ["imgs/.hidden.jpg", "imgs/a%5Cb.jpg", "imgs/cat%0Adog.jpg", "imgs/plain%20name.jpg"].map {
            image in
            let task = LSBuild.task(
                1, image: "/data/local-files/?d=" + image,
                annotations: [LSBuild.annotation(2, [LSBuild.rectangle("r", x: 1, y: 1, width: 5, height: 5, size: s)])]
            )
            let exporter = TaskExporter(options: ExportOptions(format: .yolo), labels: LabelMap())
            return try #require(exporter.export(try LSBuild.parsed(task), index: 0).files.first).name
        }
        #expect(
            names == [
                "labels/_hidden~52b8ef41.txt", "labels/a_b~00a3a493.txt", "labels/cat_dog~43d342d3.txt",
                "labels/plain name.txt",
            ])
    }
}
