import LabelKitFrames
import PostgresNIO

extension PostgresFrameDatabase.Transaction {
    /// Writes an operation's changes, their log rows and the task's new version
    /// in one call, inside the transaction holding the task's lock.
    func apply(_ writes: [LabelWrite], task id: String, version: Int64) throws {
        try session.run(LabelWriteCall(writes, task: id, version: version, expecting: nil).query)
    }
}

extension PostgresFrameDatabase {
    /// One statement in a transaction of its own: `labelkit_label_write`
    /// (migration `frames/v2`) stores the writes only if the task is still at
    /// `version`, and otherwise answers with the log rows that moved it on;
    /// without writes, a plain read of the version and those rows. The same
    /// statement reads the frames of `seqs`.
    public func writeIfCurrent(_ writes: [LabelWrite], task: String, version: Int64, reading seqs: [Int64]) throws
        -> ConditionalWrite
    {
        try database.autocommit { session in
            let rows = try session.run(
                writes.isEmpty
                    ? Self.logSince(task: task, version: version, reading: seqs)
                    : LabelWriteCall(writes, task: task, version: version + 1, expecting: version, reading: seqs).query)
            var current = version
            var log: [(Int64, String)] = []
            var frames: [Int64: Frame] = [:]
            var answered = false
            for row in rows {
                let cells = row.makeRandomAccess()
                if let seq = try cells[Self.frameColumn].decode(Int64?.self) {
                    frames[seq] = try Transaction.frame(cells, from: Self.frameColumn + 1)
                    continue
                }
                answered = true
                let (stored, moved) = (try cells[1].decode(Bool.self), try cells[2].decode(Int64.self))
                let (logVersion, text) = (try cells[3].decode(Int64?.self), try cells[4].decode(String?.self))
                if stored { return .current(frames: frames) }
                current = moved
                if let logVersion, let text { log.append((logVersion, text)) }
            }
            guard answered else { throw FrameStore.StoreError.unknownTask(task) }
            if current == version { return .current(frames: frames) }
            return .behind(
                version: current,
                writes: current > version ? try LabelLog.writes(log, after: version, through: current) : nil)
        }
    }

    /// The task's version and the log rows after `version`, shaped as the
    /// function's answer with nothing stored, with the frames of `seqs`.
    static func logSince(task: String, version: Int64, reading seqs: [Int64]) -> PostgresQuery {
        """
        SELECT row_number() OVER (ORDER BY l.version, l.idx) AS ord, false, t.version, l.version, l.write, NULL::BIGINT,
            \(unescaped: Self.noFrame)
        FROM task t LEFT JOIN label_log l ON l.task_id = t.id AND l.version > \(version) AND l.version <= t.version
        WHERE t.id = \(task)
        UNION ALL \(unescaped: Self.framesBranch) \(seqs))
        ORDER BY ord
        """
    }

    /// Where a combined answer's frame columns start (`seq`, then ``Transaction/frameColumns``).
    static let frameColumn = 5
    /// Null frame columns beside an answer row.
    static let noFrame =
        "NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::TEXT, NULL::TEXT"
    /// The frame rows of a combined answer, up to the array of row ids (bound by the caller).
    static let framesBranch = """
        SELECT 0, NULL::BOOLEAN, NULL::BIGINT, NULL::BIGINT, NULL::TEXT, f.seq, \(Transaction.frameColumns)
        FROM frame f WHERE f.seq = ANY(
        """
}

/// The call that stores one label operation: the task's version moves to
/// `version` (only from `expecting` when given: the optimistic path), with every
/// write's log row and each written row's last write (a row written twice
/// keeps its last write; the log keeps every one). Rows go as parallel arrays,
/// one element per row.
struct LabelWriteCall {
    let query: PostgresQuery

    init(_ writes: [LabelWrite], task id: String, version: Int64, expecting: Int64?, reading seqs: [Int64] = []) {
        var last: [String: Int] = [:]
        for (index, write) in writes.enumerated() { last[Self.row(of: write)] = index }
        var kinds: [String] = []
        var users: [String] = []
        var units: [Int64] = []
        var reals: [Double] = []
        var marks: [String] = []
        var numbers: [Int64] = []
        var texts: [String] = []
        var hasText: [Bool] = []
        for (index, write) in writes.enumerated() where last[Self.row(of: write)] == index {
            var (kind, user, unit, real, mark, number, text): (String, String, Int64, Double, String, Int64, String?)
            switch write {
            case .lock(let lock):
                (kind, user, unit, real, mark, number, text) = (
                    "lock", lock.user, Int64(lock.unit), lock.expiresAt, "", 0, nil
                )
            case .unlock(let name):
                (kind, user, unit, real, mark, number, text) = ("unlock", name, 0, 0, "", 0, nil)
            case .mark(let value, let at, let result):
                (kind, user, unit, real, mark, number, text) = (
                    "mark", value.user, Int64(value.unit), at, value.kind.rawValue, value.sequence, result
                )
            case .annotator(let annotator):
                (kind, user, unit, real, mark, number, text) = (
                    "annotator", annotator.user, 0, 0, "", Int64(annotator.position), annotator.deferredJSON
                )
            }
            kinds.append(kind)
            users.append(user)
            units.append(unit)
            reals.append(real)
            marks.append(mark)
            numbers.append(number)
            texts.append(text ?? "")
            hasText.append(text != nil)
        }
        let log = writes.map(LabelLog.text)
        let prune: Int64? = version % LabelLog.pruneEvery == 0 ? version - LabelLog.reach : nil
        // The function's rows keep their order (WITH ORDINALITY); frame rows come first.
        query = """
            SELECT r.n AS ord, r.o_stored, r.o_version, r.o_log_version, r.o_log_write, NULL::BIGINT,
                \(unescaped: PostgresFrameDatabase.noFrame)
            FROM labelkit_label_write(
                \(id), \(expecting), \(version), \(log), \(prune), \(kinds), \(users), \(units), \(reals), \(marks),
                \(numbers), \(texts), \(hasText)) WITH ORDINALITY AS r(o_stored, o_version, o_log_version, o_log_write, n)
            UNION ALL \(unescaped: PostgresFrameDatabase.framesBranch) \(seqs))
            ORDER BY ord
            """
    }

    /// The row a write changes.
    static func row(of write: LabelWrite) -> String {
        switch write {
        case .lock(let lock): return "lock\u{0}" + lock.user
        case .unlock(let user): return "lock\u{0}" + user
        case .mark(let mark, _, _): return "mark\u{0}\(mark.unit)\u{0}" + mark.user
        case .annotator(let annotator): return "annotator\u{0}" + annotator.user
        }
    }
}
