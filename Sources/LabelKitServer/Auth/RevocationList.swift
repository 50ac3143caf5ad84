import GRDB
import LabelKitStore

/// Revoked token ids, in the shared database so every replica refuses them.
/// Rows are dropped once the token they name has expired anyway.
final class RevocationList: Sendable {
    let database: SQLiteDatabase

    /// Namespace `auth` in the shared database.
    static let schema = Schema("auth") {
        $0.migration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE revoked_token (id TEXT PRIMARY KEY NOT NULL, expires_at INTEGER NOT NULL);
                    CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);
                    """)
        }
    }

    init(database: SQLiteDatabase) throws {
        try database.require(Self.schema)
        self.database = database
    }

    /// Revokes the token `id`, which expires at `expiresAt` (seconds since 1970).
    func revoke(_ id: String, expiresAt: Int64, now: Int64) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM revoked_token WHERE expires_at <= ?", arguments: [now])
            try db.execute(
                sql: "INSERT OR REPLACE INTO revoked_token (id, expires_at) VALUES (?, ?)", arguments: [id, expiresAt])
        }
    }

    /// Whether the token `id` was revoked.
    func isRevoked(_ id: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM revoked_token WHERE id = ?", arguments: [id]) ?? false
        }
    }
}
