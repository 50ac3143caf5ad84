import Foundation

/// What identifies an export's input whatever its path or copy: the number of
/// tasks, their bytes, and a 64-bit hash of those bytes (FNV-1a over 8-byte
/// little-endian words, then each task's length), so shards run on different
/// machines can tell the merge that they read the same file.
struct InputFingerprint: Equatable, Sendable {
    /// Tasks seen.
    private(set) var tasks = 0
    /// Bytes of the tasks' JSON text.
    private(set) var bytes = 0
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    init() {}

    /// A fingerprint as recorded in a shard manifest.
    init(tasks: Int, bytes: Int, hash: String) {
        self.tasks = tasks
        self.bytes = bytes
        state = UInt64(hash, radix: 16) ?? 0
    }

    /// The hash as 16 hex digits.
    var hash: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Adds the next task's JSON text.
    ///
    /// - Complexity: O(n), one multiply per 8 bytes.
    mutating func add(_ task: Data) {
        let prime: UInt64 = 0x0000_0100_0000_01b3
        var hash = state
        task.withUnsafeBytes { raw in
            let words = raw.count / 8
            for k in 0..<words {
                hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))) &* prime
            }
            for k in (8 * words)..<raw.count { hash = (hash ^ UInt64(raw[k])) &* prime }
        }
        state = (hash ^ UInt64(task.count)) &* prime
        tasks += 1
        bytes += task.count
    }
}
