import Dispatch
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One PostgreSQL database shared by every replica: a few connections, and one
/// migration table over namespaced steps (`frames/v1`, `auth/v1`), as
/// `SQLiteDatabase` is for the one-machine file.
///
/// Calls block their thread while PostgreSQL answers: run them off the event
/// loops and off Swift's cooperative pool (the service runs them on its I/O
/// pool; the connections' own event loops are never blocked).
public final class PostgresDatabase: Sendable {
    let pool: ConnectionPool
    let logger: Logger
    /// Where it is (without the password).
    public let location: PostgresLocation

    /// Connects with up to `connections` connections at a time.
    ///
    /// - Throws: ``PostgresStoreError/unavailable(_:)`` when the server cannot be reached.
    public init(location: PostgresLocation, connections: Int = 8, logger: Logger = Logger(label: "labelkit.postgres"))
        throws
    {
        self.location = location
        self.logger = logger
        pool = ConnectionPool(location: location, size: connections, logger: logger)
        try transaction { session in
            try session.run("SELECT pg_advisory_xact_lock(7283543391)")
            try session.run(
                "CREATE TABLE IF NOT EXISTS labelkit_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
        }
    }

    deinit { pool.close() }

    /// Applies the steps of `namespace` not yet recorded, in order, under an
    /// advisory lock held to the end of the transaction, so replicas that start
    /// together migrate once.
    public func migrate(_ namespace: String, _ steps: [(id: String, statements: [String])]) throws {
        try transaction { session in
            try session.run("SELECT pg_advisory_xact_lock(7283543391)")
            let applied = Set(try session.run("SELECT id FROM labelkit_migrations").map { try $0.decode(String.self) })
            for step in steps where !applied.contains("\(namespace)/\(step.id)") {
                for statement in step.statements { try session.run(PostgresQuery(unsafeSQL: statement)) }
                try session.run("INSERT INTO labelkit_migrations (id) VALUES (\(namespace + "/" + step.id))")
            }
        }
    }

    /// Whether the server answers (for readiness checks).
    public func ping() throws {
        _ = try transaction(readOnly: true) { session in try session.run("SELECT 1") }
    }

    /// Runs `body` on one connection outside an explicit transaction: each
    /// statement commits on its own (one round trip each, no BEGIN or COMMIT).
    public func autocommit<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection { connection in try body(PostgresSession(connection: connection, logger: logger)) }
    }

    /// Runs `body` in one transaction on one connection: COMMIT when it returns,
    /// ROLLBACK when it throws. Read-only transactions see one snapshot
    /// (REPEATABLE READ); others run at READ COMMITTED and take row locks.
    public func transaction<T>(readOnly: Bool = false, _ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withConnection { connection in
            let session = PostgresSession(connection: connection, logger: logger)
            try session.run(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
            do {
                let value = try body(session)
                try session.run("COMMIT")
                return value
            } catch {
                _ = try? session.run("ROLLBACK")
                throw error
            }
        }
    }
}

/// One connection's statements inside a transaction, each waited for on the calling thread.
public struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `query` and returns its rows.
    ///
    /// - Throws: ``PostgresServerError`` for an error the server reported.
    @discardableResult
    public func run(_ query: PostgresQuery) throws -> [PostgresRow] {
        do {
            return Array(try connection.query(query, logger: logger).wait().rows)
        } catch let error as PSQLError where error.code == .server {
            throw PostgresServerError(error)
        }
    }

    /// Runs an async connection call (COPY) from this blocking thread, on the
    /// connection's event loop (see ``EventLoopTaskExecutor``).
    func await<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task(executorPreference: EventLoopTaskExecutor(connection.eventLoop)) {
            do { outcome.set(.success(try await body())) } catch { outcome.set(.failure(error)) }
        }
        return try outcome.wait()
    }
}

/// The result of async work, waited for on a thread that may block.
final class Outcome<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func set(_ value: Result<T, any Error>) {
        result.withLock { $0 = value }
        done.signal()
    }

    func wait() throws -> T {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}

/// An error the server reported, with its SQLSTATE and detail.
public struct PostgresServerError: Error, CustomStringConvertible {
    /// The SQLSTATE code (`23505`: a unique constraint was violated).
    public let state: String
    public let message: String
    public let detail: String?

    init(_ error: PSQLError) {
        state = error.serverInfo?[.sqlState] ?? ""
        message = error.serverInfo?[.message] ?? "\(error)"
        detail = error.serverInfo?[.detail]
    }

    /// A unique constraint was violated.
    public var isUniqueViolation: Bool { state == "23505" }

    public var description: String { "PostgreSQL error \(state): \(message)" + (detail.map { " (\($0))" } ?? "") }
}
