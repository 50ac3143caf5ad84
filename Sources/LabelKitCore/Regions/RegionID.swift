/// Fresh region ids in Label Studio's style: 10 characters from the nanoid
/// alphabet (`A-Za-z0-9_-`), never equal to an id already taken.
public struct RegionIDGenerator: Sendable {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".utf8)

    /// Ids that may not be returned (grows with every id handed out).
    public private(set) var taken: Set<String>
    private var state: UInt64

    /// A generator avoiding `taken`; `seed` makes the sequence reproducible
    /// (nil seeds from the system generator).
    public init(taken: Set<String> = [], seed: UInt64? = nil) {
        self.taken = taken
        state = seed ?? UInt64.random(in: 0...UInt64.max)
    }

    /// Returns a new id and records it as taken.
    public mutating func next() -> String {
        while true {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(10)
            for _ in 0..<10 { bytes.append(Self.alphabet[Int(nextRandom() & 63)]) }
            let id = String(decoding: bytes, as: UTF8.self)
            if taken.insert(id).inserted { return id }
        }
    }

    /// SplitMix64.
    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
