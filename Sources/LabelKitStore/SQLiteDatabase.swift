import GRDB

/// The one owner of a process's SQLite file: one `DatabasePool` (WAL), one
/// migrator over every part's ``Schema``, and checkpoints off the request path.
///
/// The server opens it once with the schemas of the render cache, the overlay
/// store and the frame store; the command line opens it with the frame store's
/// alone. Every write goes through ``write(_:)`` so the ``Checkpointer`` sees
/// it (SQLite's automatic checkpoint is off: it fsyncs inside a commit).
///
///     let database = try SQLiteDatabase(path: "labelkit.sqlite", schemas: [FrameStore.schema])
///     let store = try FrameStore(database: database)
public final class SQLiteDatabase: Sendable {
    /// The pool, for reads; writes go through ``write(_:)``.
    let pool: DatabasePool
    /// The namespaces migrated at open.
    public let namespaces: Set<String>
    private let checkpointer: Checkpointer

    /// The error of a store handed a database opened without its schema.
    public struct MissingSchema: Error, CustomStringConvertible {
        /// The namespace that was not migrated.
        public let namespace: String
        public var description: String { "the database was opened without the \"\(namespace)\" schema" }
    }

    /// Opens (or creates) the file at `path` and brings every schema up to date.
    ///
    /// Databases written before migrations were namespaced (`v1`,
    /// `render-cache-v1`, `annotations-v1`) have their recorded identifiers renamed
    /// first, so no step runs twice.
    public init(path: String, schemas: [Schema]) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let functions = schemas.flatMap(\.functions)
        configuration.prepareDatabase { db in
            for function in functions { db.add(function: function) }
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        checkpointer = Checkpointer(path: path)
        namespaces = Set(schemas.map(\.namespace))
        try Self.renameLegacyIdentifiers(pool, schemas)
        var migrator = DatabaseMigrator()
        for schema in schemas {
            for migration in schema.migrations {
                migrator.registerMigration(schema.identifier(of: migration), migrate: migration.apply)
            }
        }
        try migrator.migrate(pool)
    }

    /// Throws ``MissingSchema`` unless `schema` was migrated at open.
    public func require(_ schema: Schema) throws {
        guard namespaces.contains(schema.namespace) else { throw MissingSchema(namespace: schema.namespace) }
    }

    /// A read transaction (a snapshot; runs beside writers).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// A write transaction (IMMEDIATE, GRDB's default for a pool, so processes
    /// sharing the file serialize); schedules a checkpoint every few hundred writes.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        defer { checkpointer.noteWrite() }
        return try pool.write(body)
    }

    /// Copies the whole write-ahead log into the database file and empties it,
    /// after the writes in progress (on shutdown: the file alone then holds
    /// everything, and the next start has no log to replay).
    public func checkpointAll() throws {
        try checkpointer.exclusively {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        }
    }

    /// Whether the file answers a query (readiness checks).
    public func ping() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// A large write (an import, a snapshot): checkpoints right after it.
    public func bulkWrite<T>(_ body: (Database) throws -> T) throws -> T {
        defer { checkpointer.checkpointSoon() }
        return try pool.write(body)
    }

    /// Renames identifiers recorded before namespacing (`render-cache-v1` →
    /// `render-cache/v1`) when the migrations table exists.
    private static func renameLegacyIdentifiers(_ pool: DatabasePool, _ schemas: [Schema]) throws {
        let renames = schemas.flatMap { schema in
            schema.migrations.compactMap { m in m.legacyID.map { ($0, schema.identifier(of: m)) } }
        }
        guard !renames.isEmpty else { return }
        try pool.write { db in
            guard try db.tableExists("grdb_migrations") else { return }
            for (old, new) in renames {
                try db.execute(
                    sql: "UPDATE grdb_migrations SET identifier = ? WHERE identifier = ?", arguments: [new, old])
            }
        }
    }
}
