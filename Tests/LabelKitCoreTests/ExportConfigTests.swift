import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

/// Exports with a labeling config: YOLO classes, semantic values and COCO
/// categories take Label Studio's class ids (sorted labels of the config, ids from
/// 0, as `LabelingConfigTests` derives them); a label the config does not know
/// fails its task.
@Suite("Export: labeling config")
struct ExportConfigTests {
    /// Labels in config order Zebra, Car, Bus: Label Studio's ids Bus 0, Car 1, Zebra 2.
    static let config = try! LabelingConfig(
        xml: Data(
            """
            <View><Image name="image" value="$image"/>
            <RectangleLabels name="label" toName="image"><Label value="Zebra"/><Label value="Car"/></RectangleLabels>
            <PolygonLabels name="polygon" toName="image"><Label value="Bus"/></PolygonLabels></View>
            """.utf8))

    static func tasks(extraLabel: String? = nil) -> [[String: Any]] {
        var results: [[String: Any]] = [
            LSBuild.rectangle("r1", x: 10, y: 10, width: 20, height: 20, labels: ["Car"]),
            LSBuild.rectangle("r2", x: 50, y: 50, width: 10, height: 10, labels: ["Zebra"]),
        ]
        if let extraLabel { results.append(LSBuild.polygon("p1", [[1, 1], [9, 1], [5, 9]], labels: [extraLabel])) }
        return [LSBuild.task(7, annotations: [LSBuild.annotation(70, results)])]
    }

    static func run(_ format: ExportFormat, _ tasks: [[String: Any]], in dir: ExportTempDir) async throws -> (String, ExportSummary) {
        let input = dir.sub("export.json")
        try ExportFiles.writeTasks(tasks, to: input)
        let out = dir.sub("out-\(format.rawValue)")
        let summary = try await ExportPipeline(
            input: input, outputDirectory: out, options: ExportOptions(format: format), config: Self.config, jobs: 1
        ).run()
        return (out, summary)
    }

    @Test("YOLO: class ids and classes.txt from the config (Car 1, Zebra 2), not first appearance")
    func yolo() async throws {
        let dir = try ExportTempDir()
        let (out, summary) = try await Self.run(.yolo, Self.tasks(), in: dir)
        #expect(summary.failed == 0)
        #expect(try String(contentsOfFile: out + "/classes.txt", encoding: .utf8) == "Bus\nCar\nZebra\n")
        let labels = try FileManager.default.contentsOfDirectory(atPath: out + "/labels")
        let text = try String(contentsOfFile: out + "/labels/" + labels[0], encoding: .utf8)
        #expect(text.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["1", "2"])
    }

    @Test("semantic: values are class id + 1; labels.json lists every config label")
    func semantic() async throws {
        let dir = try ExportTempDir()
        let (out, _) = try await Self.run(.semantic, Self.tasks(), in: dir)
        let map = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/labels.json")))
        #expect(map as? [String: Int] == ["Bus": 1, "Car": 2, "Zebra": 3])
        let png = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".png") })
        let mask = try ExportFiles.mask(Array(Data(contentsOf: URL(fileURLWithPath: out + "/" + png))))
        // r1 covers x 20..<60, y 10..<30 (200 x 100 image): Car, value 2.
        #expect(mask[30, 20] == 2)
        #expect(mask[110, 55] == 3)
    }

    @Test("COCO: every config label is a category, ids from 0 as Label Studio's COCO export")
    func coco() async throws {
        let dir = try ExportTempDir()
        let (out, _) = try await Self.run(.coco, Self.tasks(), in: dir)
        let coco = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/coco.json")))
                as? [String: Any])
        let categories = try #require(coco["categories"] as? [[String: Any]])
        #expect(categories.map { $0["name"] as? String } == ["Bus", "Car", "Zebra"])
        #expect(categories.map { $0["id"] as? Int } == [0, 1, 2])
        let annotations = try #require(coco["annotations"] as? [[String: Any]])
        #expect(annotations.map { $0["category_id"] as? Int } == [1, 2])
    }

    @Test("a label the config does not know fails its task, naming the label", arguments: [ExportFormat.yolo, .coco, .semantic])
    func unknownLabel(_ format: ExportFormat) async throws {
        let dir = try ExportTempDir()
        let (_, summary) = try await Self.run(format, Self.tasks(extraLabel: "Tram"), in: dir)
        #expect(summary.failed == 1)
        #expect(summary.failures.first?.regionID == "p1")
        #expect(summary.failures.first?.message == "label \"Tram\" is not in the labeling config (--config)")
    }
}
