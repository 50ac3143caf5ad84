import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

/// `--to yolo-pose`: Label Studio's YOLO layout for configs with KeyPointLabels
/// (label-studio-sdk 2.1.2 `process_keypoints_for_yolo`): classes are the
/// RectangleLabels labels in config order; each labelled rectangle is
/// `cls xc yc w h` and then `x y 2` per keypoint whose parentID is that rectangle,
/// in `model_index` order, `0.0 0.0 0` where it has none.
@Suite("Export: YOLO pose")
struct ExportYOLOPoseTests {
    static let config = try! LabelingConfig(
        xml: Data(
            """
            <View><Image name="image" value="$image"/>
            <RectangleLabels name="label" toName="image"><Label value="Dog"/><Label value="Cat"/></RectangleLabels>
            <KeyPointLabels name="kp" toName="image">
              <Label value="Tail" model_index="1"/><Label value="Nose" model_index="0"/><Label value="Paw"/>
            </KeyPointLabels>
            <PolygonLabels name="polygon" toName="image"><Label value="Fence"/></PolygonLabels></View>
            """.utf8))

    @Test("config order classes; keypoints by parentID in model_index order; other shapes left out")
    func pose() throws {
        #expect(Self.config.poseClasses.map(\.name) == ["Dog", "Cat"])
        #expect(Self.config.keypointOrder == ["Nose", "Tail"])
        var nose = LSBuild.keypoint("k1", x: 30, y: 40, labels: ["Nose"], from: "kp")
        nose["parentID"] = "cat"
        var tail = LSBuild.keypoint("k2", x: 55, y: 45, labels: ["Tail"], from: "kp")
        tail["parentID"] = "cat"
        var orphan = LSBuild.keypoint("k3", x: 5, y: 5, labels: ["Nose"], from: "kp")
        orphan["parentID"] = "nobody"
        let results: [[String: Any]] = [
            LSBuild.rectangle("cat", x: 20, y: 30, width: 40, height: 20, labels: ["Cat"]),
            LSBuild.rectangle("dog", x: 70, y: 10, width: 10, height: 50, labels: ["Dog"]),
            nose, tail, orphan,
            LSBuild.polygon("f", [[1, 1], [9, 1], [5, 9]], labels: ["Fence"]),
        ]
        let task = LSBuild.task(1, annotations: [LSBuild.annotation(2, results)])
        let exporter = TaskExporter(options: ExportOptions(format: .yoloPose), labels: LabelMap(config: Self.config, pose: true))
        let out = exporter.export(try LSBuild.parsed(task), index: 0)
        #expect(out.failures.isEmpty, "\(out.failures)")
        let lines = String(decoding: try #require(out.files.first).bytes, as: UTF8.self).split(separator: "\n")
        try #require(lines.count == 2)
        let cat = lines[0].split(separator: " ").map { Double($0)! }
        let expected = [1, 0.4, 0.4, 0.4, 0.2, 0.3, 0.4, 2, 0.55, 0.45, 2]
        #expect(cat.count == expected.count && zip(cat, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(lines[0])")
        #expect(lines[1].hasPrefix("0 ") && lines[1].hasSuffix(" 0.0 0.0 0 0.0 0.0 0"), "\(lines[1])")
    }

    @Test("yolo-pose without --config is refused before anything is written")
    func needsConfig() async throws {
        let dir = try ExportTempDir()
        let input = dir.sub("export.json")
        try ExportFiles.writeTasks([LSBuild.task(1, annotations: [])], to: input)
        do {
            _ = try await ExportPipeline(
                input: input, outputDirectory: dir.sub("out"), options: ExportOptions(format: .yoloPose), jobs: 1
            ).run()
            Issue.record("yolo-pose ran without a config")
        } catch {
            #expect(error.message.contains("--config"))
        }
    }
}
