import Foundation
import LabelKitStore
import Synchronization

/// Frames, tasks, stream positions and label streams in SQLite (through GRDB,
/// WAL mode), so a task's selection, seed, every stream's position and every
/// lock and annotation survive restarts and crashes.
///
///     let store = try FrameStore(path: "frames.sqlite")
///     try store.importFrames(frames)
///     let task = try store.createTask(filter: .empty, clipLength: 1, plan: IterationPlan(order: .random))
///     let batch = try store.next(task: task.id, count: 10)                 // a plain stream
///     let work = try store.next(task: task.id, user: "alice")              // the label stream
///
/// ### Caching
/// A task's snapshot (the frame list in sort order and its units) never changes
/// after creation, so it is read once per process. The label stream's state
/// (``LabelBoard``) is cached with the task's `version`, which every label
/// operation moves on with its writes; an operation is decided on the cached
/// board and stored only if the version is still the board's (a
/// compare-and-set), and a board left behind by another process catches up by
/// replaying the write log (see `withBoard`).
///
/// ### Durability
/// WAL with `synchronous = NORMAL`: a committed operation survives the process
/// being killed at any point (the crash test kills it with SIGKILL); a power
/// loss may roll back the last commits. Checkpoints run off the request path
/// (``SQLiteDatabase``).
public final class FrameStore: Sendable {
    /// Where the rows live (SQLite by default, PostgreSQL for many replicas).
    let backend: any FrameDatabase
    let snapshots = Mutex<[String: TaskSnapshot]>([:])
    let boards = Mutex<[String: BoardSlot]>([:])

    /// A label board with the task version it reflects.
    struct CachedBoard: Sendable {
        var version: Int64
        var board: LabelBoard
    }

    /// A created task.
    public struct TaskInfo: Hashable, Sendable, Codable {
        /// The task id.
        public var id: String
        /// SHA-256 of the snapshotted frame ids (R3).
        public var snapshotID: String
        /// Frames in the snapshot.
        public var frameCount: Int
        /// Units (clips or frames) in the snapshot.
        public var unitCount: Int
        /// Frames per clip.
        public var clipLength: Int
        /// Largest time gap inside a clip.
        public var maxGapMs: Int64?
        /// The plan, with its seed (generated when none was given, R10).
        public var plan: IterationPlan
        /// How annotators share the units.
        public var label: LabelSettings
    }

    /// One frame handed out by ``next(task:stream:count:)``.
    public struct Delivery: Hashable, Sendable {
        /// The frame.
        public var frame: Frame
        /// Where it sits in the iteration (R13).
        public var emission: Emission
    }

    /// Errors of the store; each names the task, frame, unit or user at fault.
    public enum StoreError: Error, Equatable, CustomStringConvertible {
        /// A frame id already in the store (or twice in one import).
        case duplicateFrame(String)
        /// No task with this id.
        case unknownTask(String)
        /// A task id already in use.
        case duplicateTask(String)
        /// The iteration plan or label settings are invalid.
        case invalidPlan(String)
        /// A malformed request: unit out of range, empty user id (HTTP 400).
        case invalidRequest(String)
        /// The request conflicts with the stream's state: a lock lost to others,
        /// a unit already submitted (HTTP 409).
        case conflict(String)
        /// The credential may not do this: an annotator acting for another (HTTP 403).
        case forbidden(String)

        public var description: String {
            switch self {
            case .duplicateFrame(let id): return "frame \"\(id)\" is already in the store"
            case .unknownTask(let id): return "no task \"\(id)\""
            case .duplicateTask(let id): return "task \"\(id)\" already exists"
            case .invalidPlan(let reason): return "invalid task: \(reason)"
            case .invalidRequest(let reason), .conflict(let reason), .forbidden(let reason): return reason
            }
        }
    }

    /// Opens (or creates) a store at `path`; other processes may share the file.
    public convenience init(path: String) throws {
        try self.init(database: SQLiteDatabase(path: path, schemas: [Self.schema]))
    }

    /// A store in `database`, which must have been opened with ``schema``.
    public convenience init(database: SQLiteDatabase) throws {
        self.init(backend: try SQLiteFrameDatabase(database: database))
    }

    /// A store over `backend`.
    public init(backend: any FrameDatabase) {
        self.backend = backend
    }

    /// Whether the store's database answers (readiness checks): one empty read transaction.
    public func ping() throws {
        try backend.read { _ in }
    }

    /// The task's settings.
    public func task(_ id: String) throws -> TaskInfo {
        try Self.checkTaskID(id)
        return try backend.read { try Self.taskInfo($0, id) }
    }

    /// No task id holds a NUL character (``createTask`` refuses them, and
    /// PostgreSQL's text cannot hold one): such an id names no task, answered
    /// before any engine sees it.
    static func checkTaskID(_ id: String) throws {
        if id.utf8.contains(0) { throw StoreError.unknownTask(id.replacingOccurrences(of: "\u{0}", with: "\\u0000")) }
    }

    static func taskInfo(_ transaction: any FrameTransaction, _ id: String) throws -> TaskInfo {
        guard let json = try transaction.taskJSON(id) else { throw StoreError.unknownTask(id) }
        return try JSONDecoder().decode(TaskInfo.self, from: Data(json.utf8))
    }
}
