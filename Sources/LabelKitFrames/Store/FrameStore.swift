import Foundation
import GRDB

/// Frames, tasks and stream positions in SQLite (through GRDB, WAL mode), so a
/// task's selection, seed and every stream's position survive restarts.
///
///     let store = try FrameStore(path: "frames.sqlite")
///     try store.importFrames(frames)
///     let task = try store.createTask(name: "review", filter: .empty, clipLength: 1, plan: IterationPlan(order: .random))
///     let batch = try store.next(task: task.id, count: 10)
public final class FrameStore: Sendable {
    let database: DatabasePool

    /// A created task.
    public struct TaskInfo: Hashable, Sendable, Codable {
        /// The task id.
        public var id: String
        /// SHA-256 of the snapshotted frame ids (R3).
        public var snapshotID: String
        /// Frames in the snapshot.
        public var frameCount: Int
        /// Frames per clip.
        public var clipLength: Int
        /// Largest time gap inside a clip.
        public var maxGapMs: Int64?
        /// The plan, with its seed (generated when none was given, R10).
        public var plan: IterationPlan
    }

    /// One frame handed out by ``next(task:stream:count:)``.
    public struct Delivery: Hashable, Sendable {
        /// The frame.
        public var frame: Frame
        /// Where it sits in the iteration (R13).
        public var emission: Emission
    }

    /// Errors of the store.
    public enum StoreError: Error, Equatable, CustomStringConvertible {
        case duplicateFrame(String)
        case unknownTask(String)
        case invalidPlan(String)

        public var description: String {
            switch self {
            case .duplicateFrame(let id): return "frame \"\(id)\" is already in the store"
            case .unknownTask(let id): return "no task \"\(id)\""
            case .invalidPlan(let reason): return "invalid iteration: \(reason)"
            }
        }
    }

    /// Opens (or creates) a store at `path`.
    public init(path: String) throws {
        database = try DatabasePool(path: path)
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE frame (
                        id TEXT PRIMARY KEY NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE TABLE task (
                        id TEXT PRIMARY KEY NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE TABLE task_frame (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        ordinal INTEGER NOT NULL,
                        frame_id TEXT NOT NULL,
                        PRIMARY KEY (task_id, ordinal)
                    );
                    CREATE TABLE stream (
                        task_id TEXT NOT NULL REFERENCES task(id),
                        name TEXT NOT NULL,
                        state TEXT NOT NULL,
                        PRIMARY KEY (task_id, name)
                    );
                    """)
        }
        return migrator
    }

    /// Adds frames; ids must be new (R2: duplicate ids are rejected).
    ///
    /// - Returns: the number of frames added.
    @discardableResult
    public func importFrames(_ frames: [Frame]) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try database.write { db in
            var seen = Set<String>()
            for frame in frames {
                guard seen.insert(frame.id).inserted,
                    try Int.fetchOne(db, sql: "SELECT 1 FROM frame WHERE id = ?", arguments: [frame.id]) == nil
                else { throw StoreError.duplicateFrame(frame.id) }
                let json = String(decoding: try encoder.encode(frame), as: UTF8.self)
                try db.execute(sql: "INSERT INTO frame (id, json) VALUES (?, ?)", arguments: [frame.id, json])
            }
            return frames.count
        }
    }

    /// Creates a task over the frames matching `filter`, snapshotting them in sort
    /// order (R2, R3); a plan without a seed gets one from the system generator (R10).
    public func createTask(
        id: String? = nil, filter: FrameFilter, clipLength: Int, maxGapMs: Int64? = nil, plan: IterationPlan,
        seed: UInt64? = nil
    ) throws -> TaskInfo {
        if let limit = plan.limit, limit < 1 { throw StoreError.invalidPlan("a limit must be at least 1 frame") }
        guard plan.workers >= 1, (0..<plan.workers).contains(plan.worker) else {
            throw StoreError.invalidPlan("worker \(plan.worker) of \(plan.workers)")
        }
        var plan = plan
        plan.seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let taskID = id ?? UUID().uuidString.lowercased()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try database.write { db in
            let frames = try Self.allFrames(db).filter(filter.matches).sorted(by: Frame.sortsBefore)
            let info = TaskInfo(
                id: taskID, snapshotID: Cursor.snapshotID(ids: frames.map(\.id)), frameCount: frames.count,
                clipLength: clipLength, maxGapMs: maxGapMs, plan: plan)
            try db.execute(
                sql: "INSERT INTO task (id, json) VALUES (?, ?)",
                arguments: [taskID, String(decoding: try encoder.encode(info), as: UTF8.self)])
            for (ordinal, frame) in frames.enumerated() {
                try db.execute(
                    sql: "INSERT INTO task_frame (task_id, ordinal, frame_id) VALUES (?, ?, ?)",
                    arguments: [taskID, ordinal, frame.id])
            }
            return info
        }
    }

    /// The task's settings.
    public func task(_ id: String) throws -> TaskInfo {
        try database.read { db in try Self.taskInfo(db, id) }
    }

    /// The next `count` frames of a task's stream `stream`, advancing and saving its
    /// position in the same transaction, so a crash never loses or repeats one.
    public func next(task id: String, stream: String = "default", count: Int = 1) throws -> [Delivery] {
        try database.write { db in
            let info = try Self.taskInfo(db, id)
            let frames = try Self.snapshot(db, id)
            let units = Units(frames: frames, clipLength: info.clipLength, maxGapMs: info.maxGapMs)
            let stateJSON = try String.fetchOne(
                db, sql: "SELECT state FROM stream WHERE task_id = ? AND name = ?", arguments: [id, stream])
            let state = try stateJSON.map { try JSONDecoder().decode(IterationState.self, from: Data($0.utf8)) }
            var iterator = FrameIterator(units: units, plan: info.plan, state: state ?? IterationState())
            var out: [Delivery] = []
            while out.count < count, let emission = iterator.next() {
                out.append(Delivery(frame: frames[emission.frame], emission: emission))
            }
            let encoded = String(decoding: try JSONEncoder().encode(iterator.state), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO stream (task_id, name, state) VALUES (?, ?, ?)
                    ON CONFLICT(task_id, name) DO UPDATE SET state = excluded.state
                    """,
                arguments: [id, stream, encoded])
            return out
        }
    }

    static func taskInfo(_ db: Database, _ id: String) throws -> TaskInfo {
        guard let json = try String.fetchOne(db, sql: "SELECT json FROM task WHERE id = ?", arguments: [id]) else {
            throw StoreError.unknownTask(id)
        }
        return try JSONDecoder().decode(TaskInfo.self, from: Data(json.utf8))
    }

    static func allFrames(_ db: Database) throws -> [Frame] {
        let decoder = JSONDecoder()
        return try String.fetchAll(db, sql: "SELECT json FROM frame").map {
            try decoder.decode(Frame.self, from: Data($0.utf8))
        }
    }

    /// The task's snapshotted frames in sort order.
    static func snapshot(_ db: Database, _ id: String) throws -> [Frame] {
        let decoder = JSONDecoder()
        return try String.fetchAll(
            db,
            sql: """
                SELECT frame.json FROM task_frame JOIN frame ON frame.id = task_frame.frame_id
                WHERE task_frame.task_id = ? ORDER BY task_frame.ordinal
                """, arguments: [id]
        ).map { try decoder.decode(Frame.self, from: Data($0.utf8)) }
    }
}
