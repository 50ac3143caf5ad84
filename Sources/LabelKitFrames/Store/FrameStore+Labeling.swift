import Foundation
import GRDB

extension FrameStore {
    /// What ``next(task:user:now:)`` hands an annotator: the assignment and, for a
    /// unit, its frames in order.
    public struct LabelWork: Hashable, Sendable {
        /// The unit (locked), `locked`, or `done`.
        public var assignment: LabelAssignment
        /// The unit's frames (empty unless a unit was assigned).
        public var frames: [Frame]
    }

    /// The next unit for annotator `user` (spec M4), locked for them until the
    /// task's lock TTL passes; atomic across threads and processes (the choice
    /// and the lock are one transaction).
    ///
    /// - Parameter now: the clock, in seconds since 1970.
    public func next(task id: String, user: String, now: Double = Date().timeIntervalSince1970) throws -> LabelWork {
        try Self.checkUser(user)
        return try withBoard(task: id) { board, db in
            let (assignment, changes) = board.next(user: user, now: now)
            var frames: [Frame] = []
            if case .unit(let unit, _, _) = assignment {
                let snapshot = try snapshot(db, task: id)
                frames = try Self.frames(db, seqs: Array(snapshot.frameSeqs[snapshot.units[unit]]))
            }
            return (LabelWork(assignment: assignment, frames: frames), changes)
        }
    }

    /// Records `user`'s annotation of `unit` (with an optional result document)
    /// and releases their lock.
    ///
    /// - Throws: ``StoreError/conflict(_:)`` when the user already submitted the
    ///   unit, or their lock lapsed and others hold or finished the unit.
    public func submit(
        task id: String, user: String, unit: Int, result: String? = nil, now: Double = Date().timeIntervalSince1970
    ) throws {
        try mark(.submitted, task: id, user: user, unit: unit, result: result, now: now)
    }

    /// Records that `user` skipped `unit` (meaning per the task's skip mode, M7)
    /// and releases their lock.
    public func skip(task id: String, user: String, unit: Int, now: Double = Date().timeIntervalSince1970) throws {
        try mark(.skipped, task: id, user: user, unit: unit, result: nil, now: now)
    }

    /// Puts `unit` aside for `user`: it comes back to them after their main queue.
    public func postpone(task id: String, user: String, unit: Int, now: Double = Date().timeIntervalSince1970) throws {
        try mark(.postponed, task: id, user: user, unit: unit, result: nil, now: now)
    }

    /// Extends `user`'s lock on `unit` by the task's TTL from `now` (M6).
    ///
    /// - Returns: the new expiry, in seconds since 1970.
    /// - Throws: ``StoreError/conflict(_:)`` when the user holds no unexpired lock on the unit.
    @discardableResult
    public func heartbeat(
        task id: String, user: String, unit: Int, now: Double = Date().timeIntervalSince1970
    ) throws -> Double {
        try Self.checkUser(user)
        return try withBoard(task: id) { board, _ in try board.heartbeat(unit: unit, user: user, now: now) }
    }

    /// Progress of the task's label stream.
    public func labelStatus(task id: String, now: Double = Date().timeIntervalSince1970) throws -> LabelStatus {
        try withBoard(task: id) { board, _ in (board.status(now: now), []) }
    }

    /// Units `user` could still be given (incomplete, and not submitted or for
    /// good skipped by them); zero whenever ``next(task:user:now:)`` answers `done`.
    public func remainingUnits(task id: String, user: String) throws -> Int {
        try withBoard(task: id) { board, _ in (board.remaining(for: user), []) }
    }

    /// The result stored with `user`'s submission of `unit`, if any.
    public func result(task id: String, user: String, unit: Int) throws -> String? {
        try database.read { db in
            try String.fetchOne(
                db, sql: "SELECT result FROM label_mark WHERE task_id = ? AND user = ? AND unit = ? AND kind = 'submitted'",
                arguments: [id, user, unit])
        }
    }

    private func mark(
        _ kind: LabelMarkKind, task id: String, user: String, unit: Int, result: String?, now: Double
    ) throws {
        try Self.checkUser(user)
        try withBoard(task: id) { board, db in
            let changes = try board.mark(kind, unit: unit, user: user, now: now)
            if let result {
                // The mark row is written by `persist`; the result rides along.
                return ((), changes.map { $0.with(result: result) })
            }
            return ((), changes)
        }
    }

    static func checkUser(_ user: String) throws {
        guard !user.isEmpty, user.utf8.count <= 256 else {
            throw StoreError.invalidRequest("a user id must be 1 to 256 bytes")
        }
    }

    /// Runs `body` on the task's label board inside one write transaction,
    /// persists the changes it returns and bumps the task's version. A failure
    /// drops the cached board, so the next call reads the database again.
    func withBoard<T>(
        task id: String, _ body: (inout LabelBoard, Database) throws -> (T, [LabelChange])
    ) throws -> T {
        return try database.write { db in
            guard let version = try Int64.fetchOne(db, sql: "SELECT version FROM task WHERE id = ?", arguments: [id])
            else { throw StoreError.unknownTask(id) }
            var cached = boards.withLock { $0.removeValue(forKey: id) }
            if cached?.version != version {
                cached = CachedBoard(version: version, board: try loadBoard(db, task: id))
            }
            guard var entry = cached else { throw StoreError.unknownTask(id) }
            let (value, changes) = try body(&entry.board, db)
            if !changes.isEmpty {
                try Self.persist(changes, db, task: id)
                try db.execute(sql: "UPDATE task SET version = version + 1 WHERE id = ?", arguments: [id])
                entry.version += 1
            }
            boards.withLock { $0[id] = entry }
            return value
        }
    }

    /// Reads a task's label board from the database.
    func loadBoard(_ db: Database, task id: String) throws -> LabelBoard {
        let info = try Self.taskInfo(db, id)
        var board = LabelBoard(
            settings: info.label, unitCount: info.unitCount, order: info.plan.order, seed: info.plan.seed)
        for row in try Row.fetchAll(db, sql: "SELECT user, unit, kind, seq FROM label_mark WHERE task_id = ?", arguments: [id]) {
            guard let kind = LabelMarkKind(rawValue: row["kind"]) else { continue }
            board.restore(mark: LabelBoard.Mark(kind: kind, sequence: row["seq"]), unit: row["unit"], user: row["user"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT user, unit, expires_at FROM label_lock WHERE task_id = ?", arguments: [id]) {
            board.restore(lock: LabelBoard.Lock(unit: row["unit"], expiresAt: row["expires_at"]), user: row["user"])
        }
        let decoder = JSONDecoder()
        for row in try Row.fetchAll(db, sql: "SELECT user, position, deferred FROM annotator WHERE task_id = ?", arguments: [id]) {
            let deferred = try decoder.decode([Int].self, from: Data((row["deferred"] as String).utf8))
            board.restore(annotator: LabelBoard.Annotator(position: row["position"], deferred: deferred), user: row["user"])
        }
        return board
    }

    /// Writes board changes.
    static func persist(_ changes: [LabelChange], _ db: Database, task id: String) throws {
        for change in changes {
            switch change {
            case .lock(let user, let unit, let expiresAt):
                try db.execute(
                    sql: """
                        INSERT INTO label_lock (task_id, user, unit, expires_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(task_id, user) DO UPDATE SET unit = excluded.unit, expires_at = excluded.expires_at
                        """, arguments: [id, user, unit, expiresAt])
            case .unlock(let user):
                try db.execute(sql: "DELETE FROM label_lock WHERE task_id = ? AND user = ?", arguments: [id, user])
            case .mark(let user, let unit, let mark, let at, let result):
                try db.execute(
                    sql: """
                        INSERT INTO label_mark (task_id, unit, user, kind, seq, at, result) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(task_id, unit, user) DO UPDATE SET kind = excluded.kind, seq = excluded.seq,
                            at = excluded.at, result = excluded.result
                        """, arguments: [id, unit, user, mark.kind.rawValue, mark.sequence, at, result])
            case .annotator(let user, let state):
                try db.execute(
                    sql: """
                        INSERT INTO annotator (task_id, user, position, deferred) VALUES (?, ?, ?, ?)
                        ON CONFLICT(task_id, user) DO UPDATE SET position = excluded.position, deferred = excluded.deferred
                        """,
                    arguments: [id, user, state.position, String(decoding: try JSONEncoder().encode(state.deferred), as: UTF8.self)])
            }
        }
    }
}
