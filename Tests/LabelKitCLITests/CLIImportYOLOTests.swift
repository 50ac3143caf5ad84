import Foundation
import LabelKitCore
import LabelKitImaging
import Testing

/// `labelkit import yolo`: label-studio-converter's values for boxes
/// (Tests/Scripts/check_import_yolo.py), and the YOLO-seg / YOLO-OBB lines that
/// `labelkit export` writes read back to the same polygons and rotated rectangles.
@Suite("labelkit import yolo")
struct CLIImportYOLOTests {
    @Test("check_import_yolo.py: boxes equal label-studio-converter's import to 1e-9")
    func converter() throws {
        let script = ExportInput.packageRoot.appendingPathComponent("Tests/Scripts/check_import_yolo.py").path
        let executable = try #require(CLI.executable, "labelkit executable not found")
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--labelkit", executable.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if output.contains("skipped:") { return }
        #expect(process.terminationStatus == 0, "\(output.suffix(2000))")
        #expect(output.split(separator: "\n").last?.hasSuffix(" 0 failed") == true, "\(output.suffix(2000))")
    }

    static let config = """
        <View><Image name="img" value="$image"/>
        <RectangleLabels name="boxes" toName="img"><Label value="Car"/></RectangleLabels>
        <PolygonLabels name="outline" toName="img"><Label value="Lake"/></PolygonLabels></View>
        """

    @Test("export yolo-seg / yolo-obb, import back: the same polygon and rotated rectangle, the config's names")
    func roundTrip() throws {
        let dir = try TempDir()
        let tasks = """
            [{"id": 1, "data": {"image": "/data/local-files/?d=images/scene.png"}, "annotations": [{"id": 2, "result": [
              {"id": "r", "type": "rectanglelabels", "from_name": "boxes", "to_name": "img", "original_width": 200, "original_height": 100,
               "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 30, "rectanglelabels": ["Car"]}},
              {"id": "p", "type": "polygonlabels", "from_name": "outline", "to_name": "img", "original_width": 200, "original_height": 100,
               "value": {"points": [[50, 10], [80, 20], [70, 60], [55, 45], [52, 30]], "polygonlabels": ["Lake"]}}]}]}]
            """
        try tasks.write(toFile: dir.path("in.json"), atomically: true, encoding: .utf8)
        try Self.config.write(toFile: dir.path("config.xml"), atomically: true, encoding: .utf8)
        for format in ["yolo-obb", "yolo-seg"] {
            let out = dir.path(format)
            let export = try CLI.run(["export", dir.path("in.json"), "--to", format, "-o", out, "--config", dir.path("config.xml"), "--quiet"])
            #expect(export.status == 0, "\(export.stderrText)")
            try FileManager.default.createDirectory(atPath: out + "/images", withIntermediateDirectories: true)
            // A 200 x 100 PNG header is all the importer reads.
            let image = try CLIImportYOLOTests.pngHeader(width: 200, height: 100)
            try image.write(to: URL(fileURLWithPath: out + "/images/scene.png"))
            let back = try CLI.run(["import", "yolo", out, "-o", dir.path("\(format).json"), "--config", dir.path("config.xml")])
            #expect(back.status == 0, "\(back.stderrText)")
            let imported = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("\(format).json")))) as? [[String: Any]])
            let results = try #require(((imported.first?["annotations"] as? [[String: Any]])?.first?["result"]) as? [[String: Any]])
            if format == "yolo-obb" {
                // The rectangle comes back exactly; the polygon as its minimum-area rectangle (not checked here).
                let rect = try #require(results.first { ($0["value"] as? [String: Any])?["rectanglelabels"] as? [String] == ["Car"] })
                #expect(rect["from_name"] as? String == "boxes" && rect["to_name"] as? String == "img")
                let v = try #require(rect["value"] as? [String: Any])
                for (key, expected) in [("x", 10.0), ("y", 20.0), ("width", 30.0), ("height", 40.0), ("rotation", 30.0)] {
                    #expect(abs((v[key] as? Double ?? .nan) - expected) < 1e-9, "\(key): \(v[key] ?? "nil")")
                }
            } else {
                let polygon = try #require(results.first { $0["type"] as? String == "polygonlabels" })
                #expect(polygon["from_name"] as? String == "outline")
                let points = try #require((polygon["value"] as? [String: Any])?["points"] as? [[Double]])
                let expected: [[Double]] = [[50, 10], [80, 20], [70, 60], [55, 45], [52, 30]]
                #expect(points.count == 5 && zip(points, expected).allSatisfy { abs($0[0] - $1[0]) < 1e-9 && abs($0[1] - $1[1]) < 1e-9 })
            }
        }
    }

    @Test("nothing to import, a class out of range, a label the config does not know: exit 2 naming it")
    func errors() throws {
        let dir = try TempDir()
        let root = dir.path("ds")
        try FileManager.default.createDirectory(atPath: root + "/images", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/labels", withIntermediateDirectories: true)
        try "Car\n".write(toFile: root + "/classes.txt", atomically: true, encoding: .utf8)
        let empty = try CLI.run(["import", "yolo", root, "-o", dir.path("t.json")])
        #expect(empty.status == 2 && empty.stderrText.contains("nothing written"), "\(empty.stderrText)")
        try Self.pngHeader(width: 10, height: 10).write(to: URL(fileURLWithPath: root + "/images/a.png"))
        try "3 0.5 0.5 0.1 0.1\n".write(toFile: root + "/labels/a.txt", atomically: true, encoding: .utf8)
        let range = try CLI.run(["import", "yolo", root, "-o", dir.path("t.json")])
        #expect(range.status == 2 && range.stderrText.contains("a.txt:1: class \"3\""), "\(range.stderrText)")
        // classes.txt may list labels the config lacks; a line that uses one is the error.
        try "Car\nBus\n".write(toFile: root + "/classes.txt", atomically: true, encoding: .utf8)
        try "0 0.5 0.5 0.1 0.1\n1 0.2 0.2 0.1 0.1\n".write(toFile: root + "/labels/a.txt", atomically: true, encoding: .utf8)
        try Self.config.write(toFile: dir.path("config.xml"), atomically: true, encoding: .utf8)
        let unknown = try CLI.run(["import", "yolo", root, "-o", dir.path("t.json"), "--config", dir.path("config.xml")])
        #expect(unknown.status == 2 && unknown.stderrText.contains("a.txt:2: label \"Bus\""), "\(unknown.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("t.json")))
    }

    /// A gray PNG of `width x height` (the importer reads only its header).
    static func pngHeader(width: Int, height: Int) throws -> Data {
        Data(try PNGCodec.encode(Mask(width: width, height: height)))
    }
}
