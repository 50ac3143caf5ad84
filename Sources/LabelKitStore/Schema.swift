import GRDB

/// The tables one part of LabelKit keeps in the shared database: an ordered list
/// of migrations under a namespace, plus the SQL functions its queries call.
///
/// Migration identifiers are recorded as `namespace/id` in GRDB's migrations
/// table, so the frame store, the render cache and the overlay store can share a
/// file without their identifiers colliding:
///
///     static let schema = Schema("render-cache") {
///         $0.migration("v1", legacyID: "render-cache-v1") { db in try db.execute(sql: "CREATE TABLE ...") }
///     }
public struct Schema: Sendable {
    /// One step of a schema.
    public struct Migration: Sendable {
        /// The identifier inside the namespace (`v1`).
        public let id: String
        /// The identifier a database written before namespacing recorded for this
        /// step; such databases are renamed in place instead of migrated again.
        public let legacyID: String?
        /// The step itself.
        public let apply: @Sendable (Database) throws -> Void
    }

    /// The namespace (`frames`, `render-cache`, `annotations`).
    public let namespace: String
    /// The migrations, in order.
    public private(set) var migrations: [Migration] = []
    /// SQL functions every connection gets.
    public private(set) var functions: [DatabaseFunction] = []

    /// A schema under `namespace`, its steps added by `build`.
    public init(_ namespace: String, _ build: (inout Schema) -> Void) {
        self.namespace = namespace
        build(&self)
    }

    /// Adds the step `id`.
    public mutating func migration(
        _ id: String, legacyID: String? = nil, _ apply: @escaping @Sendable (Database) throws -> Void
    ) {
        migrations.append(Migration(id: id, legacyID: legacyID, apply: apply))
    }

    /// Adds a SQL function to every connection.
    public mutating func function(_ function: DatabaseFunction) {
        functions.append(function)
    }

    /// The identifier GRDB records for `migration`.
    func identifier(of migration: Migration) -> String { "\(namespace)/\(migration.id)" }
}
