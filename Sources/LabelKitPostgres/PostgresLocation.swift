import Foundation

/// Where a PostgreSQL database is: `postgres://user[:password]@host[:port]/database`
/// (also `postgresql://`). Query parameters are not read; TLS is not used (run
/// the database on a private network or loopback).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a URL.
    ///
    /// - Throws: ``PostgresStoreError/badURL(_:)`` naming what is missing.
    public init(url text: String) throws {
        guard Self.isURL(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw PostgresStoreError.badURL("\(text): expected postgres://user@host[:port]/database")
        }
        guard let user = url.user, !user.isEmpty else {
            throw PostgresStoreError.badURL("\(text): the URL names no user (postgres://USER@host/database)")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty else {
            throw PostgresStoreError.badURL("\(text): the URL names no database (postgres://user@host/DATABASE)")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
    }

    /// The URL without its password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}

/// Errors of the PostgreSQL store that are not the frame store's own.
public enum PostgresStoreError: Error, Equatable, CustomStringConvertible {
    /// A URL that does not name a database.
    case badURL(String)
    /// The server could not be reached or refused the connection.
    case unavailable(String)

    public var description: String {
        switch self {
        case .badURL(let message): return message
        case .unavailable(let message): return "PostgreSQL: \(message)"
        }
    }
}
