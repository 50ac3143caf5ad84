import LabelKitFrames
import PostgresNIO

extension PostgresFrameDatabase.Transaction {
    /// Writes an operation's changes, their log rows and the task's new version
    /// in one statement (data-modifying CTEs): one round trip instead of one per
    /// row. A statement may not change one row twice, so a write to a row already
    /// changed starts a new statement (an operation's changes never do today).
    func apply(_ writes: [LabelWrite], task id: String, version: Int64) throws {
        var start = 0
        var rows = Set<String>()
        for (index, write) in writes.enumerated() where !rows.insert(Self.row(of: write)).inserted {
            try apply(writes[start..<index], from: start, task: id, version: version)
            (start, rows) = (index, [Self.row(of: write)])
        }
        try apply(writes[start...], from: start, task: id, version: version)
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

    /// One statement for `writes` (no row twice), the log positions counted from `first`.
    private func apply(_ writes: ArraySlice<LabelWrite>, from first: Int, task id: String, version: Int64) throws {
        var batch = StatementBatch()
        let task = batch.bind(id)
        for (index, write) in zip(first..., writes) {
            batch.add(
                "INSERT INTO label_log (task_id, version, idx, write) VALUES (\(task), \(batch.bind(Int(version))), \(batch.bind(index)), \(batch.bind(LabelLog.text(write))))"
            )
            switch write {
            case .lock(let lock):
                batch.add(
                    #"""
                    INSERT INTO label_lock (task_id, "user", unit, expires_at)
                    VALUES (\#(task), \#(batch.bind(lock.user)), \#(batch.bind(lock.unit)), \#(batch.bind(lock.expiresAt)))
                    ON CONFLICT (task_id, "user") DO UPDATE SET unit = excluded.unit, expires_at = excluded.expires_at
                    """#)
            case .unlock(let user):
                batch.add(#"DELETE FROM label_lock WHERE task_id = \#(task) AND "user" = \#(batch.bind(user))"#)
            case .mark(let mark, let at, let result):
                let values = [
                    task, batch.bind(mark.unit), batch.bind(mark.user), batch.bind(mark.kind.rawValue),
                    batch.bind(Int(mark.sequence)), batch.bind(at), batch.bind(result),
                ]
                batch.add(
                    #"""
                    INSERT INTO label_mark (task_id, unit, "user", kind, seq, at, result)
                    VALUES (\#(values.joined(separator: ", ")))
                    ON CONFLICT (task_id, unit, "user") DO UPDATE SET kind = excluded.kind, seq = excluded.seq,
                        at = excluded.at, result = excluded.result
                    """#)
            case .annotator(let annotator):
                batch.add(
                    #"""
                    INSERT INTO annotator (task_id, "user", position, deferred)
                    VALUES (\#(task), \#(batch.bind(annotator.user)), \#(batch.bind(annotator.position)), \#(batch.bind(annotator.deferredJSON)))
                    ON CONFLICT (task_id, "user") DO UPDATE SET position = excluded.position, deferred = excluded.deferred
                    """#)
            }
        }
        if version % LabelLog.pruneEvery == 0 {
            batch.add(
                "DELETE FROM label_log WHERE task_id = \(task) AND version <= \(batch.bind(Int(version - LabelLog.reach)))"
            )
        }
        let last = "UPDATE task SET version = \(batch.bind(Int(version))) WHERE id = \(task)"
        try session.run(batch.query(then: last))
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

    /// Adds one data-modifying statement.
    mutating func add(_ statement: String) {
        parts.append("w\(parts.count) AS (\(statement))")
    }

    /// The statement that runs every part and then `last`.
    func query(then last: String) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: (parts.isEmpty ? "" : "WITH " + parts.joined(separator: ", ") + " ") + last, binds: binds)
    }
}
