import Foundation
import GRDB
import LabelKitFrames
import LabelKitStore
import Testing

@testable import LabelKitServer

/// The service keeps the render cache, posted overlays and the label stream in
/// one SQLite file with one owner and one migrator; migration identifiers are
/// namespaced, and files written before namespacing open without migrating again.
@Suite("One database owner")
struct SharedDatabaseTests {
    static let allSchemas = [RenderCache.schema, AnnotationStore.schema, FrameStore.schema]

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-db-\(UUID().uuidString).sqlite").path
    }

    /// The file opened directly, waiting out a checkpoint the store may still be running.
    func raw(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    func identifiers(_ path: String) throws -> [String] {
        try raw(path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }

    @Test("every part's migrations are recorded under its namespace in one table")
    func namespaced() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path, schemas: Self.allSchemas)
        let cache = try RenderCache(database: database, budget: 1 << 20)
        try cache.store("k", .init(bytes: [1, 2, 3], contentType: "image/png"))
        let frames = try FrameStore(database: database)
        #expect(try frames.importFrames([Frame(id: "a", contextID: "c", timestampMs: 1)]) == 1)
        #expect(try identifiers(path) == ["annotations/v1", "frames/v1", "frames/v2", "render-cache/v1"])
    }

    @Test("a file written before namespacing keeps its rows and is not migrated twice")
    func legacyIdentifiers() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let database = try SQLiteDatabase(path: path, schemas: Self.allSchemas)
            _ = try FrameStore(database: database).importFrames([Frame(id: "kept", contextID: "c", timestampMs: 1)])
        }
        // The identifiers earlier releases recorded.
        try raw(path).write { db in
            for (new, old) in [
                ("frames/v1", "v1"), ("render-cache/v1", "render-cache-v1"), ("annotations/v1", "annotations-v1"),
            ] {
                try db.execute(
                    sql: "UPDATE grdb_migrations SET identifier = ? WHERE identifier = ?", arguments: [old, new])
            }
            // Steps added since then.
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'frames/v2'")
            try db.execute(sql: "DROP TABLE label_log")
        }
        #expect(try identifiers(path) == ["annotations-v1", "render-cache-v1", "v1"])
        let reopened = try SQLiteDatabase(path: path, schemas: Self.allSchemas)
        #expect(try FrameStore(database: reopened).frameCount() == 1)
        #expect(try identifiers(path) == ["annotations/v1", "frames/v1", "frames/v2", "render-cache/v1"])
    }

    @Test("a store refuses a database opened without its schema")
    func missingSchema() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try SQLiteDatabase(path: path, schemas: [RenderCache.schema])
        #expect(throws: SQLiteDatabase.MissingSchema.self) { try FrameStore(database: database) }
    }
}
