import Dispatch
import Synchronization

extension FrameStore {
    /// A task's cached label board and the operations waiting to be decided on
    /// it and stored: a group commit.
    ///
    /// An operation queues a ``Ticket`` holding its decision (a closure over the
    /// board) and waits. One operation at a time leads: it takes every queued
    /// ticket, decides them in turn on the board (each sees the ones before it),
    /// stores all their writes in one compare-and-set
    /// (``FrameDatabase/writeIfCurrent(_:task:version:)``, one version for the
    /// batch), answers them, and hands the lead to the first operation that
    /// queued meanwhile. So the process's operations on one task do not take a
    /// database round trip each in turn: those arriving while a call is out go
    /// together in the next one, and only the leader touches the board.
    ///
    /// A batch is stored whole or not at all. When another writer (process or
    /// replica) moved the task on first, the leader undoes the batch newest
    /// first (``LabelBoard/Rows``), replays the writes the board missed and
    /// decides the batch again (with the operations queued meanwhile), and
    /// after ``optimisticRounds`` refusals stores it in one write transaction
    /// holding the task's lock. The board is read whole
    /// when none is cached, when the log does not reach back far enough, or after
    /// a failure of the database.
    final class BoardSlot: Sendable {
        private let state = Mutex(State())

        private struct State: Sendable {
            /// The board and the version it reflects; nil while not read. Only
            /// the leader touches it.
            var entry: CachedBoard?
            /// Operations waiting for the next batch.
            var queued: [Ticket] = []
            /// Whether an operation leads.
            var leading = false
        }

        /// Compare-and-sets a refused batch makes before it takes the task's lock.
        /// (Measured with three replicas on one task: 8 rounds halved the median
        /// against 2; the locked way holds the task's row for several round
        /// trips, and the other replicas' calls queue behind it.)
        static let optimisticRounds = 8

        /// Queues `body` for `user` (and `unit`, for a mark) and waits until its
        /// batch is stored; leads batches meanwhile when it is the caller's turn.
        ///
        /// - Parameter reading: the frames (row ids) a decision hands out, read
        ///   in the same call that stores it.
        /// - Returns: the decision `body` took on a board that was current when
        ///   its changes were stored, and the frames it reads.
        func run<T: Sendable>(
            task id: String, user: String?, unit: Int?, backend: any FrameDatabase, reading: (T) -> [Int64],
            _ body: (inout LabelBoard) throws -> (T, [LabelChange])
        ) throws -> (value: T, frames: [Frame]) {
            let box = DecisionBox<T>()
            return try withoutActuallyEscaping(body) { body in
                try withoutActuallyEscaping(reading) { reading in
                    let ticket = Ticket(user: user, unit: unit) { board in
                        let decision = Result { try body(&board) }
                        box.result = decision.map(\.0)
                        return (try? decision.get()).map { ($0.1, reading($0.0)) }
                    }
                    return try wait(ticket, task: id, backend: backend, box: box)
                }
            }
        }

        /// Queues `ticket` and waits for its answer, leading batches when it is its turn.
        private func wait<T>(_ ticket: Ticket, task id: String, backend: any FrameDatabase, box: DecisionBox<T>) throws
            -> (value: T, frames: [Frame])
        {
            var leads = state.withLock { state in
                state.queued.append(ticket)
                defer { state.leading = true }
                return !state.leading
            }
            while true {
                if leads { lead(task: id, backend: backend) }
                ticket.wake.wait()
                switch ticket.outcome.withLock({ $0.take() }) {
                case .lead: leads = true
                case .failed(let error): throw error
                case .decided, nil: return (try box.result!.get(), ticket.frames)
                }
            }
        }

        /// Stores the queued batch, then hands the lead on (or gives it up when
        /// nothing queued meanwhile).
        private func lead(task id: String, backend: any FrameDatabase) {
            var (batch, taken) = state.withLock { state in
                defer { state.queued = [] }
                return (state.queued, state.entry.take())
            }
            let entry = store(batch, on: &taken, task: id, backend: backend)
            state.withLock { state in
                state.entry = entry
                if let next = state.queued.first {
                    next.resolve(.lead)
                } else {
                    state.leading = false
                }
            }
        }

        /// Decides and stores `batch`, answers its tickets, and returns the
        /// board to cache (nil when it cannot be trusted any more). The board is
        /// moved out of `taken`, never copied (its per-unit arrays are as long
        /// as the task).
        private func store(
            _ batch: [Ticket], on taken: inout CachedBoard?, task id: String, backend: any FrameDatabase
        ) -> CachedBoard? {
            var batch = batch
            var none: CachedBoard? = nil
            if var entry = taken.take() {
                for ticket in batch { ticket.decide(on: &entry.board) }
                for _ in 0..<Self.optimisticRounds {
                    let writes = batch.flatMap(\.writes)
                    let seqs = Ticket.reads(batch)
                    let answer = Result {
                        try backend.writeIfCurrent(writes, task: id, version: entry.version, reading: seqs)
                    }
                    switch answer {
                    case .success(.current(let frames)):
                        if !writes.isEmpty { entry.version += 1 }
                        Ticket.resolve(batch, frames: frames)
                        return entry
                    case .success(.behind(let moved, let missed)):
                        guard let missed, Ticket.undo(batch, on: &entry.board) else { return locked(batch, on: &none) }
                        for write in missed { entry.board.replay(write) }
                        entry.version = moved
                        // Those queued meanwhile go in the same retry.
                        batch += state.withLock { state in
                            defer { state.queued = [] }
                            return state.queued
                        }
                        for ticket in batch { ticket.decide(on: &entry.board) }
                    case .failure(let error):
                        // Whether the call stored anything is unknown: the board is read again.
                        for ticket in batch { ticket.resolve(.failed(error)) }
                        return nil
                    }
                }
                var undone = Ticket.undo(batch, on: &entry.board) ? Optional(consume entry) : nil
                return locked(batch, on: &undone)
            }
            return locked(batch, on: &none)

            /// One write transaction holding the task's lock: the board (read
            /// whole when nil or the log does not reach back) catches up, and
            /// the batch is decided on it and stored.
            func locked(_ batch: [Ticket], on taken: inout CachedBoard?) -> CachedBoard? {
                let stored = Result {
                    try backend.write(bulk: false) { transaction -> (CachedBoard, [Int64: Frame]) in
                        guard let version = try transaction.lockTask(id) else { throw StoreError.unknownTask(id) }
                        var entry: CachedBoard
                        if var behind = taken.take(), behind.version <= version,
                            let missed = behind.version == version
                                ? [] : try transaction.labelWrites(task: id, after: behind.version, through: version)
                        {
                            for write in missed { behind.board.replay(write) }
                            entry = consume behind
                            entry.version = version
                        } else {
                            entry = CachedBoard(
                                version: version, board: try FrameStore.loadBoard(transaction, task: id))
                        }
                        for ticket in batch { ticket.decide(on: &entry.board) }
                        let writes = batch.flatMap(\.writes)
                        if !writes.isEmpty {
                            try transaction.apply(writes, task: id, version: version + 1)
                            entry.version += 1
                        }
                        return (entry, try transaction.frames(bySeq: Ticket.reads(batch)))
                    }
                }
                switch stored {
                case .success(let (entry, frames)):
                    Ticket.resolve(batch, frames: frames)
                    return entry
                case .failure(let error):
                    for ticket in batch { ticket.resolve(.failed(error)) }
                    return nil
                }
            }
        }
    }

    /// One operation waiting in a ``BoardSlot``: its decision, and once decided
    /// the writes it made and the rows that undo them.
    ///
    /// Unchecked `Sendable`: `decision`, `writes`, `undo`, `reads` and `frames`
    /// are written only by the slot's leader (one thread at a time, handed on
    /// under the slot's lock), and the waiting operation reads its answer
    /// (`frames`, and its value in its ``DecisionBox``) after `wake`.
    final class Ticket: @unchecked Sendable {
        /// What the waiting operation is told.
        enum Outcome: Sendable {
            /// Decided on a current board and stored (or, without writes, the
            /// board was current): the decision stands.
            case decided
            /// The database failed; whether the batch was stored is unknown.
            case failed(any Error)
            /// Not an answer: the operation now leads the next batch.
            case lead
        }

        let user: String?
        let unit: Int?
        /// Decides on the board: the changes and the frames (row ids) handed
        /// out, or nil when the rule threw (its error is kept for the
        /// operation). Released before the answer, since it does not outlive
        /// the operation's call.
        private var decision: ((inout LabelBoard) -> ([LabelChange], [Int64])?)?
        /// The last decision's row writes.
        private(set) var writes: [LabelWrite] = []
        /// The frames the last decision hands out (row ids), and once stored the frames.
        private var reads: [Int64] = []
        private(set) var frames: [Frame] = []
        /// The rows from before the last decision; nil when its changes reach beyond them.
        private var undo: LabelBoard.Rows?
        let wake = DispatchSemaphore(value: 0)
        let outcome = Mutex<Outcome?>(nil)

        init(user: String?, unit: Int?, decision: @escaping (inout LabelBoard) -> ([LabelChange], [Int64])?) {
            (self.user, self.unit, self.decision) = (user, unit, decision)
        }

        /// Decides on `board`, leaving the changes on it.
        func decide(on board: inout LabelBoard) {
            let rows = user.map { board.rows(of: $0, unit: unit) }
            guard let (changes, reads) = decision?(&board) else {
                // A rule that threw may have changed rows before it did.
                if let rows { board.restore(rows) }
                (writes, undo, reads) = ([], nil, [])
                return
            }
            (writes, self.reads) = (changes.map(\.write), reads)
            undo = rows.flatMap { $0.covers(changes) ? $0 : nil }
        }

        /// Takes `batch`'s decisions off `board`, newest first; false (the board
        /// is then unusable) when one cannot be undone.
        static func undo(_ batch: [Ticket], on board: inout LabelBoard) -> Bool {
            for ticket in batch.reversed() where !ticket.writes.isEmpty {
                guard let rows = ticket.undo else { return false }
                board.restore(rows)
            }
            return true
        }

        /// The frames `batch` hands out, each row id once.
        static func reads(_ batch: [Ticket]) -> [Int64] {
            var seen = Set<Int64>()
            return batch.flatMap(\.reads).filter { seen.insert($0).inserted }
        }

        /// Answers `batch` as stored, each ticket with its frames.
        static func resolve(_ batch: [Ticket], frames: [Int64: Frame]) {
            for ticket in batch {
                if let missing = ticket.reads.first(where: { frames[$0] == nil }) {
                    ticket.resolve(.failed(StoreError.invalidRequest("frame row \(missing) is missing from the store")))
                } else {
                    ticket.frames = ticket.reads.map { frames[$0]! }
                    ticket.resolve(.decided)
                }
            }
        }

        func resolve(_ outcome: Outcome) {
            if case .lead = outcome {} else { decision = nil }
            self.outcome.withLock { $0 = outcome }
            wake.signal()
        }
    }

    /// Where a queued operation's decision leaves its value or rule error for
    /// the operation's own thread (written by the leader before the answer).
    final class DecisionBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
