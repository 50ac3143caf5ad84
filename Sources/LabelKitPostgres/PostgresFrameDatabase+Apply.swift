import LabelKitFrames
import PostgresNIO

extension PostgresFrameDatabase.Transaction {
    /// Writes an operation's changes, their log rows and the task's new version
    /// in one statement, inside the transaction holding the task's lock.
    func apply(_ writes: [LabelWrite], task id: String, version: Int64) throws {
        try session.run(LabelWriteStatement(writes, task: id, version: version, expecting: nil).query)
    }
}

extension PostgresFrameDatabase {
    /// One statement, in a transaction of its own: the writes are stored only if
    /// the task is still at `version`; otherwise the same statement reads the
    /// log rows that moved it on, as far as its snapshot sees them.
    public func writeIfCurrent(_ writes: [LabelWrite], task: String, version: Int64) throws -> ConditionalWrite {
        try database.autocommit { session in
            let query =
                writes.isEmpty
                ? Self.logSince(task: task, version: version)
                : LabelWriteStatement(writes, task: task, version: version + 1, expecting: version).query
            let refused = !writes.isEmpty
            if let outcome = try Self.outcome(session.run(query), task: task, version: version, refused: refused) {
                return outcome
            }
            // The writer that moved the task committed after this statement's
            // snapshot was taken (it waited on that writer's row lock): a new
            // statement sees its log rows.
            return try Self.outcome(
                session.run(Self.logSince(task: task, version: version)), task: task, version: version,
                refused: refused) ?? .behind(version: version, writes: nil)
        }
    }

    public func frames(seqs: [Int64]) throws -> [Frame] {
        try database.autocommit { session in try Transaction(session: session).frames(seqs: seqs) }
    }

    /// The task's version and the log rows after `version` (columns as the
    /// conditional statement's result, with nothing written).
    static func logSince(task: String, version: Int64) -> PostgresQuery {
        """
        SELECT 0::BIGINT, t.version, l.version, l.write FROM task t
        LEFT JOIN label_log l ON l.task_id = t.id AND l.version > \(version) AND l.version <= t.version
        WHERE t.id = \(task) ORDER BY l.version, l.idx
        """
    }

    /// Reads a conditional statement's rows: nil when the task looks unmoved
    /// although writes were `refused` (the snapshot predates the other writer's commit).
    static func outcome(_ rows: [PostgresRow], task: String, version: Int64, refused: Bool) throws
        -> ConditionalWrite?
    {
        guard let first = rows.first else { throw FrameStore.StoreError.unknownTask(task) }
        let (stored, current) = try first.decode((Int64, Int64).self)
        if stored == 1 || (!refused && current == version) { return .current }
        guard current > version else { return nil }
        let log = try rows.compactMap { row -> (Int64, String)? in
            let (_, _, logVersion, text) = try row.decode((Int64, Int64, Int64?, String?).self)
            guard let logVersion, let text else { return nil }
            return (logVersion, text)
        }
        return .behind(version: current, writes: try LabelLog.writes(log, after: version, through: current))
    }
}

/// The statement that stores one label operation: the task's version moves to
/// `version` (only from `expecting` when given: the optimistic path), and every
/// write, its log row and the log's pruning happen only if it moved
/// (data-modifying CTEs over the `bump` row). A row written twice keeps its last
/// write (a statement may change a row once; the log keeps every write).
struct LabelWriteStatement {
    let query: PostgresQuery

    init(_ writes: [LabelWrite], task id: String, version: Int64, expecting: Int64?) {
        var batch = StatementBatch()
        let task = batch.bind(id)
        let new = batch.bind(Int(version))
        batch.add(
            "UPDATE task SET version = \(new) WHERE id = \(task)"
                + (expecting.map { " AND version = \(batch.bind(Int($0)))" } ?? "") + " RETURNING 1",
            name: "bump")
        var last: [String: Int] = [:]
        for (index, write) in writes.enumerated() { last[Self.row(of: write)] = index }
        for (index, write) in writes.enumerated() {
            batch.add(
                "INSERT INTO label_log (task_id, version, idx, write) SELECT \(task), \(new), \(batch.bind(index)), \(batch.bind(LabelLog.text(write))) FROM bump"
            )
            guard last[Self.row(of: write)] == index else { continue }
            switch write {
            case .lock(let lock):
                batch.add(
                    #"""
                    INSERT INTO label_lock (task_id, "user", unit, expires_at)
                    SELECT \#(task), \#(batch.bind(lock.user)), \#(batch.bind(lock.unit)), \#(batch.bind(lock.expiresAt)) FROM bump
                    ON CONFLICT (task_id, "user") DO UPDATE SET unit = excluded.unit, expires_at = excluded.expires_at
                    """#)
            case .unlock(let user):
                batch.add(
                    #"""
                    DELETE FROM label_lock WHERE task_id = \#(task) AND "user" = \#(batch.bind(user))
                    AND EXISTS (SELECT 1 FROM bump)
                    """#)
            case .mark(let mark, let at, let result):
                let values = [
                    task, batch.bind(mark.unit), batch.bind(mark.user), batch.bind(mark.kind.rawValue),
                    batch.bind(Int(mark.sequence)), batch.bind(at), batch.bind(result),
                ]
                batch.add(
                    #"""
                    INSERT INTO label_mark (task_id, unit, "user", kind, seq, at, result)
                    SELECT \#(values.joined(separator: ", ")) FROM bump
                    ON CONFLICT (task_id, unit, "user") DO UPDATE SET kind = excluded.kind, seq = excluded.seq,
                        at = excluded.at, result = excluded.result
                    """#)
            case .annotator(let annotator):
                batch.add(
                    #"""
                    INSERT INTO annotator (task_id, "user", position, deferred)
                    SELECT \#(task), \#(batch.bind(annotator.user)), \#(batch.bind(annotator.position)), \#(batch.bind(annotator.deferredJSON)) FROM bump
                    ON CONFLICT (task_id, "user") DO UPDATE SET position = excluded.position, deferred = excluded.deferred
                    """#)
            }
        }
        if version % LabelLog.pruneEvery == 0 {
            batch.add(
                "DELETE FROM label_log WHERE task_id = \(task) AND version <= \(batch.bind(Int(version - LabelLog.reach))) AND EXISTS (SELECT 1 FROM bump)"
            )
        }
        // Whether it moved, and (when it did not) what moved it, as far as this
        // statement's snapshot sees.
        let since = batch.bind(Int(version - 1))
        query = batch.query(
            then: """
                SELECT (SELECT count(*) FROM bump), t.version, l.version, l.write FROM task t
                LEFT JOIN label_log l ON l.task_id = t.id AND l.version > \(since) AND l.version <= t.version
                    AND NOT EXISTS (SELECT 1 FROM bump)
                WHERE t.id = \(task) ORDER BY l.version, l.idx
                """)
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

/// One statement made of data-modifying CTEs, with its parameters.
struct StatementBatch {
    private var binds = PostgresBindings()
    private var parts: [String] = []

    /// Binds a value and returns its placeholder (`$n`).
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds an optional text (NULL when nil).
    mutating func bind(_ value: String?) -> String {
        if let value { binds.append(value) } else { binds.appendNull() }
        return "$\(binds.count)"
    }

    /// Adds one data-modifying statement, named `w<n>` unless `name` is given.
    mutating func add(_ statement: String, name: String? = nil) {
        parts.append("\(name ?? "w\(parts.count)") AS (\(statement))")
    }

    /// The statement that runs every part and then `last`.
    func query(then last: String) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: (parts.isEmpty ? "" : "WITH " + parts.joined(separator: ", ") + " ") + last, binds: binds)
    }
}
