import Foundation
import GRDB

extension FrameStore {
    /// Creates a task over the frames matching `filter`, snapshotting them in sort
    /// order (R2, R3); a plan without a seed gets one from the system generator
    /// (R10). The selection is read by SQLite in index order and hashed as it
    /// streams, so no frame is decoded.
    ///
    /// - Throws: ``StoreError/invalidPlan(_:)`` for a limit below 1, a bad worker
    ///   split or bad label settings; ``StoreError/duplicateTask(_:)``.
    public func createTask(
        id: String? = nil, filter: FrameFilter, clipLength: Int, maxGapMs: Int64? = nil, plan: IterationPlan,
        seed: UInt64? = nil, label: LabelSettings = LabelSettings()
    ) throws -> TaskInfo {
        if let limit = plan.limit, limit < 1 { throw StoreError.invalidPlan("a limit must be at least 1 frame") }
        guard plan.workers >= 1, (0..<plan.workers).contains(plan.worker) else {
            throw StoreError.invalidPlan("worker \(plan.worker) of \(plan.workers)")
        }
        guard clipLength >= 0 else { throw StoreError.invalidPlan("clip length \(clipLength) is negative") }
        if let maxGapMs, maxGapMs < 0 { throw StoreError.invalidPlan("max gap \(maxGapMs) ms is negative") }
        if let problem = label.problem { throw StoreError.invalidPlan(problem) }
        var plan = plan
        plan.seed = seed ?? UInt64.random(in: 0...UInt64.max)
        let taskID = id ?? UUID().uuidString.lowercased()
        guard !taskID.isEmpty else { throw StoreError.invalidPlan("a task id must not be empty") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try database.bulkWrite { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM task WHERE id = ?", arguments: [taskID]) != nil {
                throw StoreError.duplicateTask(taskID)
            }
            let snapshot = try Self.select(db, filter: filter, clipLength: clipLength, maxGapMs: maxGapMs)
            let info = TaskInfo(
                id: taskID, snapshotID: snapshot.id, frameCount: snapshot.seqs.count, unitCount: snapshot.units.count,
                clipLength: clipLength, maxGapMs: maxGapMs, plan: plan, label: label)
            try db.execute(
                sql: "INSERT INTO task (id, json) VALUES (?, ?)",
                arguments: [taskID, String(decoding: try encoder.encode(info), as: UTF8.self)])
            try db.execute(
                sql: "INSERT INTO task_snapshot (task_id, frames, units) VALUES (?, ?, ?)",
                arguments: [
                    taskID, TaskSnapshot.blob(snapshot.seqs), TaskSnapshot.blob(snapshot.units.bounds.map(Int64.init)),
                ])
            snapshots.withLock { $0[taskID] = TaskSnapshot(frameSeqs: snapshot.seqs, units: snapshot.units) }
            return info
        }
    }

    /// Reads the selection in sort order: row ids, units, and the snapshot id
    /// (SHA-256 of the ids joined by "\n").
    static func select(
        _ db: Database, filter: FrameFilter, clipLength: Int, maxGapMs: Int64?
    ) throws -> (seqs: [Int64], units: Units, id: String) {
        var digest = SnapshotDigest()
        var seqs: [Int64] = []
        var builder = Units.Builder(clipLength: clipLength, maxGapMs: maxGapMs)
        let query: SQL = """
            SELECT seq, id, context_id, timestamp_ms FROM frame WHERE \(filter.sql)
            ORDER BY context_id, timestamp_ms, id
            """
        let rows = try SQLRequest<Row>(literal: query).fetchCursor(db)
        while let row = try rows.next() {
            seqs.append(row[0])
            let id: String = row[1]
            digest.add(id)
            builder.append(contextID: row[2], timestampMs: row[3])
        }
        return (seqs, builder.units, digest.hex)
    }

    /// The task's snapshot, from the cache or the database.
    func snapshot(_ db: Database, task id: String) throws -> TaskSnapshot {
        if let cached = snapshots.withLock({ $0[id] }) { return cached }
        guard let row = try Row.fetchOne(db, sql: "SELECT frames, units FROM task_snapshot WHERE task_id = ?", arguments: [id])
        else { throw StoreError.unknownTask(id) }
        let snapshot = TaskSnapshot(
            frameSeqs: TaskSnapshot.values(row["frames"]),
            units: Units(bounds: TaskSnapshot.values(row["units"]).map { Int($0) }))
        snapshots.withLock { $0[id] = snapshot }
        return snapshot
    }
}
