// Shared by every suite: the seeded generator and the 1920x1080 test masks, so
// that all suites see the same bytes (a `:blob` input is the same mask everywhere).
// A library target outside Benchmarks/, so the benchmark plugin never takes it
// for a suite.

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seedable generator, so the
/// inputs do not depend on the platform's `SystemRandomNumberGenerator`.
@frozen
public struct SplitMix64: RandomNumberGenerator {
    @usableFromInline
    var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
