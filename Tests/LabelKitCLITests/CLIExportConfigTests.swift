import Foundation
import Testing

/// `labelkit export --config`: class ids from the labeling config, and one
/// stderr line when a class-numbered format runs without one.
@Suite("labelkit export --config")
struct CLIExportConfigTests {
    static let config = ExportInput.packageRoot.appendingPathComponent("SampleImages/config.xml").path

    @Test("YOLO classes.txt: the config's labels of every control, sorted, as Label Studio numbers them")
    func yoloClasses() throws {
        let dir = try TempDir()
        let out = dir.path("yolo")
        let result = try CLI.run(["export", ExportInput.sample, "--to", "yolo", "-o", out, "--config", Self.config])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(!result.stderrText.contains("no --config"))
        let classes = try String(contentsOfFile: out + "/classes.txt", encoding: .utf8)
        #expect(
            classes.split(separator: "\n")
                == [
                    "Cat", "Cup", "Eye", "Face", "Handle", "Noise", "Nose", "Patch", "Rocket", "Saucer", "Spoon",
                    "Tower", "Upright",
                ])
    }

    @Test("the same config given as a project JSON (label_config) gives the same files")
    func projectJSON() throws {
        let dir = try TempDir()
        let project = dir.path("project.json")
        let xml = try String(contentsOfFile: Self.config, encoding: .utf8)
        try JSONSerialization.data(withJSONObject: ["id": 1, "label_config": xml]).write(
            to: URL(fileURLWithPath: project))
        for (name, path) in [("xml", Self.config), ("json", project)] {
            let result = try CLI.run(["export", ExportInput.sample, "--to", "coco", "-o", dir.path(name), "--config", path])
            #expect(result.status == 0, "\(result.stderrText)")
        }
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("xml/coco.json")))
                == Data(contentsOf: URL(fileURLWithPath: dir.path("json/coco.json"))))
    }

    @Test("without --config: one stderr line says how classes are numbered; none with --quiet or for png")
    func noConfigNotice() throws {
        let dir = try TempDir()
        let result = try CLI.run(["export", ExportInput.sample, "--to", "semantic", "-o", dir.path("s")])
        #expect(result.status == 0)
        let notices = result.stderrLines.filter { $0.contains("no --config") }
        #expect(notices.count == 1, "\(result.stderrText)")
        #expect(notices.first?.contains("labels.json") == true)
        let png = try CLI.run(["export", ExportInput.sample, "--to", "png", "-o", dir.path("p")])
        #expect(!png.stderrText.contains("no --config"))
    }

    @Test("a bad config is exit 2 naming the file and the place; --config with --label-map is refused")
    func badConfig() throws {
        let dir = try TempDir()
        let bad = dir.path("bad.xml")
        try "<View><RectangleLabels name=\"r\" toName=\"i\"></View>".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try CLI.run(["export", ExportInput.sample, "--to", "yolo", "-o", dir.path("y"), "--config", bad])
        #expect(result.status == 2)
        #expect(result.stderrText.contains(bad + ": labeling config: invalid XML at line 1"), "\(result.stderrText)")
        let both = try CLI.run([
            "export", ExportInput.sample, "--to", "yolo", "-o", dir.path("z"), "--config", Self.config, "--label-map", bad,
        ])
        #expect(both.status != 0)
        #expect(both.stderrText.contains("not both"))
    }
}
