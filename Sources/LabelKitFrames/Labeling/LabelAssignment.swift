/// The answer to "what should this annotator work on next" (spec M4).
public enum LabelAssignment: Hashable, Sendable {
    /// Work on this unit; it is locked for the annotator until `lockedUntil`
    /// (seconds since 1970) unless a heartbeat extends it.
    case unit(Int, lockedUntil: Double, reason: Reason)
    /// Nothing is available now, but units are held by other annotators' locks;
    /// ask again at `retryAt` (the earliest expiry). Not the same as done.
    case locked(retryAt: Double)
    /// Nothing is left for this annotator.
    case done

    /// Why a unit was chosen.
    public enum Reason: String, Hashable, Sendable, Codable {
        /// The annotator's own unexpired lock (M4 a).
        case resumed
        /// The most-annotated available unit near the cursor (M4 b).
        case breadthFirst
        /// A unit passed over earlier because of other annotators' locks (M4 c).
        case deferred
        /// The next available unit in the annotator's order (M4 c).
        case queue
        /// A unit the annotator postponed (M4 d).
        case postponed
        /// A unit the annotator skipped, back in `requeueForMe` mode (M4 d).
        case requeued
    }
}

/// What an annotator did with a unit.
public enum LabelMarkKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Annotated: counts toward completion.
    case submitted
    /// Skipped: counts only in ``LabelSettings/SkipMode/ignoreSkipped``.
    case skipped
    /// Put aside for later; comes back to the same annotator after the main queue.
    case postponed
}

/// Progress of a task's label stream.
public struct LabelStatus: Hashable, Sendable, Codable {
    /// Units in the task.
    public var units: Int
    /// Units with enough counted annotations (M2).
    public var complete: Int
    /// Unexpired locks.
    public var locked: Int
    /// Submitted annotations.
    public var submitted: Int
    /// Skips.
    public var skipped: Int
    /// Postponed units (per annotator).
    public var postponed: Int
    /// Annotators seen.
    public var annotators: Int
}
