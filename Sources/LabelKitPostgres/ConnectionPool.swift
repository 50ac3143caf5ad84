import Dispatch
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A few PostgreSQL connections shared by the threads that run store calls.
/// A caller blocks (on its own thread, never an event loop) until one is free;
/// a connection that failed is closed and replaced on the next checkout.
final class ConnectionPool: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let slots: DispatchSemaphore
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)

    init(location: PostgresLocation, size: Int, logger: Logger) {
        configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        group = MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        slots = DispatchSemaphore(value: max(1, size))
    }

    /// Runs `body` with a connection of its own.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let connection = try idle.withLock { $0.popLast() } ?? open()
        do {
            let value = try body(connection)
            idle.withLock { $0.append(connection) }
            return value
        } catch {
            if connection.isClosed {
                // Dropped: the next checkout opens a new one.
            } else {
                idle.withLock { $0.append(connection) }
            }
            throw error
        }
    }

    private func open() throws -> PostgresConnection {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        do {
            return try PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: id, logger: logger
            ).wait()
        } catch {
            throw PostgresStoreError.unavailable(
                "cannot connect to \(configuration.host ?? "?"): \(String(reflecting: error))")
        }
    }

    /// Closes the idle connections.
    func close() {
        let connections = idle.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for connection in connections { try? connection.close().wait() }
    }
}
