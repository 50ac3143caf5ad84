import Foundation
import Testing

/// Input that is not what a command reads gets exit 2 and one line that says what
/// it is and what to do, never a bogus output and exit 0.
@Suite("labelkit: input that is not what the command reads")
struct CLIBadInputTests {
    @Test("export of JSON that is not a Label Studio export: exit 2, one line, nothing written", arguments: [
        (#"{"foo": 1}"#, "not a Label Studio export"),
        (#"[{"foo": 1}, {"bar": 2}]"#, "not a Label Studio export"),
        (#"[1, 2]"#, "its first element is not a task object"),
        (#"{"images": [{"id": 1, "width": 10, "height": 10, "file_name": "a.jpg"}], "annotations": [], "categories": []}"#,
         "this is a COCO file"),
    ])
    func notAnExport(_ input: (String, String)) throws {
        let dir = try TempDir()
        let path = dir.path("input.json")
        try input.0.write(toFile: path, atomically: true, encoding: .utf8)
        for format in ["coco", "png"] {
            let out = dir.path("out-\(format)")
            let result = try CLI.run(["export", path, "--to", format, "-o", out])
            #expect(result.status == 2, "\(format): \(result.stderrText)")
            let lines = result.stderrLines.filter { !$0.isEmpty }
            #expect(lines.count == 1 && lines[0].contains(input.1), "\(result.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: out + "/coco.json"))
        }
    }

    @Test("--predictions on an export that lists prediction ids: exit 2 naming the snapshot option")
    func predictionIDs() throws {
        let dir = try TempDir()
        let path = dir.path("export.json")
        try """
            [{"id": 1, "data": {"image": "a.jpg"}, "predictions": [4, 5], "annotations": [{"id": 2, "result": [
              {"id": "r", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": 100,
               "original_height": 50, "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["A"]}}]}]}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLI.run(["export", path, "--to", "coco", "-o", dir.path("out"), "--predictions"])
        #expect(result.status == 2, "\(result.stderrText)")
        #expect(result.stderrText.contains("lists predictions as ids only"))
        #expect(result.stderrText.contains("serialization_options.predictions.only_id = false"))
        // Without --predictions the annotations export as usual.
        let plain = try CLI.run(["export", path, "--to", "coco", "-o", dir.path("plain"), "--quiet"])
        #expect(plain.status == 0, "\(plain.stderrText)")
    }

    @Test("import-masks with nothing to import: exit 2, nothing written")
    func emptyImport() throws {
        let dir = try TempDir()
        let folder = dir.path("labels")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "0 0.5 0.5 0.2 0.2\n".write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        let output = dir.path("tasks.json")
        let result = try CLI.run(["import-masks", folder, "-o", output])
        #expect(result.status == 2, "\(result.stderrText)")
        #expect(result.stderrText.contains("no mask PNG to import"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
