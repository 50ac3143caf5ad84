import Foundation
import LabelKitFormats
import Testing

/// `AnnotationSelection`: which annotations of a task are exported, in which order.
@Suite("Export annotation selection")
struct ExportSelectionTests {
    static func ids(_ annotations: [LabelStudioTask.Annotation]) -> [String] {
        annotations.map { $0.id ?? ($0.isPrediction ? "pred" : "nil") }
    }

    /// Annotation ids encode their role: stamps are ISO-8601 as Label Studio writes them.
    static var task: [String: Any] {
        LSBuild.task(
            1,
            annotations: [
                LSBuild.annotation(
                    1, created: "2024-01-01T10:00:00.000000Z", updated: "2024-03-01T10:00:00.000000Z", []),
                LSBuild.annotation(2, created: "2024-02-01T10:00:00.000000Z", groundTruth: true, []),
                LSBuild.annotation(3, created: "2024-06-01T10:00:00.000000Z", cancelled: true, []),
                LSBuild.annotation(4, created: "2024-01-15T10:00:00.000000Z", groundTruth: true, []),
                [
                    "id": 5, "result": [[String: Any]](), "created_at": "2024-07-01T10:00:00.000000Z", "skipped": true,
                ],
                LSBuild.annotation(6, created: "2023-12-31T10:00:00.000000Z", []),
            ],
            predictions: [
                ["id": 90, "result": [[String: Any]](), "model_version": "m1"],
                ["result": [[String: Any]](), "model_version": "m2"],
            ])
    }

    @Test("latest: the newest non-cancelled annotation by updated_at, else created_at")
    func latest() throws {
        let task = try LSBuild.parsed(Self.task)
        // 1 was updated in March, newer than 2 (created in February); 3 and 5 are cancelled/skipped.
        #expect(Self.ids(AnnotationSelection.latest.annotations(of: task, predictions: false)) == ["1"])
    }

    @Test("all: every non-cancelled annotation, newest first")
    func all() throws {
        let task = try LSBuild.parsed(Self.task)
        #expect(Self.ids(AnnotationSelection.all.annotations(of: task, predictions: false)) == ["1", "2", "4", "6"])
    }

    @Test("ground-truth: non-cancelled ground-truth annotations only, newest first")
    func groundTruth() throws {
        let task = try LSBuild.parsed(Self.task)
        #expect(Self.ids(AnnotationSelection.groundTruth.annotations(of: task, predictions: false)) == ["2", "4"])
    }

    @Test("predictions are appended after the selected annotations, in file order")
    func predictions() throws {
        let task = try LSBuild.parsed(Self.task)
        let latest = AnnotationSelection.latest.annotations(of: task, predictions: true)
        #expect(Self.ids(latest) == ["1", "90", "pred"])
        #expect(latest.map(\.isPrediction) == [false, true, true])
        #expect(
            Self.ids(AnnotationSelection.all.annotations(of: task, predictions: true)) == [
                "1", "2", "4", "6", "90", "pred",
            ])
        #expect(
            Self.ids(AnnotationSelection.groundTruth.annotations(of: task, predictions: true)) == [
                "2", "4", "90", "pred",
            ])
    }

    @Test("equal stamps keep file order; missing stamps sort last")
    func ties() throws {
        let task = try LSBuild.parsed(
            LSBuild.task(
                2,
                annotations: [
                    LSBuild.annotation(10, []),
                    LSBuild.annotation(11, created: "2024-01-01T00:00:00.000000Z", []),
                    LSBuild.annotation(12, created: "2024-01-01T00:00:00.000000Z", []),
                    LSBuild.annotation(13, []),
                ]))
        #expect(
            Self.ids(AnnotationSelection.all.annotations(of: task, predictions: false)) == ["11", "12", "10", "13"])
        #expect(Self.ids(AnnotationSelection.latest.annotations(of: task, predictions: false)) == ["11"])
    }

    @Test("the legacy completions key and a task whose annotations are all cancelled")
    func legacyAndEmpty() throws {
        let legacy = try LSBuild.parsed([
            "id": 3, "data": ["image": "a.png"], "completions": [LSBuild.annotation(31, [])],
        ])
        #expect(Self.ids(AnnotationSelection.latest.annotations(of: legacy, predictions: false)) == ["31"])
        let cancelled = try LSBuild.parsed(
            LSBuild.task(4, annotations: [LSBuild.annotation(41, cancelled: true, [])]))
        #expect(AnnotationSelection.all.annotations(of: cancelled, predictions: false).isEmpty)
        #expect(AnnotationSelection.latest.annotations(of: cancelled, predictions: false).isEmpty)
    }
}
