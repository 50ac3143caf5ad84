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
