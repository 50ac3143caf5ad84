import Foundation

/// The label stream's write log: each version of a task keeps the writes that
/// made it (one row each, JSON), so a process whose cached board is a few
/// versions behind (another replica, another process on the file) replays a few
/// rows instead of reading the whole task. Both engines keep it; its rules live here.
public enum LabelLog {
    /// How many versions back the log is kept, and read.
    public static let reach: Int64 = 4_096
    /// Old rows are pruned when the version is a multiple of this.
    public static let pruneEvery: Int64 = 1_024

    /// A write as its log row stores it.
    public static func text(_ write: LabelWrite) -> String {
        // Plain values and strings always encode.
        String(decoding: (try? JSONEncoder().encode(write)) ?? Data(), as: UTF8.self)
    }

    /// The writes of `rows` (ordered by version, then position) when they hold
    /// every version after `after` through `through`; nil when some version is
    /// missing (pruned) or the gap is beyond ``reach``.
    public static func writes(_ rows: [(version: Int64, text: String)], after: Int64, through: Int64) throws
        -> [LabelWrite]?
    {
        guard through - after <= reach else { return nil }
        var writes: [LabelWrite] = []
        writes.reserveCapacity(rows.count)
        var last = after
        let decoder = JSONDecoder()
        for row in rows {
            // A version moves only with writes, so each one after `after` has rows.
            guard row.version == last || row.version == last + 1 else { return nil }
            last = row.version
            writes.append(try decoder.decode(LabelWrite.self, from: Data(row.text.utf8)))
        }
        return last == through ? writes : nil
    }
}
