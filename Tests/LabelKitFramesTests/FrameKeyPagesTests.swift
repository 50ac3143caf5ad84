import Foundation
import LabelKitFrames
import Testing

@testable import LabelKitPostgres

/// PostgreSQL reads every frame's key for a new task a page at a time, packed
/// by the server: the keys must come back whole and in the spec's order (context,
/// timestamp, id; strings by their UTF-8 bytes) across page boundaries, whatever
/// characters the ids hold.
@Suite("PostgreSQL frame key pages")
struct FrameKeyPagesTests {
    @Test("keys in sort order across pages, with spaces, digits, newlines and non-ASCII in ids")
    func pages() throws {
        guard TestBackend.available.contains(.postgres) else { return }
        let database = try PostgresFrameDatabase(
            location: try PostgresLocation(url: try TestBackend.newDatabase()), connections: 2)
        let store = FrameStore(backend: database)
        var frames: [Frame] = []
        let ids = ["a b", "1 2 3", "line\nbreak", "é", "Z", "z", "10", "9", "-", "", "x\u{7f}y", "\u{1F600}"]
        for (n, id) in ids.enumerated() {
            for copy in 0..<5 {
                frames.append(
                    Frame(
                        id: "\(id)#\(copy)", contextID: copy % 2 == 0 ? "ctx é" : "ctx 1",
                        timestampMs: Int64((n * 7 + copy * 3) % 5) - 2))
            }
        }
        try store.importFrames(frames)
        // The expected order, computed here: context, timestamp, id, strings by UTF-8 bytes.
        let expected = frames.sorted {
            if $0.contextID != $1.contextID { return Array($0.contextID.utf8).lexicographicallyPrecedes($1.contextID.utf8) }
            if $0.timestampMs != $1.timestampMs { return $0.timestampMs < $1.timestampMs }
            return Array($0.id.utf8).lexicographicallyPrecedes($1.id.utf8)
        }
        for pageSize in [1, 7, 55, 1000] {
            var keys: [FrameKey] = []
            try database.database.transaction { session in
                try FrameKeyPages.read(session, pageSize: pageSize) { keys.append($0) }
            }
            #expect(keys.map(\.id) == expected.map(\.id), "page size \(pageSize)")
            #expect(keys.map(\.contextID) == expected.map(\.contextID))
            #expect(keys.map(\.timestampMs) == expected.map(\.timestampMs))
            #expect(Set(keys.map(\.seq)).count == frames.count)
        }
    }
}

/// Text neither engine keeps (PostgreSQL cannot hold a NUL, SQLite would cut
/// the text there) is refused before anything is stored, naming the frame.
@Suite("Import refusals")
struct ImportRefusalTests {
    @Test("a NUL character in an id, a context or a source is refused with the frame's index and field",
        arguments: TestBackend.available)
    func nul(backend: TestBackend) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-nul-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try backend.makeStore(in: folder)
        #expect(
            throws: FrameStore.StoreError.invalidRequest(
                #"frame 1 ("b\u0000"): its id holds a NUL character (U+0000), which the frame store cannot keep"#)
        ) { try store.importFrames([Frame(id: "a", contextID: "c"), Frame(id: "b\u{0}", contextID: "c")]) }
        #expect(throws: FrameStore.StoreError.self) {
            try store.importFrames([Frame(id: "a", contextID: "c\u{0}")])
        }
        #expect(
            throws: FrameStore.StoreError.invalidRequest(
                #"frame 0 ("a"): its source_uri holds a NUL character (U+0000), which the frame store cannot keep"#)
        ) { try store.importFrames([Frame(id: "a", contextID: "c", sourceURI: "s3://b/\u{0}.jpg")]) }
        #expect(try store.frameCount() == 0)
    }
}

/// Ids with a NUL character get the same answer on both engines, before either sees them.
@Suite("NUL characters in ids")
struct NULIdentifierTests {
    @Test("task ids, user ids and stream names", arguments: TestBackend.available)
    func refused(_ backend: TestBackend) throws {
        let store = try backend.makeStore(in: FileManager.default.temporaryDirectory.appendingPathComponent("nul"))
        try store.importFrames([Frame(id: "f", contextID: "c")])
        let task = try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(order: .sequential))
        #expect(throws: FrameStore.StoreError.invalidPlan("a task id must not hold NUL characters")) {
            try store.createTask(id: "t\u{0}", filter: .all, clipLength: 1, plan: IterationPlan(order: .sequential))
        }
        #expect(throws: FrameStore.StoreError.unknownTask(#"t\u0000"#)) { try store.task("t\u{0}") }
        #expect(throws: FrameStore.StoreError.unknownTask(#"t\u0000"#)) { try store.next(task: "t\u{0}", user: "u") }
        #expect(throws: FrameStore.StoreError.unknownTask(#"t\u0000"#)) { try store.next(task: "t\u{0}") }
        #expect(throws: FrameStore.StoreError.invalidRequest("a user id must be 1 to 256 bytes, without NUL characters")) {
            try store.next(task: task.id, user: "u\u{0}")
        }
        #expect(throws: FrameStore.StoreError.invalidRequest("a stream name must not hold NUL characters")) {
            try store.next(task: task.id, stream: "s\u{0}")
        }
        #expect(try store.next(task: task.id, user: "u").assignment.unit == 0)
    }
}
