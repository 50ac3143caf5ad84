/// The in-memory state of a task's label stream and the serving rules of spec
/// M1-M7. Every operation returns the ``LabelChange``s to persist, so the store
/// writes them in the same transaction that answers the annotator; the board
/// itself does no I/O and takes the clock as an argument.
///
/// Per unit it keeps the number of counted annotations; per annotator, their
/// lock (at most one), marks (submitted, skipped, postponed), their position in
/// their order and their deferred list (units passed over only because of other
/// annotators' locks).
struct LabelBoard: Sendable {
    /// One annotator's lock.
    struct Lock: Hashable, Sendable {
        var unit: Int
        var expiresAt: Double
    }

    /// One annotator's mark on a unit; `sequence` orders marks oldest first.
    struct Mark: Hashable, Sendable {
        var kind: LabelMarkKind
        var sequence: Int64
    }

    /// Where an annotator stands in their order.
    struct Annotator: Hashable, Sendable, Codable {
        /// Next position of their order to look at.
        var position = 0
        /// Units passed over because of others' locks, oldest first.
        var deferred: [Int] = []
    }

    let settings: LabelSettings
    let unitCount: Int
    let cohortUnits: Int
    let order: IterationPlan.Order
    let seed: UInt64

    private(set) var counted: [Int32]
    private(set) var locks: [String: Lock] = [:]
    private var lockHolders: [Int: [String]] = [:]
    private(set) var marks: [String: [Int: Mark]] = [:]
    private(set) var annotators: [String: Annotator] = [:]
    private(set) var nextSequence: Int64 = 1
    private var orders: [String: UnitOrder] = [:]

    /// An empty board for a task.
    init(settings: LabelSettings, unitCount: Int, order: IterationPlan.Order, seed: UInt64) {
        self.settings = settings
        self.unitCount = unitCount
        self.cohortUnits = settings.cohortSize(units: unitCount)
        self.order = order
        self.seed = seed
        self.counted = Array(repeating: 0, count: unitCount)
    }

    // MARK: Loading

    /// Restores a lock read from storage.
    mutating func restore(lock: Lock, user: String) {
        setLock(user, lock)
    }

    /// Restores a mark read from storage.
    mutating func restore(mark: Mark, unit: Int, user: String) {
        if counts(mark.kind) { counted[unit] += 1 }
        marks[user, default: [:]][unit] = mark
        nextSequence = max(nextSequence, mark.sequence + 1)
    }

    /// Restores an annotator's position read from storage.
    mutating func restore(annotator: Annotator, user: String) {
        annotators[user] = annotator
    }

    /// Applies a write another process made (catching up on a cached board):
    /// a mark replaces the annotator's earlier one on the unit, recounting it.
    mutating func replay(_ write: LabelWrite) {
        switch write {
        case .lock(let lock): setLock(lock.user, Lock(unit: lock.unit, expiresAt: lock.expiresAt))
        case .unlock(let user): clearLock(user)
        case .mark(let mark, _, _):
            if let old = marks[mark.user]?[mark.unit], counts(old.kind) { counted[mark.unit] -= 1 }
            restore(mark: Mark(kind: mark.kind, sequence: mark.sequence), unit: mark.unit, user: mark.user)
        case .annotator(let annotator):
            annotators[annotator.user] = Annotator(position: annotator.position, deferred: annotator.deferred)
        }
    }

    // MARK: Rules

    /// Annotators needed on `unit` (M1 with the cohort).
    func overlap(_ unit: Int) -> Int { unit < cohortUnits ? settings.overlap : 1 }

    /// Complete: enough counted annotations (M2).
    func isComplete(_ unit: Int) -> Bool { Int(counted[unit]) >= overlap(unit) }

    /// Whether a mark of this kind counts toward completion (M2, M7).
    func counts(_ kind: LabelMarkKind) -> Bool {
        kind == .submitted || (kind == .skipped && settings.skipMode == .ignoreSkipped)
    }

    /// Unexpired locks of users other than `user` on `unit`, and the earliest expiry among them.
    private func othersLocks(on unit: Int, except user: String, now: Double) -> (count: Int, earliest: Double) {
        var count = 0
        var earliest = Double.infinity
        for holder in lockHolders[unit] ?? [] where holder != user {
            if let lock = locks[holder], lock.unit == unit, lock.expiresAt > now {
                count += 1
                earliest = min(earliest, lock.expiresAt)
            }
        }
        return (count, earliest)
    }

    /// How `unit` stands for `user`.
    enum Availability: Equatable {
        case available
        case complete
        case handled
        case blocked(until: Double)
    }

    /// M3: available to `user` when incomplete, unmarked by them (a mark of
    /// `reviving` kind is allowed: postponed or requeued units), and counted
    /// annotations plus others' unexpired locks stay below the overlap.
    func availability(of unit: Int, for user: String, now: Double, reviving: LabelMarkKind? = nil) -> Availability {
        if isComplete(unit) { return .complete }
        let own = marks[user]?[unit]
        if let own, own.kind != reviving { return .handled }
        let ownCounted = own.map { counts($0.kind) } ?? false
        let others = othersLocks(on: unit, except: user, now: now)
        if Int(counted[unit]) - (ownCounted ? 1 : 0) + others.count >= overlap(unit) {
            return .blocked(until: others.earliest)
        }
        return .available
    }

    /// The unit at `position` of `user`'s order (M5).
    private mutating func unit(at position: Int, for user: String) -> Int {
        let key = order == .random && (settings.annotatorOrder ?? .independent) == .independent ? user : ""
        if let order = orders[key] { return order.unit(at: position) }
        let keyed = key.isEmpty ? seed : OrderHash.userSeed(seed, user: user)
        let made = UnitOrder(order: order, count: unitCount, seed: keyed)
        orders[key] = made
        return made.unit(at: position)
    }

    // MARK: Operations

    /// The next unit for `user` (M4), locking it.
    mutating func next(user: String, now: Double) -> (LabelAssignment, [LabelChange]) {
        // (a) the user's own unexpired lock on an incomplete unit.
        if let lock = locks[user], lock.expiresAt > now, !isComplete(lock.unit) {
            return (.unit(lock.unit, lockedUntil: lock.expiresAt, reason: .resumed), [])
        }
        var state = annotators[user] ?? Annotator()
        let before = state
        var changes: [LabelChange] = []
        var retryAt = Double.infinity
        func finish(_ answer: LabelAssignment, _ board: inout LabelBoard) -> (LabelAssignment, [LabelChange]) {
            if state != before {
                board.annotators[user] = state
                changes.append(.annotator(user: user, state))
            }
            return (answer, changes)
        }
        func take(_ unit: Int, _ reason: LabelAssignment.Reason, _ board: inout LabelBoard) -> (
            LabelAssignment, [LabelChange]
        ) {
            let lock = Lock(unit: unit, expiresAt: now + board.settings.lockTTLSeconds)
            board.setLock(user, lock)
            changes.append(.lock(user: user, unit: unit, expiresAt: lock.expiresAt))
            return finish(.unit(unit, lockedUntil: lock.expiresAt, reason: reason), &board)
        }
        // (a) continued: a lapsed lock is renewed while nobody else took the unit,
        // or the unit waits on the deferred list while others hold it.
        if let lock = locks[user], lock.expiresAt <= now {
            switch availability(of: lock.unit, for: user, now: now) {
            case .available: return take(lock.unit, .resumed, &self)
            case .blocked:
                if !state.deferred.contains(lock.unit) { state.deferred.append(lock.unit) }
            case .complete, .handled: break
            }
            clearLock(user)
            changes.append(.unlock(user: user))
        }
        // (b) breadth-first: the most-annotated available unit in the scan window.
        if settings.breadthFirst && settings.overlap > 1 {
            var best: (unit: Int, counted: Int32)?
            let end = min(unitCount, state.position + settings.scanWindow)
            for position in state.position..<max(end, state.position) {
                let unit = unit(at: position, for: user)
                if counted[unit] > (best?.counted ?? 0), availability(of: unit, for: user, now: now) == .available {
                    best = (unit, counted[unit])
                }
            }
            if let best { return take(best.unit, .breadthFirst, &self) }
        }
        // (c) deferred units first (oldest first), then the order from the cursor.
        var kept: [Int] = []
        var found: Int?
        for unit in state.deferred {
            if found != nil {
                kept.append(unit)
                continue
            }
            switch availability(of: unit, for: user, now: now) {
            case .available: found = unit
            case .blocked(let until):
                kept.append(unit)
                retryAt = min(retryAt, until)
            case .complete, .handled: break
            }
        }
        state.deferred = kept
        if let found { return take(found, .deferred, &self) }
        while state.position < unitCount {
            let unit = unit(at: state.position, for: user)
            state.position += 1
            switch availability(of: unit, for: user, now: now) {
            case .available: return take(unit, .queue, &self)
            case .blocked(let until):
                state.deferred.append(unit)
                retryAt = min(retryAt, until)
            case .complete, .handled: break
            }
        }
        // (d) postponed units, then (requeueForMe) skipped ones, oldest first.
        var revivable: [LabelMarkKind] = [.postponed]
        if settings.skipMode == .requeueForMe { revivable.append(.skipped) }
        for kind in revivable {
            let candidates = (marks[user] ?? [:]).filter { $0.value.kind == kind }.sorted {
                $0.value.sequence < $1.value.sequence
            }
            for (unit, _) in candidates {
                switch availability(of: unit, for: user, now: now, reviving: kind) {
                case .available: return take(unit, kind == .postponed ? .postponed : .requeued, &self)
                case .blocked(let until): retryAt = min(retryAt, until)
                case .complete, .handled: break
                }
            }
        }
        // (e) locked, not done, while others' locks hold units back.
        return finish(retryAt.isFinite ? .locked(retryAt: retryAt) : .done, &self)
    }

    /// Records `user`'s `kind` mark on `unit` (submit, skip or postpone) and releases
    /// their lock on it.
    ///
    /// - Throws: ``FrameStore/StoreError/conflict(_:)`` when the unit is already
    ///   submitted by the user, or when the mark would count but the unit is no
    ///   longer the user's to take (lock expired and others hold or finished it).
    mutating func mark(
        _ kind: LabelMarkKind, unit: Int, user: String, now: Double
    ) throws(FrameStore.StoreError) -> [LabelChange] {
        guard (0..<unitCount).contains(unit) else {
            throw .invalidRequest("unit \(unit) is not in the task (0..<\(unitCount))")
        }
        let previous = marks[user]?[unit]
        if previous?.kind == .submitted {
            throw .conflict("user \"\(user)\" already submitted unit \(unit)")
        }
        let previouslyCounted = previous.map { counts($0.kind) } ?? false
        if previouslyCounted && !counts(kind) {
            throw .conflict("user \"\(user)\" already skipped unit \(unit), which counts in ignoreSkipped mode")
        }
        let holdsLock = locks[user].map { $0.unit == unit && $0.expiresAt > now } ?? false
        if counts(kind) && !previouslyCounted && !holdsLock {
            switch availability(of: unit, for: user, now: now, reviving: previous?.kind) {
            case .available: break
            case .complete: throw .conflict("unit \(unit) is already complete")
            case .handled, .blocked:
                throw .conflict("unit \(unit) is not reserved for user \"\(user)\": other annotators hold it")
            }
        }
        if counts(kind) && !previouslyCounted { counted[unit] += 1 }
        let mark = Mark(kind: kind, sequence: nextSequence)
        nextSequence += 1
        marks[user, default: [:]][unit] = mark
        var changes: [LabelChange] = [.mark(user: user, unit: unit, mark: mark, at: now, result: nil)]
        if let lock = locks[user], lock.unit == unit {
            clearLock(user)
            changes.append(.unlock(user: user))
        }
        return changes
    }

    /// Extends `user`'s unexpired lock on `unit` to `now + TTL` (M6).
    mutating func heartbeat(unit: Int, user: String, now: Double) throws(FrameStore.StoreError) -> (
        Double, [LabelChange]
    ) {
        guard let lock = locks[user], lock.unit == unit, lock.expiresAt > now else {
            throw .conflict("user \"\(user)\" holds no lock on unit \(unit) (expired or never taken)")
        }
        let extended = Lock(unit: unit, expiresAt: now + settings.lockTTLSeconds)
        setLock(user, extended)
        return (extended.expiresAt, [.lock(user: user, unit: unit, expiresAt: extended.expiresAt)])
    }

    /// Counts for ``LabelStatus``.
    func status(now: Double) -> LabelStatus {
        var status = LabelStatus(
            units: unitCount, complete: 0, locked: 0, submitted: 0, skipped: 0, postponed: 0,
            annotators: Set(marks.keys).union(locks.keys).union(annotators.keys).count)
        for unit in 0..<unitCount where isComplete(unit) { status.complete += 1 }
        status.locked = locks.values.filter { $0.expiresAt > now }.count
        for userMarks in marks.values {
            for mark in userMarks.values {
                switch mark.kind {
                case .submitted: status.submitted += 1
                case .skipped: status.skipped += 1
                case .postponed: status.postponed += 1
                }
            }
        }
        return status
    }

    /// Units `user` could still be given: incomplete, and unmarked by them or
    /// marked in a way that brings the unit back (postponed; skipped in
    /// `requeueForMe`). Zero whenever ``next(user:now:)`` answers `done`.
    func remaining(for user: String) -> Int {
        let own = marks[user] ?? [:]
        var count = 0
        for unit in 0..<unitCount where !isComplete(unit) {
            switch own[unit]?.kind {
            case nil, .postponed: count += 1
            case .skipped: if settings.skipMode == .requeueForMe { count += 1 }
            case .submitted: break
            }
        }
        return count
    }

    // MARK: Locks

    private mutating func setLock(_ user: String, _ lock: Lock) {
        clearLock(user)
        locks[user] = lock
        lockHolders[lock.unit, default: []].append(user)
    }

    private mutating func clearLock(_ user: String) {
        guard let old = locks.removeValue(forKey: user) else { return }
        lockHolders[old.unit]?.removeAll { $0 == user }
        if lockHolders[old.unit]?.isEmpty == true { lockHolders[old.unit] = nil }
    }
}

extension LabelBoard {
    /// Everything an operation for one annotator can change on the board: their
    /// lock, their position and deferred list, and (for a mark) their mark on one
    /// unit with that unit's count and the next mark sequence.
    ///
    /// Kept before an operation decided on a cached board that may be behind the
    /// database (the optimistic path of ``FrameStore``): when the database
    /// refuses the write because another writer moved the task on, the board is
    /// put back with ``restore(_:)``, catches up and decides again. An undo of a
    /// few rows instead of a copy of the board, whose per-unit counts are as long
    /// as the task.
    struct Rows {
        let user: String
        let unit: Int?
        let lock: Lock?
        let annotator: Annotator?
        let hasMarks: Bool
        let mark: Mark?
        let counted: Int32
        let nextSequence: Int64

        /// Whether every change touches only these rows (else the board cannot be
        /// put back from them).
        func covers(_ changes: [LabelChange]) -> Bool {
            changes.allSatisfy { change in
                switch change {
                case .lock(let user, _, _), .unlock(let user), .annotator(let user, _): return user == self.user
                case .mark(let user, let unit, _, _, _): return user == self.user && unit == self.unit
                }
            }
        }
    }

    /// The rows an operation for `user` (on `unit`, for a mark) can change.
    func rows(of user: String, unit: Int?) -> Rows {
        let valid = unit.flatMap { (0..<unitCount).contains($0) ? $0 : nil }
        return Rows(
            user: user, unit: valid, lock: locks[user], annotator: annotators[user], hasMarks: marks[user] != nil,
            mark: valid.flatMap { marks[user]?[$0] }, counted: valid.map { counted[$0] } ?? 0,
            nextSequence: nextSequence)
    }

    /// Puts back the rows as ``rows(of:unit:)`` kept them.
    mutating func restore(_ rows: Rows) {
        if let lock = rows.lock { setLock(rows.user, lock) } else { clearLock(rows.user) }
        annotators[rows.user] = rows.annotator
        if let unit = rows.unit {
            marks[rows.user, default: [:]][unit] = rows.mark
            counted[unit] = rows.counted
        }
        if !rows.hasMarks, marks[rows.user]?.isEmpty == true { marks[rows.user] = nil }
        nextSequence = rows.nextSequence
    }
}

/// A change of a ``LabelBoard`` to persist.
enum LabelChange: Sendable {
    case lock(user: String, unit: Int, expiresAt: Double)
    case unlock(user: String)
    case mark(user: String, unit: Int, mark: LabelBoard.Mark, at: Double, result: String?)
    case annotator(user: String, LabelBoard.Annotator)

    /// The change with `result` attached to a mark (other changes unchanged).
    func with(result: String) -> LabelChange {
        guard case .mark(let user, let unit, let mark, let at, _) = self else { return self }
        return .mark(user: user, unit: unit, mark: mark, at: at, result: result)
    }
}
