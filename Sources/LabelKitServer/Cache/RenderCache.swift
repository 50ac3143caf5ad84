import Foundation
import GRDB
import Synchronization

/// Rendered bytes in SQLite (GRDB, WAL), bounded by a byte budget with
/// least-recently-used eviction.
///
/// Reads run on the pool's readers, in parallel. A hit does not write: its
/// access is remembered in memory and the recency of every entry touched is
/// written in one transaction every `touchBatch` hits (and before evicting), so
/// cached tiles are served at read speed and eviction still follows use.
public final class RenderCache: Sendable {
    /// One cached response.
    public struct Entry: Sendable {
        /// The bytes.
        public var bytes: [UInt8]
        /// Their media type.
        public var contentType: String
    }

    let database: DatabasePool
    let budget: Int
    private let state: Mutex<State>
    private let touchBatch = 256

    private struct State {
        var total: Int
        var clock: Int64
        var touched: [String: Int64] = [:]
    }

    /// Opens (or creates) the cache tables in `database`, bounded by `budget` bytes.
    public init(database: DatabasePool, budget: Int) throws {
        self.database = database
        self.budget = budget
        var migrator = DatabaseMigrator()
        migrator.registerMigration("render-cache-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE render_cache (
                        key TEXT PRIMARY KEY NOT NULL,
                        content_type TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        size INTEGER NOT NULL,
                        last_access INTEGER NOT NULL
                    );
                    CREATE INDEX render_cache_lru ON render_cache (last_access);
                    """)
        }
        try migrator.migrate(database)
        let (total, clock) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT coalesce(sum(size), 0) FROM render_cache") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT coalesce(max(last_access), 0) FROM render_cache") ?? 0
            )
        }
        state = Mutex(State(total: total, clock: clock))
    }

    /// The entry for `key`, if cached (and remembers the access).
    public func entry(_ key: String) throws -> Entry? {
        let row = try database.read { db in
            try Row.fetchOne(db, sql: "SELECT content_type, bytes FROM render_cache WHERE key = ?", arguments: [key])
        }
        guard let row else { return nil }
        let flush = state.withLock { state -> [String: Int64]? in
            state.clock += 1
            state.touched[key] = state.clock
            guard state.touched.count >= touchBatch else { return nil }
            defer { state.touched = [:] }
            return state.touched
        }
        if let flush { try writeTouches(flush) }
        let data: Data = row["bytes"]
        return Entry(bytes: [UInt8](data), contentType: row["content_type"])
    }

    /// Stores an entry, then evicts the least recently used entries until the
    /// total is within the budget. Entries above a quarter of the budget are not kept.
    public func store(_ key: String, _ entry: Entry) throws {
        let size = entry.bytes.count + key.utf8.count + 64
        guard size <= budget / 4 else { return }
        let (clock, touched) = state.withLock { state -> (Int64, [String: Int64]) in
            state.clock += 1
            defer { state.touched = [:] }
            return (state.clock, state.touched)
        }
        try database.write { db in
            try Self.apply(touched, db)
            let old = try Int.fetchOne(db, sql: "SELECT size FROM render_cache WHERE key = ?", arguments: [key]) ?? 0
            try db.execute(
                sql: "INSERT OR REPLACE INTO render_cache (key, content_type, bytes, size, last_access) VALUES (?, ?, ?, ?, ?)",
                arguments: [key, entry.contentType, Data(entry.bytes), size, clock])
            var total = state.withLock { state -> Int in
                state.total += size - old
                return state.total
            }
            while total > budget {
                let victims = try Row.fetchAll(
                    db, sql: "SELECT key, size FROM render_cache ORDER BY last_access LIMIT 64")
                guard !victims.isEmpty else { break }
                for victim in victims where total > budget {
                    try db.execute(sql: "DELETE FROM render_cache WHERE key = ?", arguments: [victim["key"] as String])
                    total -= victim["size"] as Int
                }
                state.withLock { $0.total = total }
            }
        }
    }

    /// Bytes held (entries plus per-entry overhead).
    public var totalBytes: Int { state.withLock { $0.total } }

    /// Number of entries.
    public func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM render_cache") ?? 0 }
    }

    private func writeTouches(_ touched: [String: Int64]) throws {
        try database.write { db in try Self.apply(touched, db) }
    }

    private static func apply(_ touched: [String: Int64], _ db: Database) throws {
        for (key, clock) in touched {
            try db.execute(sql: "UPDATE render_cache SET last_access = ? WHERE key = ?", arguments: [clock, key])
        }
    }
}
