/// How many annotators work on each unit of a task and how they are served
/// (spec M1, M5-M7): overlap with an optional cohort, lock lifetime, skip mode,
/// breadth-first serving, and whether annotators share one order.
public struct LabelSettings: Hashable, Sendable, Codable {
    /// What a skip means (M7).
    public enum SkipMode: String, Hashable, Sendable, Codable, CaseIterable {
        /// The skipped unit comes back to the same annotator after the main queue.
        case requeueForMe
        /// The skipped unit is never shown to that annotator again (the default).
        case requeueForOthers
        /// A skip counts toward completion like an annotation.
        case ignoreSkipped

        /// The documented spelling, as the command line and the HTTP API take it:
        /// `requeue-for-me`, `requeue-for-others`, `ignore-skipped`.
        public var name: String {
            switch self {
            case .requeueForMe: return "requeue-for-me"
            case .requeueForOthers: return "requeue-for-others"
            case .ignoreSkipped: return "ignore-skipped"
            }
        }

        /// Reads the documented spelling, or the camelCase one (`requeueForMe`,
        /// the HTTP API's first spelling), kept as an alias.
        public init?(name: String) {
            guard let mode = Self.allCases.first(where: { $0.name == name }) ?? Self(rawValue: name) else { return nil }
            self = mode
        }
    }

    /// Whose order each annotator walks (M5).
    public enum AnnotatorOrder: String, Hashable, Sendable, Codable, CaseIterable {
        /// Everyone walks the task's order.
        case shared
        /// Each annotator walks the order keyed by `mix64(seed ^ fnv1a64(user))`
        /// (random orders only; fewer lock collisions).
        case independent
    }

    /// Distinct annotators needed per unit (M1), 1...1000.
    public var overlap: Int
    /// Percentage of units (the first ones in sequential order) that get `overlap`;
    /// the rest need one annotator.
    public var cohortPercent: Double
    /// What a skip means.
    public var skipMode: SkipMode
    /// How long a lock lasts without a heartbeat, 60...86400 s (M6).
    public var lockTTLSeconds: Double
    /// Serve units that already have annotations first when overlap > 1 (M4 b).
    public var breadthFirst: Bool
    /// How far ahead in an annotator's order the breadth-first rule looks.
    public var scanWindow: Int
    /// Whose order each annotator walks; nil: `independent` for random orders,
    /// `shared` otherwise.
    public var annotatorOrder: AnnotatorOrder?

    /// Creates settings; the defaults are the spec's.
    public init(
        overlap: Int = 1, cohortPercent: Double = 100, skipMode: SkipMode = .requeueForOthers,
        lockTTLSeconds: Double = 3600, breadthFirst: Bool = false, scanWindow: Int = 50,
        annotatorOrder: AnnotatorOrder? = nil
    ) {
        self.overlap = overlap
        self.cohortPercent = cohortPercent
        self.skipMode = skipMode
        self.lockTTLSeconds = lockTTLSeconds
        self.breadthFirst = breadthFirst
        self.scanWindow = scanWindow
        self.annotatorOrder = annotatorOrder
    }

    /// The first problem with these settings, or nil when they are valid.
    public var problem: String? {
        if !(1...1000).contains(overlap) { return "overlap must be 1...1000 (got \(overlap))" }
        if !(0...100).contains(cohortPercent) { return "cohort must be 0...100 percent (got \(cohortPercent))" }
        if !(60...86400).contains(lockTTLSeconds) { return "lock TTL must be 60...86400 s (got \(lockTTLSeconds))" }
        if !(1...100_000).contains(scanWindow) { return "scan window must be 1...100000 (got \(scanWindow))" }
        return nil
    }

    /// Units (the first in sequential order) that get the full overlap:
    /// `floor(units * cohort / 100 + 0.5)`, as Label Studio rounds it.
    public func cohortSize(units: Int) -> Int {
        min(units, Int((Double(units) * cohortPercent / 100 + 0.5).rounded(.down)))
    }
}
