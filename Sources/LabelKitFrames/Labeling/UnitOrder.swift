/// The unit at each position of one annotator's order: sequential, the keyed
/// Feistel permutation (O(1) memory), or a Fisher-Yates shuffle.
struct UnitOrder: Sendable {
    private let permutation: FeistelPermutation?
    private let shuffled: [Int]?

    /// The order of `count` units for `seed`.
    init(order: IterationPlan.Order, count: Int, seed: UInt64) {
        switch order {
        case .sequential:
            permutation = nil
            shuffled = nil
        case .random:
            permutation = count > 0 ? FeistelPermutation(count: count, seed: seed) : nil
            shuffled = nil
        case .shuffle:
            permutation = nil
            shuffled = FisherYates.order(count: count, seed: seed)
        }
    }

    /// The unit at `position`.
    func unit(at position: Int) -> Int {
        if let permutation { return permutation.element(at: position) }
        if let shuffled { return shuffled[position] }
        return position
    }
}
