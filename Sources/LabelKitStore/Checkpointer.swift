import Dispatch
import GRDB
import Synchronization

/// Copies the write-ahead log into the database file off the request path.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the WAL
/// threshold and fsyncs there, which put multi-millisecond stalls into one
/// request in a few hundred. The store turns it off and calls ``noteWrite()``
/// after each commit; every `interval` writes a PASSIVE checkpoint runs on a
/// background queue over its own connection. Passive checkpoints never block
/// writers or readers, so requests no longer pay for the fsync.
final class Checkpointer: Sendable {
    private let path: String
    private let interval: Int
    private let queue = DispatchQueue(label: "labelkit.store.checkpoint")
    private let writes = Atomic<Int>(0)
    private let connection = Mutex<DatabaseQueue?>(nil)

    /// A checkpointer for the database at `path`, checkpointing every `interval` writes.
    init(path: String, interval: Int = 256) {
        self.path = path
        self.interval = interval
    }

    /// Counts a committed write and schedules a checkpoint every `interval` writes.
    func noteWrite() {
        let count = writes.add(1, ordering: .relaxed).newValue
        guard count % interval == 0 else { return }
        queue.async { [self] in checkpoint() }
    }

    /// Schedules a checkpoint now, after a large write (an import, a snapshot).
    func checkpointSoon() {
        queue.async { [self] in checkpoint() }
    }

    /// Runs `body` once no background checkpoint is running or queued, and
    /// keeps new ones out until it returns. SQLite lets one checkpoint run at a
    /// time and answers a second with SQLITE_BUSY without waiting, so a final
    /// TRUNCATE checkpoint must not meet a passive one scheduled by the last
    /// import.
    func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        try queue.sync { try connection.withLock { _ in try body() } }
    }

    /// Runs a passive checkpoint now (on the caller's thread).
    func checkpoint() {
        connection.withLock { connection in
            do {
                if connection == nil {
                    var configuration = Configuration()
                    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
                    connection = try DatabaseQueue(path: path, configuration: configuration)
                }
                _ = try connection?.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            } catch {
                // A failed passive checkpoint leaves the WAL longer; the next one retries.
            }
        }
    }
}
