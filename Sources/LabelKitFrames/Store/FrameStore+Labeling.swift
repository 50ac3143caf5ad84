import Foundation

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
        try Self.checkTaskID(id)
        let snapshot = try snapshots.withLock({ $0[id] }) ?? backend.read { try self.snapshot($0, task: id) }
        // The unit's frames are read in the same call that stores the decision.
        let (assignment, frames) = try withBoard(
            task: id, user: user,
            reading: { assignment in
                guard case .unit(let unit, _, _) = assignment else { return [] }
                return Array(snapshot.frameSeqs[snapshot.units[unit]])
            }
        ) { board in board.next(user: user, now: now) }
        return LabelWork(assignment: assignment, frames: frames)
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
        return try withBoard(task: id, user: user, unit: unit) { board in
            try board.heartbeat(unit: unit, user: user, now: now)
        }
    }

    /// Progress of the task's label stream.
    public func labelStatus(task id: String, now: Double = Date().timeIntervalSince1970) throws -> LabelStatus {
        try withBoard(task: id) { board in (board.status(now: now), []) }
    }

    /// Units `user` could still be given (incomplete, and not submitted or for
    /// good skipped by them); zero whenever ``next(task:user:now:)`` answers `done`.
    public func remainingUnits(task id: String, user: String) throws -> Int {
        try withBoard(task: id) { board in (board.remaining(for: user), []) }
    }

    /// The result stored with `user`'s submission of `unit`, if any.
    public func result(task id: String, user: String, unit: Int) throws -> String? {
        try Self.checkTaskID(id)
        try Self.checkUser(user)
        return try backend.read { try $0.result(task: id, user: user, unit: unit) }
    }

    private func mark(
        _ kind: LabelMarkKind, task id: String, user: String, unit: Int, result: String?, now: Double
    ) throws {
        try Self.checkUser(user)
        try withBoard(task: id, user: user, unit: unit) { board in
            let changes = try board.mark(kind, unit: unit, user: user, now: now)
            if let result {
                // The mark row is written by `persist`; the result rides along.
                return ((), changes.map { $0.with(result: result) })
            }
            return ((), changes)
        }
    }

    static func checkUser(_ user: String) throws {
        guard !user.isEmpty, user.utf8.count <= 256, !user.utf8.contains(0) else {
            throw StoreError.invalidRequest("a user id must be 1 to 256 bytes, without NUL characters")
        }
    }

    /// Runs `body` on the task's label board and stores the changes it returns.
    ///
    /// The process's operations on a task are decided and stored in batches
    /// (``BoardSlot``): one compare-and-set on the task's version stores a batch
    /// decided on the cached board, so the task is locked only while the writes
    /// are stored. When another writer (process or replica) moved the task on
    /// first, the board catches up from the write log and the batch is decided
    /// again. A decision that throws is answered only once its batch was found
    /// current, so a conflict is never reported from a stale board.
    func withBoard<T: Sendable>(
        task id: String, user: String? = nil, unit: Int? = nil,
        _ body: (inout LabelBoard) throws -> (T, [LabelChange])
    ) throws -> T {
        try withBoard(task: id, user: user, unit: unit, reading: { _ in [] }, body).value
    }

    /// ``withBoard(task:user:unit:_:)``, reading the frames (row ids) that
    /// `reading` names for the decision in the call that stores it.
    func withBoard<T: Sendable>(
        task id: String, user: String?, unit: Int? = nil, reading: (T) -> [Int64],
        _ body: (inout LabelBoard) throws -> (T, [LabelChange])
    ) throws -> (value: T, frames: [Frame]) {
        try Self.checkTaskID(id)
        let slot = boards.withLock { slots in
            if let slot = slots[id] { return slot }
            let slot = BoardSlot()
            slots[id] = slot
            return slot
        }
        do {
            return try slot.run(task: id, user: user, unit: unit, backend: backend, reading: reading, body)
        } catch {
            // An unknown task leaves no slot behind.
            if case StoreError.unknownTask = error {
                boards.withLock { slots in if slots[id] === slot { slots[id] = nil } }
            }
            throw error
        }
    }

    /// Reads a task's label board.
    static func loadBoard(_ transaction: any FrameTransaction, task id: String) throws -> LabelBoard {
        let info = try Self.taskInfo(transaction, id)
        var board = LabelBoard(
            settings: info.label, unitCount: info.unitCount, order: info.plan.order, seed: info.plan.seed)
        let state = try transaction.labelState(task: id)
        for mark in state.marks {
            board.restore(
                mark: LabelBoard.Mark(kind: mark.kind, sequence: mark.sequence), unit: mark.unit, user: mark.user)
        }
        for lock in state.locks {
            board.restore(lock: LabelBoard.Lock(unit: lock.unit, expiresAt: lock.expiresAt), user: lock.user)
        }
        for annotator in state.annotators {
            board.restore(
                annotator: LabelBoard.Annotator(position: annotator.position, deferred: annotator.deferred),
                user: annotator.user)
        }
        return board
    }
}

extension LabelChange {
    /// The row write that stores the change.
    var write: LabelWrite {
        switch self {
        case .lock(let user, let unit, let expiresAt): return .lock(.init(user: user, unit: unit, expiresAt: expiresAt))
        case .unlock(let user): return .unlock(user: user)
        case .mark(let user, let unit, let mark, let at, let result):
            return .mark(
                .init(user: user, unit: unit, kind: mark.kind, sequence: mark.sequence), at: at, result: result)
        case .annotator(let user, let state):
            return .annotator(.init(user: user, position: state.position, deferred: state.deferred))
        }
    }
}
