import Foundation
import LabelKitFrames

/// The frame store's rows in PostgreSQL, for many `labelkit serve` replicas on
/// one database (and `labelkit frames --db postgres://...`).
///
/// Locking: every write that decides something for a task (the label stream, a
/// plain stream's position) first takes the task's row with `SELECT ... FOR
/// UPDATE`, so such writes on one task serialize across every replica, and each
/// process's cached label board is checked against the task's version inside
/// that lock (catching up from the write log when it is behind). Row locks
/// rather than a `SKIP LOCKED` queue: the label stream's rules (overlap, cohort,
/// per-annotator orders, skips, deferred units) decide on the whole task's
/// state, so the decision itself must be serialized; no unit goes out twice
/// because no two replicas decide on the same version. Different tasks never
/// wait on each other.
public final class PostgresFrameDatabase: FrameDatabase {
    let database: PostgresDatabase

    /// The frame store's tables in `database`, created or brought up to date.
    public init(database: PostgresDatabase) throws {
        self.database = database
        try database.migrate("frames", Self.migrations)
    }

    /// Connects to `location` with its own connections.
    public convenience init(location: PostgresLocation, connections: Int = 8) throws {
        try self.init(database: try PostgresDatabase(location: location, connections: connections))
    }

    public func read<T>(_ body: (any FrameTransaction) throws -> T) throws -> T {
        try database.transaction(readOnly: true) { session in try body(Transaction(session: session)) }
    }

    public func write<T>(bulk: Bool, _ body: (any FrameTransaction) throws -> T) throws -> T {
        try database.transaction { session in try body(Transaction(session: session)) }
    }
}
