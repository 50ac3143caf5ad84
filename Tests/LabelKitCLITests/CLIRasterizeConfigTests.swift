import Foundation
import LabelKitImaging
import Testing

/// `labelkit rasterize --config`: labels checked against the labeling config, and
/// `--format semantic` painting Label Studio's class ids, compared with masks
/// computed here by the pixel-centre rule.
@Suite("labelkit rasterize --config")
struct CLIRasterizeConfigTests {
    /// Labels sorted by code point give Ball 0, Road 1, Zebra 2 (Label Studio's ids).
    static let config =
        #"<View><Image name="image" value="$image"/><PolygonLabels name="polygon" toName="image">"#
        + #"<Label value="Zebra"/><Label value="Road"/></PolygonLabels>"#
        + #"<EllipseLabels name="ellipse" toName="image"><Label value="Ball"/></EllipseLabels></View>"#

    /// A task's annotation on a 100x100 image (percents are pixels): a box polygon
    /// [10, 60] x [20, 50] labelled `box`, then a circle of radius 15 about (50, 50)
    /// labelled `ball`.
    static func annotation(box: String, ball: String, ballControl: String = "ellipse") -> String {
        #"{"result": [{"id": "box", "type": "polygonlabels", "from_name": "polygon", "to_name": "image", "#
            + #""original_width": 100, "original_height": 100, "#
            + #""value": {"points": [[10, 20], [60, 20], [60, 50], [10, 50]], "polygonlabels": ["\#(box)"]}}, "#
            + #"{"id": "ball", "type": "ellipselabels", "from_name": "\#(ballControl)", "to_name": "image", "#
            + #""original_width": 100, "original_height": 100, "#
            + #""value": {"x": 50, "y": 50, "radiusX": 15, "radiusY": 15, "ellipselabels": ["\#(ball)"]}}]}"#
    }

    static func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("--format semantic: pixels are the first label's class id + 1, the later region on top")
    func semantic() throws {
        let dir = try TempDir()
        try Self.write(Self.config, dir.path("config.xml"))
        try Self.write(Self.annotation(box: "Zebra", ball: "Ball"), dir.path("a.json"))
        let result = try CLI.run([
            "rasterize", dir.path("a.json"), "--config", dir.path("config.xml"), "--format", "semantic",
            "-o", dir.path("classes.png"),
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        let mask = try PNGCodec.decodeMask(Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("classes.png")))))
        #expect(mask.width == 100 && mask.height == 100)
        let expected: [UInt8] = (0..<100 * 100).map { i in
            let x = Double(i % 100) + 0.5, y = Double(i / 100) + 0.5
            let inCircle = (x - 50) * (x - 50) + (y - 50) * (y - 50) <= 225
            let inBox = (10...60).contains(x) && (20...50).contains(y)
            return inCircle ? 1 : inBox ? 3 : 0  // Ball id 0 on top of Zebra id 2
        }
        #expect(mask.bytes == expected)
    }

    @Test("a label or control the config does not know is exit 2 naming the region; semantic needs --config")
    func refusals() throws {
        let dir = try TempDir()
        try Self.write(Self.config, dir.path("config.xml"))
        try Self.write(Self.annotation(box: "Road", ball: "Balloon"), dir.path("label.json"))
        try Self.write(Self.annotation(box: "Road", ball: "Ball", ballControl: "shapes"), dir.path("control.json"))
        let label = try CLI.run(["rasterize", dir.path("label.json"), "--config", dir.path("config.xml"), "-o", dir.path("m.png")])
        #expect(label.status == 2)
        #expect(label.stderrText.contains("region \"ball\": label \"Balloon\" is not in the labeling config"), "\(label.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("m.png")))
        let control = try CLI.run([
            "rasterize", dir.path("control.json"), "--config", dir.path("config.xml"), "--format", "coco",
        ])
        #expect(control.status == 2 && control.stderrText.contains("from_name \"shapes\""), "\(control.stderrText)")
        let noConfig = try CLI.run(["rasterize", dir.path("label.json"), "--format", "semantic", "-o", dir.path("s.png")])
        #expect(noConfig.status != 0 && noConfig.stderrText.contains("--config"))
        // Without --config, labels are not checked.
        let plain = try CLI.run(["rasterize", dir.path("label.json"), "-o", dir.path("m.png")])
        #expect(plain.status == 0, "\(plain.stderrText)")
    }
}
