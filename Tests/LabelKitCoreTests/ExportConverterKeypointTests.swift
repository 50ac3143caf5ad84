import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

/// `--converter-compatible` COCO with a config holding KeyPointLabels, as Label
/// Studio 1.23.2's COCO export writes it (label-studio-sdk 2.1.2
/// `update_categories_for_keypoints`, `process_keypoints_for_coco`): keypoint
/// labels leave the categories, a `default` category (next id) lists them, and
/// each annotation's keypoints become one annotation in model_index order.
@Suite("Export: converter-compatible COCO keypoints")
struct ExportConverterKeypointTests {
    static let config = try! LabelingConfig(
        xml: Data(
            """
            <View><Image name="image" value="$image"/>
            <RectangleLabels name="label" toName="image"><Label value="Dog"/><Label value="Cat"/></RectangleLabels>
            <KeyPointLabels name="kp" toName="image">
              <Label value="Tail" model_index="1"/><Label value="Nose" model_index="0"/>
            </KeyPointLabels></View>
            """.utf8))

    @Test("categories Cat 0, Dog 1 (Nose 2, Tail 3 removed), default 2 = the highest id left + 1; one keypoint annotation")
    func keypoints() async throws {
        let dir = try ExportTempDir()
        let input = dir.sub("export.json")
        // 200 x 100 px: Nose at (25.25% -> 50.5 px, 40.5% -> 40.5 px): Python's round gives 50 and 40.
        let results: [[String: Any]] = [
            LSBuild.rectangle("cat", x: 20, y: 30, width: 40, height: 20, labels: ["Cat"]),
            LSBuild.keypoint("k1", x: 25.25, y: 40.5, labels: ["Nose"], from: "kp"),
            LSBuild.keypoint("k2", x: 60, y: 45.7, labels: ["Tail"], from: "kp"),
        ]
        try ExportFiles.writeTasks([LSBuild.task(1, annotations: [LSBuild.annotation(2, results)])], to: input)
        let out = dir.sub("out")
        let options = ExportOptions(format: .coco, selection: .all, converterCompatible: true)
        let summary = try await ExportPipeline(
            input: input, outputDirectory: out, options: options, config: Self.config, jobs: 1
        ).run()
        #expect(summary.failed == 0)
        let coco = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/coco.json")))
                as? [String: Any])
        let categories = try #require(coco["categories"] as? [[String: Any]])
        #expect(categories.map { $0["name"] as? String } == ["Cat", "Dog", "default"])
        #expect(categories.map { $0["id"] as? Int } == [0, 1, 2])
        #expect(categories.last?["keypoints"] as? [String] == ["Tail", "Nose"])
        let annotations = try #require(coco["annotations"] as? [[String: Any]])
        try #require(annotations.count == 2)
        #expect(annotations[0]["category_id"] as? Int == 0)
        let kp = annotations[1]
        #expect(kp["category_id"] as? Int == 2)
        #expect(kp["keypoints"] as? [Int] == [50, 40, 2, 120, 46, 2])
        #expect(kp["num_keypoints"] as? Int == 2)
        #expect(kp["bbox"] as? [Int] == [50, 40, 70, 6])
    }
}
