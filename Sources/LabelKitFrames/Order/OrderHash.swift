/// The hashes of the frame-order spec: SplitMix64's finalizer (`mix64`), FNV-1a 64,
/// and the epoch and annotator seeds derived with them.
public enum OrderHash {
    /// The golden-ratio increment of SplitMix64, `0x9E3779B97F4A7C15`.
    public static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's finalizer (`mix64(0) == 0`).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a 64 of the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The seed of epoch `e`: the seed itself for epoch 0, then `mix64(seed ^ mix64(e))`.
    public static func epochSeed(_ seed: UInt64, epoch: Int) -> UInt64 {
        epoch == 0 ? seed : mix(seed ^ mix(UInt64(epoch)))
    }

    /// An annotator's own seed: `mix64(seed ^ fnv1a64(userID))`.
    public static func userSeed(_ seed: UInt64, user: String) -> UInt64 {
        mix(seed ^ fnv1a(user))
    }
}
