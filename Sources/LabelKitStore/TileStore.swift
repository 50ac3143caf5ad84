import Foundation
import GRDB
import Synchronization

/// A tile pyramid in one SQLite file, as MBTiles keeps map tiles: the encoded
/// tiles in `tiles(level, column, row, data)`, keyed by their Deep Zoom
/// position (level 0 is 1x1, rows count from the top), and text facts in
/// `metadata(name, value)` (`width`, `height`, `tile_size`, `overlap`,
/// `format`, `quality`, ...).
///
/// A store is written once by a ``TileStore/Writer`` into a temporary file
/// beside its path and renamed into place when complete, so a reader never
/// sees half a pyramid; it is then read-only.
///
///     let writer = try TileStore.Writer(path: "slide.tiles")
///     try writer.add(level: 16, column: 0, row: 0, data: jpeg)
///     try writer.commit(metadata: ["width": "40000", "height": "40000"])
///     let store = try TileStore.Reader(path: "slide.tiles")
///     let bytes = try store.tile(level: 16, column: 0, row: 0)
public enum TileStore {
    /// The failure of a store, naming its file.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong and where.
        public let description: String
    }

    static let schema = """
        CREATE TABLE tiles (
            level INTEGER NOT NULL, "column" INTEGER NOT NULL, "row" INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (level, "column", "row")
        ) WITHOUT ROWID;
        CREATE TABLE metadata (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
        """

    /// Builds a store: tiles are added from any thread and kept until
    /// ``flush()`` stores them in one transaction.
    public final class Writer: Sendable {
        /// Where the store goes.
        public let path: String
        /// The file being written.
        let temporary: String
        private let queue: DatabaseQueue
        private let pending = Mutex<[(level: Int, column: Int, row: Int, data: [UInt8])]>([])

        /// Starts a store for `path` in a new temporary file beside it.
        ///
        /// - Throws: ``Failure`` when the file cannot be created.
        public init(path: String) throws(Failure) {
            self.path = path
            temporary = path + ".building-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            do {
                var configuration = Configuration()
                configuration.prepareDatabase { db in
                    // A temporary file: durability comes from the fsync and rename at the end.
                    try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
                }
                queue = try DatabaseQueue(path: temporary, configuration: configuration)
                try queue.write { db in try db.execute(sql: TileStore.schema) }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw Failure(description: "cannot create the tile store \(temporary): \(error)")
            }
        }

        /// Keeps one tile until the next ``flush()``.
        public func add(level: Int, column: Int, row: Int, data: [UInt8]) {
            pending.withLock { $0.append((level, column, row, data)) }
        }

        /// Stores the tiles added since the last flush, in one transaction.
        ///
        /// - Throws: ``Failure`` for a failed write (a full disk).
        public func flush() throws(Failure) {
            let tiles = pending.withLock { pending in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            guard !tiles.isEmpty else { return }
            do {
                try queue.write { db in
                    let statement = try db.cachedStatement(
                        sql: "INSERT OR REPLACE INTO tiles (level, \"column\", \"row\", data) VALUES (?, ?, ?, ?)")
                    for tile in tiles {
                        try statement.execute(arguments: [tile.level, tile.column, tile.row, Data(tile.data)])
                    }
                }
            } catch {
                throw Failure(description: "cannot write the tile store \(temporary): \(error)")
            }
        }

        /// Stores the last tiles and `metadata`, syncs the file to disk and
        /// renames it to ``path`` (replacing an older store).
        ///
        /// - Throws: ``Failure``; the temporary file is removed.
        public func commit(metadata: [String: String]) throws(Failure) {
            do {
                try flush()
                try queue.write { db in
                    for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)", arguments: [name, value])
                    }
                }
                try queue.close()
                try Self.sync(temporary)
                guard rename(temporary, path) == 0 else {
                    throw Failure(description: "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
                }
                // The store is in place; a folder that cannot be synced only risks the
                // rename after a power loss, and the store would be built again.
                try? Self.sync((path as NSString).deletingLastPathComponent)
            } catch let failure as Failure {
                discard()
                throw failure
            } catch {
                discard()
                throw Failure(description: "cannot finish the tile store \(path): \(error)")
            }
        }

        /// Removes the temporary file (a failed or cancelled build).
        public func discard() {
            try? queue.close()
            try? FileManager.default.removeItem(atPath: temporary)
        }

        private static func sync(_ path: String) throws(Failure) {
            let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0, fsync(fd) == 0 else {
                if fd >= 0 { close(fd) }
                throw Failure(description: "cannot sync \(path): \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
    }

    /// Reads a finished store from any number of threads (a connection each,
    /// reused).
    public final class Reader: Sendable {
        /// The store's file.
        public let path: String
        /// The store's `metadata` table.
        public let metadata: [String: String]
        private let idle = Mutex<[DatabaseQueue]>([])
        /// Connections kept open between reads.
        static let idleConnections = 4

        /// Opens the store at `path` read-only.
        ///
        /// - Throws: ``Failure`` when it is missing or not a tile store.
        public init(path: String) throws(Failure) {
            self.path = path
            do {
                let queue = try Self.connect(path)
                metadata = try queue.read { db in
                    Dictionary(
                        try Row.fetchAll(db, sql: "SELECT name, value FROM metadata").map { ($0[0] as String, $0[1] as String) },
                        uniquingKeysWith: { a, _ in a })
                }
                idle.withLock { $0.append(queue) }
            } catch {
                throw Failure(description: "cannot read the tile store \(path): \(error)")
            }
        }

        private static func connect(_ path: String) throws -> DatabaseQueue {
            var configuration = Configuration()
            configuration.readonly = true
            return try DatabaseQueue(path: path, configuration: configuration)
        }

        /// The encoded tile at a Deep Zoom level, column and row, or nil.
        ///
        /// - Throws: ``Failure`` for a failed read.
        public func tile(level: Int, column: Int, row: Int) throws(Failure) -> [UInt8]? {
            try read("a tile") { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT data FROM tiles WHERE level = ? AND \"column\" = ? AND \"row\" = ?")
                return try Data.fetchOne(statement, arguments: [level, column, row]).map { [UInt8]($0) }
            }
        }

        /// The number of tiles stored.
        public func count() throws(Failure) -> Int {
            try read("the tile count") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tiles") ?? 0 }
        }

        /// Runs `body` on an idle connection (opening one when none is idle).
        private func read<T>(_ what: String, _ body: (Database) throws -> T) throws(Failure) -> T {
            do {
                let queue = try idle.withLock { $0.popLast() } ?? Self.connect(path)
                defer {
                    // Keep a few connections for the next reads; close the rest.
                    let kept = idle.withLock { idle -> Bool in
                        guard idle.count < Self.idleConnections else { return false }
                        idle.append(queue)
                        return true
                    }
                    if !kept { try? queue.close() }
                }
                return try queue.read(body)
            } catch {
                throw Failure(description: "cannot read \(what) of \(path): \(error)")
            }
        }
    }
}
