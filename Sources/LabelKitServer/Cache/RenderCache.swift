import Foundation
import GRDB
import Hummingbird
import LabelKitStore
import Synchronization

/// Rendered bytes in SQLite (GRDB, WAL), bounded by a byte budget with
/// least-recently-used eviction, behind a small in-memory tier of hot entries.
///
/// A hit in the memory tier touches neither SQLite nor the bytes (the response
/// shares the stored buffer). A SQLite hit runs on the pool's readers, in
/// parallel, and moves the entry into the memory tier. Hits never write:
/// their recency is remembered and written for every entry touched in one
/// transaction every `touchBatch` hits (and before evicting), so eviction still
/// follows use.
public final class RenderCache: Sendable {
    /// One cached response.
    public struct Entry: Sendable {
        /// The bytes, ready to send.
        public var body: ByteBuffer
        /// Their media type.
        public var contentType: String

        /// An entry over `bytes`.
        public init(bytes: [UInt8], contentType: String) {
            self.body = ByteBuffer(bytes: bytes)
            self.contentType = contentType
        }

        init(body: ByteBuffer, contentType: String) {
            self.body = body
            self.contentType = contentType
        }
    }

    let database: SQLiteDatabase
    let budget: Int
    let memoryBudget: Int
    private let state: Mutex<State>
    private let touchBatch = 256

    private struct State {
        var total: Int
        var clock: Int64
        var touched: [String: Int64] = [:]
        var hot: [String: (entry: Entry, lastUse: Int64)] = [:]
        var hotBytes = 0
    }

    /// Namespace `render-cache` in the shared database.
    public static let schema = Schema("render-cache") {
        $0.migration("v1", legacyID: "render-cache-v1") { db in
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
    }

    /// The cache in `database` (opened with ``schema``), bounded by `budget`
    /// bytes, with at most `memoryBudget` bytes of hot entries in memory
    /// (default: an eighth of the budget, at most 64 MiB).
    public init(database: SQLiteDatabase, budget: Int, memoryBudget: Int? = nil) throws {
        self.database = database
        self.budget = budget
        self.memoryBudget = memoryBudget ?? min(64 << 20, budget / 8)
        try database.require(Self.schema)
        let (total, clock) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT coalesce(sum(size), 0) FROM render_cache") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT coalesce(max(last_access), 0) FROM render_cache") ?? 0
            )
        }
        state = Mutex(State(total: total, clock: clock))
    }

    /// The entry for `key` if it is in the memory tier; never blocks on SQLite
    /// (a full batch of recorded accesses is written on `flush`, not waited for).
    func hotEntry(_ key: String, flush pool: WorkPool) -> Entry? {
        let (hot, flush) = hotLookup(key)
        if let flush { _ = pool.submit { [self] in try? writeTouches(flush) } }
        return hot
    }

    /// The entry for `key`, if cached (and remembers the access). Blocks on
    /// SQLite for entries outside the memory tier.
    public func entry(_ key: String) throws -> Entry? {
        let (hot, flush) = hotLookup(key)
        if let flush { try writeTouches(flush) }
        if let hot { return hot }
        let row = try database.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT content_type, bytes FROM render_cache WHERE key = ?"), arguments: [key])
        }
        guard let row else { return nil }
        let data: Data = row["bytes"]
        let entry = Entry(body: ByteBuffer(data: data), contentType: row["content_type"])
        let pending = state.withLock { state -> [String: Int64]? in
            state.clock += 1
            remember(key, entry, &state)
            return Self.touch(key, &state, batch: touchBatch)
        }
        if let pending { try writeTouches(pending) }
        return entry
    }

    /// Stores an entry, then evicts the least recently used entries until the
    /// total is within the budget. Entries above a quarter of the budget are not kept.
    public func store(_ key: String, _ entry: Entry) throws {
        let size = entry.body.readableBytes + key.utf8.count + 64
        guard size <= budget / 4 else { return }
        let (clock, touched) = state.withLock { state -> (Int64, [String: Int64]) in
            state.clock += 1
            remember(key, entry, &state)
            defer { state.touched = [:] }
            return (state.clock, state.touched)
        }
        try database.write { db in
            try Self.apply(touched, db)
            let old = try Int.fetchOne(db, sql: "SELECT size FROM render_cache WHERE key = ?", arguments: [key]) ?? 0
            try db.execute(
                sql: "INSERT OR REPLACE INTO render_cache (key, content_type, bytes, size, last_access) VALUES (?, ?, ?, ?, ?)",
                arguments: [key, entry.contentType, Data(buffer: entry.body), size, clock])
            var total = state.withLock { state -> Int in
                state.total += size - old
                return state.total
            }
            while total > budget {
                let victims = try Row.fetchAll(
                    db, sql: "SELECT key, size FROM render_cache ORDER BY last_access LIMIT 64")
                guard !victims.isEmpty else { break }
                var evicted: [String] = []
                for victim in victims where total > budget {
                    let key: String = victim["key"]
                    try db.execute(sql: "DELETE FROM render_cache WHERE key = ?", arguments: [key])
                    total -= victim["size"] as Int
                    evicted.append(key)
                }
                state.withLock { state in
                    state.total = total
                    for key in evicted {
                        if let slot = state.hot.removeValue(forKey: key) { state.hotBytes -= slot.entry.body.readableBytes }
                    }
                }
            }
        }
    }

    /// The memory tier's entry for `key` (its access remembered) and the batch of
    /// accesses to write when it is full.
    private func hotLookup(_ key: String) -> (Entry?, [String: Int64]?) {
        state.withLock { state -> (Entry?, [String: Int64]?) in
            // One hash for the lookup and the use mark (the slot is updated in place).
            guard let slot = state.hot.index(forKey: key) else { return (nil, nil) }
            state.clock += 1
            state.hot.values[slot].lastUse = state.clock
            return (state.hot.values[slot].entry, Self.touch(key, &state, batch: touchBatch))
        }
    }

    /// Bytes held (entries plus per-entry overhead).
    public var totalBytes: Int { state.withLock { $0.total } }

    /// Number of entries.
    public func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM render_cache") ?? 0 }
    }

    /// Puts an entry in the memory tier, dropping the least recently used quarter
    /// when it is over its budget.
    private func remember(_ key: String, _ entry: Entry, _ state: inout State) {
        let size = entry.body.readableBytes
        guard size <= memoryBudget / 8 else { return }
        if let old = state.hot.updateValue((entry, state.clock), forKey: key) { state.hotBytes -= old.entry.body.readableBytes }
        state.hotBytes += size
        guard state.hotBytes > memoryBudget else { return }
        let byAge = state.hot.sorted { $0.value.lastUse < $1.value.lastUse }
        for (victim, slot) in byAge.prefix(max(1, byAge.count / 4)) where victim != key {
            state.hot[victim] = nil
            state.hotBytes -= slot.entry.body.readableBytes
        }
    }

    /// Records an access; returns the pending accesses to write when the batch is full.
    private static func touch(_ key: String, _ state: inout State, batch: Int) -> [String: Int64]? {
        state.touched[key] = state.clock
        guard state.touched.count >= batch else { return nil }
        defer { state.touched = [:] }
        return state.touched
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
