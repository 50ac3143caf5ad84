import Foundation
import LabelKitFrames
import LabelKitPostgres
import Logging
import NIOPosix
import PostgresNIO
import Testing

/// The engines the frame store's tests run on: one test body, two stores.
/// SQLite always; PostgreSQL when `LABELKIT_TEST_POSTGRES` names a server
/// (`make test` starts a private cluster and sets it), each store in a new database.
enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    /// The engines available in this run.
    static var available: [TestBackend] {
        ProcessInfo.processInfo.environment["LABELKIT_TEST_POSTGRES"].map { !$0.isEmpty } == true
            ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { rawValue }

    /// A new, empty location: a SQLite file in `folder`, or a new PostgreSQL database.
    func newLocation(in folder: URL) throws -> String {
        switch self {
        case .sqlite:
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder.appendingPathComponent("\(UUID().uuidString).sqlite").path
        case .postgres:
            return try Self.newDatabase()
        }
    }

    /// A store at `location` (opened again, it sees what earlier stores wrote).
    func open(_ location: String) throws -> FrameStore {
        switch self {
        case .sqlite: return try FrameStore(path: location)
        case .postgres:
            return FrameStore(
                backend: try PostgresFrameDatabase(location: try PostgresLocation(url: location), connections: 16))
        }
    }

    /// A new store.
    func makeStore(in folder: URL) throws -> FrameStore {
        try open(try newLocation(in: folder))
    }

    /// Creates a database on the test server and returns its URL.
    static func newDatabase() throws -> String {
        let base = ProcessInfo.processInfo.environment["LABELKIT_TEST_POSTGRES"] ?? ""
        let location = try PostgresLocation(url: base)
        let name = "lk_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        let logger = Logger(label: "labelkit.tests.postgres")
        let connection = try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
        ).wait()
        defer { try? connection.close().wait() }
        _ = try connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).wait()
        return "postgres://\(location.user)@\(location.host):\(location.port)/\(name)"
    }
}
