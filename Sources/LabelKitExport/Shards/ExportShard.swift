import Foundation
import LabelKitFormats

/// One share of a sharded export (`labelkit export --shard INDEX/COUNT`).
///
/// A task belongs to shard `fnv1a64(key) % count`, where the key is the task's
/// `id` as written in the export (Label Studio writes integers: the key of
/// `"id": 42` is the two bytes `42`), a string id's characters (UTF-8), or, for a
/// task without an id, its 0-based position in the input as decimal text. The
/// split depends on nothing else, so every machine of a Kubernetes Indexed Job or
/// a Slurm array picks the same tasks for one index, and other tools can
/// reproduce it:
///
///     let shard = try ExportShard(parsing: "1/4")
///     shard.contains(taskKey: Array("42".utf8))   // fnv1a64("42") % 4 == 1
///
/// Each shard keeps its own journal and staging folder (names carry
/// `INDEX-of-COUNT`), so shards can share one output folder; ``ExportMerge``
/// assembles their output.
public struct ExportShard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's index, `0 ..< count`.
    public let index: Int
    /// How many shards the export is split into.
    public let count: Int

    /// A shard; `index` must be in `0 ..< count`.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` for a count below 1 or an index
    ///   outside `0 ..< count`.
    public init(index: Int, count: Int) throws(FormatsError) {
        guard count >= 1 else {
            throw FormatsError(.invalidField, "--shard \(index)/\(count): the shard count must be at least 1")
        }
        guard (0..<count).contains(index) else {
            throw FormatsError(
                .invalidField,
                "--shard \(index)/\(count): the shard index must be 0 to \(count - 1) (0 <= INDEX < COUNT)")
        }
        self.index = index
        self.count = count
    }

    /// A shard from its command-line spelling `INDEX/COUNT`, e.g. `0/4`.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the text when it is not
    ///   two decimal integers separated by `/`, or out of range.
    public init(parsing text: String) throws(FormatsError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Self.decimal(parts[0]), let count = Self.decimal(parts[1]) else {
            throw FormatsError(
                .invalidField, "--shard \"\(text)\": expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/4")
        }
        try self.init(index: index, count: count)
    }

    /// `INDEX/COUNT`.
    public var description: String { "\(index)/\(count)" }

    /// `INDEX-of-COUNT`, the part of the shard's file names that names it.
    var fileTag: String { "\(index)-of-\(count)" }

    /// The shard's journal in the output folder.
    var journalName: String { Self.filePrefix + fileTag + ".jsonl" }

    /// The manifest a finished shard writes next to its journal.
    var manifestName: String { Self.filePrefix + fileTag + ".json" }

    /// The shard's own folder in the output folder: temporary files, and the files
    /// whose names were taken when the shard wrote them (the merge decides).
    var stagingName: String { Self.filePrefix + fileTag }

    /// What every shard file name starts with.
    static let filePrefix = ".labelkit-export-shard-"

    /// True when the task with `taskKey` (see ``taskKey(of:index:)``) is this shard's.
    public func contains(taskKey: some Sequence<UInt8>) -> Bool {
        Self.hash(taskKey) % UInt64(count) == UInt64(index)
    }

    /// FNV-1a 64 of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// A non-negative decimal integer without sign or spaces.
    private static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// The shard index, count and file kind named by a shard file of the output
    /// folder (`.labelkit-export-shard-1-of-4.jsonl` -> (1, 4, "jsonl")), or nil.
    static func parseFileName(_ name: String) -> (index: Int, count: Int, kind: String)? {
        guard name.hasPrefix(filePrefix) else { return nil }
        let rest = name.dropFirst(filePrefix.count)
        guard let dot = rest.firstIndex(of: ".") else { return nil }
        let numbers = rest[..<dot].components(separatedBy: "-of-")
        guard numbers.count == 2, let index = decimal(Substring(numbers[0])), let count = decimal(Substring(numbers[1]))
        else { return nil }
        return (index, count, String(rest[rest.index(after: dot)...]))
    }
}
