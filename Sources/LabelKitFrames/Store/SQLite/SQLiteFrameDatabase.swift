import Foundation
import GRDB
import LabelKitStore

/// The frame store's rows in SQLite (WAL, through GRDB): the embedded default,
/// one file that processes on one machine share. Writes are IMMEDIATE
/// transactions, so every write (of any process) holds the file's one write lock
/// and ``FrameTransaction/lockTask(_:)`` needs no lock of its own.
public struct SQLiteFrameDatabase: FrameDatabase {
    let database: SQLiteDatabase

    /// The store's tables in `database`, which must have been opened with ``FrameStore/schema``.
    public init(database: SQLiteDatabase) throws {
        try database.require(FrameStore.schema)
        self.database = database
    }

    public func read<T>(_ body: (any FrameTransaction) throws -> T) throws -> T {
        try database.read { db in try body(Transaction(db: db)) }
    }

    public func write<T>(bulk: Bool, _ body: (any FrameTransaction) throws -> T) throws -> T {
        bulk
            ? try database.bulkWrite { db in try body(Transaction(db: db)) }
            : try database.write { db in try body(Transaction(db: db)) }
    }

    public func importFrames(_ frames: [Frame]) throws -> Int {
        try database.bulkWrite { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO frame (id, context_id, timestamp_ms, source_frame, source_uri, width, height,
                        labels, metadata, roi_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for frame in frames {
                do {
                    try insert.execute(arguments: [
                        frame.id, frame.contextID, frame.timestampMs, frame.sourceFrame, frame.sourceURI, frame.width,
                        frame.height, frame.labelsJSON, frame.metadataJSON, frame.roiCount,
                    ])
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    throw FrameStore.StoreError.duplicateFrame(frame.id)
                }
            }
            return frames.count
        }
    }

    /// The statements over one GRDB connection.
    struct Transaction: FrameTransaction {
        let db: Database

        func frameCount() throws -> Int {
            try Int.fetchOne(db, sql: "SELECT count(*) FROM frame") ?? 0
        }

        func frames(seqs: [Int64]) throws -> [Frame] {
            let select = try db.cachedStatement(sql: "SELECT * FROM frame WHERE seq = ?")
            return try seqs.map { seq in
                guard let row = try Row.fetchOne(select, arguments: [seq]) else {
                    throw FrameStore.StoreError.invalidRequest("frame row \(seq) is missing from the store")
                }
                return Frame(
                    id: row["id"], contextID: row["context_id"], timestampMs: row["timestamp_ms"],
                    sourceFrame: row["source_frame"], sourceURI: row["source_uri"], width: row["width"],
                    height: row["height"], labelsJSON: row["labels"], metadataJSON: row["metadata"])
            }
        }

        func selectFrames(_ filter: FrameFilter, _ body: (FrameKey) throws -> Void) throws {
            // SQLite's binary collation compares UTF-8 bytes: the spec's order.
            let query: SQL = """
                SELECT seq, id, context_id, timestamp_ms FROM frame WHERE \(filter.sql)
                ORDER BY context_id, timestamp_ms, id
                """
            let rows = try SQLRequest<Row>(literal: query).fetchCursor(db)
            while let row = try rows.next() {
                try body(FrameKey(seq: row[0], id: row[1], contextID: row[2], timestampMs: row[3]))
            }
        }

        func taskJSON(_ id: String) throws -> String? {
            try String.fetchOne(db.cachedStatement(sql: "SELECT json FROM task WHERE id = ?"), arguments: [id])
        }

        func lockTask(_ id: String) throws -> Int64? {
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM task WHERE id = ?"), arguments: [id])
        }

        func insertTask(id: String, json: String, frames: Data, units: Data) throws {
            try db.execute(sql: "INSERT INTO task (id, json) VALUES (?, ?)", arguments: [id, json])
            try db.execute(
                sql: "INSERT INTO task_snapshot (task_id, frames, units) VALUES (?, ?, ?)",
                arguments: [id, frames, units])
        }

        func snapshot(_ id: String) throws -> (frames: Data, units: Data)? {
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT frames, units FROM task_snapshot WHERE task_id = ?", arguments: [id])
            else { return nil }
            return (row["frames"], row["units"])
        }

        func streamState(task: String, name: String) throws -> String? {
            try String.fetchOne(
                db, sql: "SELECT state FROM stream WHERE task_id = ? AND name = ?", arguments: [task, name])
        }

        func setStreamState(task: String, name: String, state: String) throws {
            try db.execute(
                sql: """
                    INSERT INTO stream (task_id, name, state) VALUES (?, ?, ?)
                    ON CONFLICT(task_id, name) DO UPDATE SET state = excluded.state
                    """,
                arguments: [task, name, state])
        }

        func labelState(task id: String) throws -> LabelState {
            var state = LabelState()
            for row in try Row.fetchAll(
                db, sql: "SELECT user, unit, kind, seq FROM label_mark WHERE task_id = ?", arguments: [id])
            {
                guard let kind = LabelMarkKind(rawValue: row["kind"]) else { continue }
                state.marks.append(.init(user: row["user"], unit: row["unit"], kind: kind, sequence: row["seq"]))
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT user, unit, expires_at FROM label_lock WHERE task_id = ?", arguments: [id])
            {
                state.locks.append(.init(user: row["user"], unit: row["unit"], expiresAt: row["expires_at"]))
            }
            let decoder = JSONDecoder()
            for row in try Row.fetchAll(
                db, sql: "SELECT user, position, deferred FROM annotator WHERE task_id = ?", arguments: [id])
            {
                let deferred = try decoder.decode([Int].self, from: Data((row["deferred"] as String).utf8))
                state.annotators.append(.init(user: row["user"], position: row["position"], deferred: deferred))
            }
            return state
        }

        func labelWrites(task id: String, after: Int64, through: Int64) throws -> [LabelWrite]? {
            guard through - after <= LabelLog.reach else { return nil }
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT version, write FROM label_log WHERE task_id = ? AND version > ? AND version <= ? ORDER BY version, idx",
                arguments: [id, after, through])
            return try LabelLog.writes(
                rows.map { (version: $0["version"], text: $0["write"]) }, after: after, through: through)
        }

        func apply(_ writes: [LabelWrite], task id: String, version: Int64) throws {
            try db.cachedStatement(sql: "UPDATE task SET version = ? WHERE id = ?").execute(arguments: [version, id])
            for (index, write) in writes.enumerated() {
                try db.cachedStatement(sql: "INSERT INTO label_log (task_id, version, idx, write) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [id, version, index, LabelLog.text(write)])
            }
            if version % LabelLog.pruneEvery == 0 {
                try db.cachedStatement(sql: "DELETE FROM label_log WHERE task_id = ? AND version <= ?").execute(
                    arguments: [id, version - LabelLog.reach])
            }
            for write in writes {
                switch write {
                case .lock(let lock):
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO label_lock (task_id, user, unit, expires_at) VALUES (?, ?, ?, ?)
                            ON CONFLICT(task_id, user) DO UPDATE SET unit = excluded.unit, expires_at = excluded.expires_at
                            """
                    ).execute(arguments: [id, lock.user, lock.unit, lock.expiresAt])
                case .unlock(let user):
                    try db.cachedStatement(sql: "DELETE FROM label_lock WHERE task_id = ? AND user = ?").execute(
                        arguments: [id, user])
                case .mark(let mark, let at, let result):
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO label_mark (task_id, unit, user, kind, seq, at, result) VALUES (?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(task_id, unit, user) DO UPDATE SET kind = excluded.kind, seq = excluded.seq,
                                at = excluded.at, result = excluded.result
                            """
                    ).execute(arguments: [id, mark.unit, mark.user, mark.kind.rawValue, mark.sequence, at, result])
                case .annotator(let annotator):
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO annotator (task_id, user, position, deferred) VALUES (?, ?, ?, ?)
                            ON CONFLICT(task_id, user) DO UPDATE SET position = excluded.position, deferred = excluded.deferred
                            """
                    ).execute(arguments: [
                        id, annotator.user, annotator.position,
                        annotator.deferredJSON,
                    ])
                }
            }
        }

        func result(task: String, user: String, unit: Int) throws -> String? {
            try String.fetchOne(
                db,
                sql: "SELECT result FROM label_mark WHERE task_id = ? AND user = ? AND unit = ? AND kind = 'submitted'",
                arguments: [task, user, unit])
        }
    }
}
