/// A keyed pseudo-random permutation of `0..<n` in O(1) memory: an 8-round
/// balanced Feistel network on `b` bits (the smallest even width with
/// `2^b >= n`, at least 2), with cycle walking to stay below `n`.
///
/// `element(at: k)` gives the k-th element in O(1) (fewer than 4 network
/// evaluations on average, since `2^b < 4n`), and `position(of:)` inverts it, so a
/// frame's rank is found without walking the order.
///
///     let p = FeistelPermutation(count: 10, seed: 42)
///     (0..<10).map(p.element(at:))   // 2, 9, 1, 5, 3, 7, 0, 4, 8, 6
public struct FeistelPermutation: Sendable, Hashable {
    /// The size of the permuted range.
    public let count: Int
    /// The key.
    public let seed: UInt64
    let halfBits: UInt64
    let mask: UInt64
    let keys: [UInt64]

    /// Creates the permutation of `0..<count` for `seed`.
    ///
    /// - Precondition: `count >= 1`.
    public init(count: Int, seed: UInt64) {
        precondition(count >= 1, "a permutation needs at least one element")
        self.count = count
        self.seed = seed
        var bits = max(2, UInt64.bitWidth - UInt64(count - 1).leadingZeroBitCount)
        if bits % 2 == 1 { bits += 1 }
        halfBits = UInt64(bits / 2)
        mask = (1 << halfBits) - 1
        keys = (0..<8).map { r in OrderHash.mix(seed &+ UInt64(r + 1) &* OrderHash.golden) }
    }

    /// One pass of the network over the `b`-bit domain.
    @inline(__always)
    func encrypt(_ x: UInt64) -> UInt64 {
        var left = x >> halfBits, right = x & mask
        for key in keys {
            (left, right) = (right, left ^ (OrderHash.mix(right ^ key) & mask))
        }
        return (left << halfBits) | right
    }

    /// The inverse pass.
    @inline(__always)
    func decrypt(_ y: UInt64) -> UInt64 {
        var left = y >> halfBits, right = y & mask
        for key in keys.reversed() {
            (left, right) = (right ^ (OrderHash.mix(left ^ key) & mask), left)
        }
        return (left << halfBits) | right
    }

    /// The element at position `k` (`0 <= k < count`).
    public func element(at k: Int) -> Int {
        guard count > 1 else { return 0 }
        var y = encrypt(UInt64(k))
        while y >= UInt64(count) { y = encrypt(y) }
        return Int(y)
    }

    /// The position of `element` (`0 <= element < count`): the inverse of
    /// ``element(at:)``.
    public func position(of element: Int) -> Int {
        guard count > 1 else { return 0 }
        var x = decrypt(UInt64(element))
        while x >= UInt64(count) { x = decrypt(x) }
        return Int(x)
    }
}

/// A uniformly random order of `0..<count` by Fisher-Yates (Durstenfeld) over a
/// SplitMix64 stream with Lemire's bounded draws, as the spec's alternative: O(n)
/// memory, every one of the n! orders reachable.
public enum FisherYates {
    /// The shuffled order of `0..<count` for `seed`.
    public static func order(count: Int, seed: UInt64) -> [Int] {
        var a = Array(0..<max(count, 0))
        guard count > 1 else { return a }
        var state = seed
        func next() -> UInt64 {
            state &+= OrderHash.golden
            return OrderHash.mix(state)
        }
        func bounded(_ s: UInt64) -> UInt64 {
            var product = next().multipliedFullWidth(by: s)
            if product.low < s {
                let threshold = (0 &- s) % s
                while product.low < threshold { product = next().multipliedFullWidth(by: s) }
            }
            return product.high
        }
        for i in stride(from: count - 1, through: 1, by: -1) {
            let j = Int(bounded(UInt64(i + 1)))
            a.swapAt(i, j)
        }
        return a
    }
}
