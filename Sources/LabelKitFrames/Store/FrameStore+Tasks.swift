import Foundation

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
        guard !taskID.utf8.contains(0) else { throw StoreError.invalidPlan("a task id must not hold NUL characters") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let info = try backend.write(bulk: true) { transaction in
            if try transaction.taskJSON(taskID) != nil { throw StoreError.duplicateTask(taskID) }
            let snapshot = try Self.select(transaction, filter: filter, clipLength: clipLength, maxGapMs: maxGapMs)
            let info = TaskInfo(
                id: taskID, snapshotID: snapshot.id, frameCount: snapshot.seqs.count, unitCount: snapshot.units.count,
                clipLength: clipLength, maxGapMs: maxGapMs, plan: plan, label: label)
            try transaction.insertTask(
                id: taskID, json: String(decoding: try encoder.encode(info), as: UTF8.self),
                frames: TaskSnapshot.blob(snapshot.seqs),
                units: TaskSnapshot.blob(snapshot.units.bounds.map(Int64.init)))
            return (info, TaskSnapshot(frameSeqs: snapshot.seqs, units: snapshot.units))
        }
        // Cached only once the transaction has committed.
        snapshots.withLock { $0[taskID] = info.1 }
        return info.0
    }

    /// The frames `filter` selects, in sort order, cut into units, and the
    /// snapshot's id (SHA-256 of the frame ids).
    static func select(
        _ transaction: any FrameTransaction, filter: FrameFilter, clipLength: Int, maxGapMs: Int64?
    ) throws -> (seqs: [Int64], units: Units, id: String) {
        var digest = SnapshotDigest()
        var seqs: [Int64] = []
        var builder = Units.Builder(clipLength: clipLength, maxGapMs: maxGapMs)
        try transaction.selectFrames(filter) { key in
            seqs.append(key.seq)
            digest.add(key.id)
            builder.append(contextID: key.contextID, timestampMs: key.timestampMs)
        }
        return (seqs, builder.units, digest.hex)
    }

    /// The task's snapshot, from the cache or the database.
    func snapshot(_ transaction: any FrameTransaction, task id: String) throws -> TaskSnapshot {
        if let cached = snapshots.withLock({ $0[id] }) { return cached }
        guard let blobs = try transaction.snapshot(id) else { throw StoreError.unknownTask(id) }
        let snapshot = TaskSnapshot(
            frameSeqs: TaskSnapshot.values(blobs.frames),
            units: Units(bounds: TaskSnapshot.values(blobs.units).map { Int($0) }))
        snapshots.withLock { $0[id] = snapshot }
        return snapshot
    }
}
