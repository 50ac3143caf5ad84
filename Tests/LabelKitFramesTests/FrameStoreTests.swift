import Foundation
import LabelKitFrames
import Testing

/// The frame store over each real engine (SQLite, and PostgreSQL when the run has a server).
@Suite("Frame store")
final class FrameStoreTests {
    /// This test's temporary folder, removed when the test ends.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-frames-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A fresh store location (a file in this test's temporary folder, or a new database).
    func storePath(_ backend: TestBackend) throws -> String {
        try backend.newLocation(in: folder)
    }

    static var frames: [Frame] {
        (0..<30).map { i in
            Frame(
                id: "f\(i)", contextID: "video\(i / 10)", timestampMs: Int64(i % 10) * 33, sourceFrame: i % 10,
                sourceURI: "v\(i / 10).mp4", labels: i % 3 == 0 ? ["car"] : [],
                metadata: ["city": i < 15 ? "bremen" : "oslo"])
        }
    }

    @Test("frames import once; duplicate ids are refused", arguments: TestBackend.available)
    func importFrames(_ backend: TestBackend) throws {
        let store = try backend.open(try storePath(backend))
        #expect(try store.importFrames(Self.frames) == 30)
        #expect(throws: FrameStore.StoreError.duplicateFrame("f3")) { try store.importFrames([Self.frames[3]]) }
    }

    @Test(
        "a task snapshots its selection in sort order; later frames do not change it", arguments: TestBackend.available)
    func snapshot(_ backend: TestBackend) throws {
        let store = try backend.open(try storePath(backend))
        try store.importFrames(Self.frames)
        let task = try store.createTask(filter: .empty, clipLength: 1, plan: IterationPlan(), seed: 0)
        let expected = Self.frames.filter { $0.labels.isEmpty }.sorted(by: Frame.sortsBefore)
        #expect(task.frameCount == expected.count)
        #expect(task.snapshotID == Cursor.snapshotID(ids: expected.map(\.id)))
        try store.importFrames([Frame(id: "late", contextID: "video0", timestampMs: 5)])
        let all = try store.next(task: task.id, count: 100)
        #expect(all.map(\.frame.id) == expected.map(\.id))
        let filtered = try store.createTask(
            filter: .allOf([.metadata("city", .equal, "oslo"), .label("car", present: true)]), clipLength: 1,
            plan: IterationPlan())
        #expect(filtered.frameCount == Self.frames.filter { $0.metadata["city"] == "oslo" && !$0.labels.isEmpty }.count)
    }

    @Test(
        "filters select exactly what the Swift predicate selects",
        arguments: TestBackend.available,
        [
            FrameFilter.all, .empty, .label("car", present: true), .label("car", present: false),
            .metadata("city", .equal, "oslo"), .metadata("city", .notEqual, "oslo"), .metadata("speed", .less, "12"),
            .metadata("speed", .greaterOrEqual, "12.5"), .metadata("speed", .greater, "abc"),
            .metadata("odd.key \"quoted\"", .equal, "yes"), .metadata("missing", .notEqual, "x"),
            .context("video1"), .sourcePrefix("v2"), .sourcePrefix("é"),
            .allOf([]), .anyOf([]), .not(.empty), .anyOf([.context("video0"), .label("car", present: true)]),
            .allOf([.metadata("city", .equal, "bremen"), .not(.label("car", present: true))]),
        ] as [FrameFilter])
    func filters(_ backend: TestBackend, filter: FrameFilter) throws {
        let store = try backend.open(try storePath(backend))
        var frames = Self.frames
        for i in frames.indices {
            frames[i].metadata["speed"] = i % 4 == 3 ? "fast" : String(Double(i) / 2)
            if i % 5 == 0 { frames[i].metadata["odd.key \"quoted\""] = "yes" }
        }
        frames.append(Frame(id: "accent", sourceURI: "é/1.jpg"))
        try store.importFrames(frames)
        let task = try store.createTask(filter: filter, clipLength: 1, plan: IterationPlan())
        let expected = frames.filter(filter.matches).sorted(by: Frame.sortsBefore)
        #expect(try store.next(task: task.id, count: 100).map(\.frame) == expected)
    }

    @Test("seed 0 is kept; a missing seed is generated and stored", arguments: TestBackend.available)
    func seeds(_ backend: TestBackend) throws {
        let store = try backend.open(try storePath(backend))
        try store.importFrames(Self.frames)
        let zero = try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(order: .random), seed: 0)
        #expect(zero.plan.seed == 0)
        let generated = try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(order: .random))
        #expect(try store.task(generated.id).plan.seed == generated.plan.seed)
    }

    @Test(
        "streams resume exactly after the store is reopened, and match the in-memory iterator",
        arguments: TestBackend.available)
    func resumeAcrossReopen(_ backend: TestBackend) throws {
        let path = try storePath(backend)
        var delivered: [String] = []
        let taskID: String
        do {
            let store = try backend.open(path)
            try store.importFrames(Self.frames)
            let task = try store.createTask(
                filter: .all, clipLength: 4, plan: IterationPlan(order: .random, limit: 25), seed: 42)
            taskID = task.id
            delivered += try store.next(task: task.id, count: 7).map(\.frame.id)
        }
        let reopened = try backend.open(path)
        while case let batch = try reopened.next(task: taskID, count: 5), !batch.isEmpty {
            delivered += batch.map(\.frame.id)
        }
        let sorted = Self.frames.sorted(by: Frame.sortsBefore)
        var iterator = FrameIterator(
            units: Units(frames: sorted, clipLength: 4), plan: IterationPlan(order: .random, seed: 42, limit: 25))
        var expected: [String] = []
        while let e = iterator.next() { expected.append(sorted[e.frame].id) }
        #expect(delivered == expected)
        #expect(delivered.count == 25)
        // Separate streams (workers, annotators) keep separate positions.
        #expect(try reopened.next(task: taskID, stream: "other", count: 3).map(\.frame.id) == Array(expected.prefix(3)))
    }

    @Test("an unknown task and a bad plan are errors", arguments: TestBackend.available)
    func errors(_ backend: TestBackend) throws {
        let store = try backend.open(try storePath(backend))
        #expect(throws: FrameStore.StoreError.unknownTask("nope")) { try store.next(task: "nope") }
        #expect(throws: FrameStore.StoreError.self) {
            try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(limit: 0))
        }
    }
}
