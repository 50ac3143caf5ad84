/// How a task walks its units: order, seed, repetition, limit and worker split
/// (spec R5-R12).
public struct IterationPlan: Hashable, Sendable, Codable {
    /// Unit order.
    public enum Order: String, Hashable, Sendable, Codable, CaseIterable {
        /// Sort order (context, timestamp, id).
        case sequential
        /// The keyed Feistel permutation of the units (O(1) memory).
        case random
        /// A Fisher-Yates shuffle of the units (uniform over all orders; O(n) memory).
        case shuffle
    }

    /// Unit order.
    public var order: Order
    /// The seed (any UInt64, 0 included).
    public var seed: UInt64
    /// Stop after this many frames (counted in frames, never units); nil: no limit.
    public var limit: Int?
    /// Start over after the last unit, with a new epoch seed.
    public var infinite: Bool
    /// Worker split: this worker's index and the number of workers.
    public var worker: Int
    /// Number of workers.
    public var workers: Int

    /// Creates a plan.
    public init(
        order: Order = .sequential, seed: UInt64 = 0, limit: Int? = nil, infinite: Bool = false, worker: Int = 0,
        workers: Int = 1
    ) {
        self.order = order
        self.seed = seed
        self.limit = limit
        self.infinite = infinite
        self.worker = worker
        self.workers = workers
    }

    /// This worker's frame limit: `ceil(limit / workers)` (R12).
    public var workerLimit: Int? { limit.map { ($0 + workers - 1) / workers } }
}
