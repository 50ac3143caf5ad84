/// One frame handed out by a ``FrameIterator``, with where it sits (R13).
public struct Emission: Hashable, Sendable, Codable {
    /// Position in this worker's walk (0, 1, ...), counting units.
    public var position: Int
    /// Index of the unit (clip) in sort order.
    public var unit: Int
    /// Offset of the frame inside its unit.
    public var offset: Int
    /// Index of the frame in sort order.
    public var frame: Int
    /// Epoch (0 for the first pass).
    public var epoch: Int
}

/// The resumable state of an iteration: everything needed to continue exactly
/// where it stopped (R11); the order itself is recomputed, never stored.
public struct IterationState: Hashable, Sendable, Codable {
    /// Epoch of the next frame.
    public var epoch = 0
    /// Next position (units) in the epoch, for this worker.
    public var position = 0
    /// Next frame inside the current unit.
    public var offset = 0
    /// Frames emitted so far.
    public var emitted = 0

    /// The start state.
    public init() {}
}

/// Walks units in a plan's order and hands out frames: clips whole and in order,
/// positions k = worker, worker + W, ... for worker splits, limits in frames,
/// epochs with their own seeds when infinite, and an immediate end on an empty
/// selection (R5-R9, R12).
///
///     var it = FrameIterator(units: units, plan: IterationPlan(order: .random, seed: 42))
///     while let e = it.next() { frames[e.frame] ... }
///
/// - Complexity: O(1) memory for sequential and random orders (Fisher-Yates keeps
///   the shuffled unit list of the current epoch); O(1) per frame.
public struct FrameIterator: IteratorProtocol, Sendable {
    /// The units walked.
    public let units: Units
    /// The plan.
    public let plan: IterationPlan
    /// The state to save for resuming.
    public private(set) var state: IterationState
    private var order: UnitOrder?
    private var orderEpoch = -1

    /// Creates an iterator, optionally resuming from `state`.
    public init(units: Units, plan: IterationPlan, state: IterationState = IterationState()) {
        self.units = units
        self.plan = plan
        self.state = state
    }

    /// Positions this worker walks in one epoch.
    private var positionsPerEpoch: Int {
        let u = units.count, w = max(plan.workers, 1)
        return u > plan.worker ? (u - plan.worker + w - 1) / w : 0
    }

    /// The unit at this worker's position `p` in epoch `e`.
    private mutating func unit(at p: Int, epoch e: Int) -> Int {
        if orderEpoch != e {
            order = UnitOrder(order: plan.order, count: units.count, seed: OrderHash.epochSeed(plan.seed, epoch: e))
            orderEpoch = e
        }
        return order!.unit(at: plan.worker + p * max(plan.workers, 1))
    }

    /// The next frame, or nil at the end (limit reached, all units done, or an
    /// empty selection).
    public mutating func next() -> Emission? {
        if let limit = plan.workerLimit, state.emitted >= limit { return nil }
        let perEpoch = positionsPerEpoch
        guard perEpoch > 0 else { return nil }
        if state.position >= perEpoch {
            guard plan.infinite else { return nil }
            state.epoch += 1
            state.position = 0
            state.offset = 0
        }
        let u = unit(at: state.position, epoch: state.epoch)
        let range = units[u]
        let emission = Emission(
            position: state.position, unit: u, offset: state.offset, frame: range.lowerBound + state.offset,
            epoch: state.epoch)
        state.emitted += 1
        state.offset += 1
        if state.offset >= range.count {
            state.offset = 0
            state.position += 1
        }
        return emission
    }
}
