import Foundation

/// Where a ``FrameStore`` keeps its rows. The store's rules (validation,
/// snapshots, iteration, the label board, caching) are written once, over this
/// interface; each engine implements it in its own SQL: SQLite
/// (``SQLiteFrameDatabase``, the default, one file) and PostgreSQL
/// (`LabelKitPostgres`, many replicas on one server).
///
/// Calls block their thread until the engine answers: run them off the event
/// loops and off Swift's cooperative pool (the service runs them on its I/O pool).
public protocol FrameDatabase: Sendable {
    /// Runs `body` in a read transaction (a consistent snapshot).
    func read<T>(_ body: (any FrameTransaction) throws -> T) throws -> T
    /// Runs `body` in a write transaction; `bulk` marks a large one (an import, a
    /// snapshot) after which the engine may tidy up (a checkpoint).
    func write<T>(bulk: Bool, _ body: (any FrameTransaction) throws -> T) throws -> T
    /// Appends `frames` in one transaction (the engine's bulk path).
    ///
    /// - Throws: ``FrameStore/StoreError/duplicateFrame(_:)`` naming a frame id already stored.
    func importFrames(_ frames: [Frame]) throws -> Int

    /// Stores a label operation's `writes` and moves the task from `version` to
    /// `version + 1`, only if no other writer moved it first; without writes,
    /// checks that the task is still at `version`. The operation was decided on
    /// a cached board outside any transaction (optimistic concurrency), so the
    /// task is locked only while the writes are stored: one statement on
    /// PostgreSQL, which also reads the frames of `seqs` (row ids: the units
    /// the operation hands out), so `next` takes one round trip.
    ///
    /// - Throws: ``FrameStore/StoreError/unknownTask(_:)`` when there is no such task.
    func writeIfCurrent(_ writes: [LabelWrite], task: String, version: Int64, reading seqs: [Int64]) throws
        -> ConditionalWrite
}

/// What ``FrameDatabase/writeIfCurrent(_:task:version:reading:)`` found.
public enum ConditionalWrite: Sendable, Equatable {
    /// The task was at the version: the writes are stored (and the version moved
    /// on by one), or, without writes, the caller's board is current. `frames`
    /// holds the frames read, by row id.
    case current(frames: [Int64: Frame])
    /// Another writer moved the task to `version` first and nothing was written;
    /// `writes` took it there from the caller's version (nil when the write log
    /// no longer reaches back that far).
    case behind(version: Int64, writes: [LabelWrite]?)
}

extension FrameDatabase {
    /// The locked way: one write transaction that takes the task's lock, compares
    /// versions, stores the writes and reads the frames; without writes, a read
    /// transaction.
    public func writeIfCurrent(_ writes: [LabelWrite], task: String, version: Int64, reading seqs: [Int64]) throws
        -> ConditionalWrite
    {
        let compareAndSet = { (transaction: any FrameTransaction) throws -> ConditionalWrite in
            guard let stored = try transaction.lockTask(task) else { throw FrameStore.StoreError.unknownTask(task) }
            guard stored == version else {
                return .behind(
                    version: stored,
                    writes: stored > version
                        ? try transaction.labelWrites(task: task, after: version, through: stored) : nil)
            }
            if !writes.isEmpty { try transaction.apply(writes, task: task, version: version + 1) }
            return .current(frames: try transaction.frames(bySeq: seqs))
        }
        return try writes.isEmpty ? read(compareAndSet) : write(bulk: false, compareAndSet)
    }
}

/// The statements a ``FrameStore`` runs inside one transaction.
public protocol FrameTransaction {
    /// The frames stored.
    func frameCount() throws -> Int
    /// The frames of `seqs` (row ids), in that order.
    func frames(seqs: [Int64]) throws -> [Frame]
    /// Calls `body` with the key of every frame `filter` selects, in sort order
    /// (context, timestamp, id; strings by their UTF-8 bytes).
    func selectFrames(_ filter: FrameFilter, _ body: (FrameKey) throws -> Void) throws

    /// A task's settings as stored (JSON), nil when there is no such task.
    func taskJSON(_ id: String) throws -> String?
    /// A task's version, nil when there is no such task. In a write transaction
    /// the task is locked against every other writer (any process, any replica)
    /// until the transaction ends.
    func lockTask(_ id: String) throws -> Int64?
    /// Stores a new task and its snapshot (little-endian Int64 blobs).
    func insertTask(id: String, json: String, frames: Data, units: Data) throws
    /// A task's snapshot blobs.
    func snapshot(_ id: String) throws -> (frames: Data, units: Data)?

    /// A plain stream's iteration state (JSON).
    func streamState(task: String, name: String) throws -> String?
    /// Stores a plain stream's iteration state.
    func setStreamState(task: String, name: String, state: String) throws

    /// The label stream's stored rows of a task.
    func labelState(task: String) throws -> LabelState
    /// Writes label-stream rows (and their log) and sets the task's version to
    /// `version`: the changes that take the task there.
    func apply(_ writes: [LabelWrite], task: String, version: Int64) throws
    /// The writes that took the task from version `after` to `through`, in order,
    /// so a process whose cached board is behind catches up without reading the
    /// whole task; nil when the engine keeps no such log, or no longer reaches
    /// back that far (the board is then read whole).
    func labelWrites(task: String, after: Int64, through: Int64) throws -> [LabelWrite]?
    /// The result stored with a submission.
    func result(task: String, user: String, unit: Int) throws -> String?
}

/// What a snapshot needs of a frame: its row id and sort fields.
public struct FrameKey: Sendable {
    public var seq: Int64
    public var id: String
    public var contextID: String
    public var timestampMs: Int64

    public init(seq: Int64, id: String, contextID: String, timestampMs: Int64) {
        (self.seq, self.id, self.contextID, self.timestampMs) = (seq, id, contextID, timestampMs)
    }
}

extension FrameTransaction {
    /// The frames of `seqs` (row ids), by row id.
    public func frames(bySeq seqs: [Int64]) throws -> [Int64: Frame] {
        guard !seqs.isEmpty else { return [:] }
        return Dictionary(zip(seqs, try frames(seqs: seqs)), uniquingKeysWith: { first, _ in first })
    }
}
