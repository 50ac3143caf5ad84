import GRDB
import LabelKitPostgres
import LabelKitStore

/// Revoked token ids, in the database the replicas share (the SQLite file on one
/// machine, PostgreSQL for many), so every replica refuses them. Rows are
/// dropped once the token they name has expired anyway.
final class RevocationList: Sendable {
    private enum Backend {
        case sqlite(SQLiteDatabase)
        case postgres(PostgresDatabase)
    }

    private let backend: Backend

    /// Namespace `auth` in the shared SQLite database.
    static let schema = Schema("auth") {
        $0.migration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE revoked_token (id TEXT PRIMARY KEY NOT NULL, expires_at INTEGER NOT NULL);
                    CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);
                    """)
        }
    }

    /// The same table in PostgreSQL (namespace `auth`).
    static let postgresSteps: [(id: String, statements: [String])] = [
        (
            "v1",
            [
                "CREATE TABLE revoked_token (id TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
                "CREATE INDEX revoked_token_expiry ON revoked_token (expires_at)",
            ]
        )
    ]

    init(database: SQLiteDatabase) throws {
        try database.require(Self.schema)
        backend = .sqlite(database)
    }

    init(postgres database: PostgresDatabase) throws {
        try database.migrate("auth", Self.postgresSteps)
        backend = .postgres(database)
    }

    /// Revokes the token `id`, which expires at `expiresAt` (seconds since 1970).
    func revoke(_ id: String, expiresAt: Int64, now: Int64) throws {
        switch backend {
        case .sqlite(let database):
            try database.write { db in
                try db.execute(sql: "DELETE FROM revoked_token WHERE expires_at <= ?", arguments: [now])
                try db.execute(
                    sql: "INSERT OR REPLACE INTO revoked_token (id, expires_at) VALUES (?, ?)",
                    arguments: [id, expiresAt])
            }
        case .postgres(let database):
            try database.transaction { session in
                try session.run("DELETE FROM revoked_token WHERE expires_at <= \(now)")
                try session.run(
                    """
                    INSERT INTO revoked_token (id, expires_at) VALUES (\(id), \(expiresAt))
                    ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at
                    """)
            }
        }
    }

    /// Whether the token `id` was revoked.
    func isRevoked(_ id: String) throws -> Bool {
        switch backend {
        case .sqlite(let database):
            return try database.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM revoked_token WHERE id = ?", arguments: [id]) ?? false
            }
        case .postgres(let database):
            return try database.transaction(readOnly: true) { session in
                !(try session.run("SELECT 1 FROM revoked_token WHERE id = \(id)").isEmpty)
            }
        }
    }
}
