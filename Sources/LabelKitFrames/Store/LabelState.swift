/// The label stream's rows of one task as stored: locks, marks and annotator
/// positions. The store rebuilds its label board from them.
public struct LabelState: Sendable, Equatable {
    /// An annotator's lock on a unit.
    public struct Lock: Sendable, Equatable {
        public var user: String
        public var unit: Int
        public var expiresAt: Double

        public init(user: String, unit: Int, expiresAt: Double) {
            (self.user, self.unit, self.expiresAt) = (user, unit, expiresAt)
        }
    }

    /// An annotator's mark on a unit; `sequence` orders marks oldest first.
    public struct Mark: Sendable, Equatable {
        public var user: String
        public var unit: Int
        public var kind: LabelMarkKind
        public var sequence: Int64

        public init(user: String, unit: Int, kind: LabelMarkKind, sequence: Int64) {
            (self.user, self.unit, self.kind, self.sequence) = (user, unit, kind, sequence)
        }
    }

    /// Where an annotator stands in their order, and the units they passed over.
    public struct Annotator: Sendable, Equatable {
        public var user: String
        public var position: Int
        public var deferred: [Int]

        public init(user: String, position: Int, deferred: [Int]) {
            (self.user, self.position, self.deferred) = (user, position, deferred)
        }

        /// The deferred units as stored: a JSON array of integers.
        public var deferredJSON: String { "[" + deferred.map(String.init).joined(separator: ",") + "]" }
    }

    public var locks: [Lock] = []
    public var marks: [Mark] = []
    public var annotators: [Annotator] = []

    public init(locks: [Lock] = [], marks: [Mark] = [], annotators: [Annotator] = []) {
        (self.locks, self.marks, self.annotators) = (locks, marks, annotators)
    }
}

/// One write to the label stream's rows.
public enum LabelWrite: Sendable, Equatable {
    /// Sets an annotator's lock (replacing any other of theirs).
    case lock(LabelState.Lock)
    /// Drops an annotator's lock.
    case unlock(user: String)
    /// Sets an annotator's mark on a unit (replacing an earlier one), when, and a submission's result.
    case mark(LabelState.Mark, at: Double, result: String?)
    /// Sets an annotator's position.
    case annotator(LabelState.Annotator)
}
