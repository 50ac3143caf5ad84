import Foundation

/// A task's selection as created (R3): the frames' row ids in sort order and
/// the units cut from them. Immutable, so each process reads it once.
struct TaskSnapshot: Sendable {
    /// Row ids (`frame.seq`) in sort order.
    let frameSeqs: [Int64]
    /// The units.
    let units: Units

    /// Little-endian Int64 bytes of `values`.
    static func blob(_ values: [Int64]) -> Data {
        values.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }

    /// The Int64 values of a ``blob(_:)``.
    static func values(_ blob: Data) -> [Int64] {
        let count = blob.count / 8
        return [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = blob.copyBytes(to: UnsafeMutableRawBufferPointer(buffer).bindMemory(to: UInt8.self))
            for i in 0..<count { buffer[i] = Int64(littleEndian: buffer[i]) }
            initialized = count
        }
    }
}
