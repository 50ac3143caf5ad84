import Foundation
import LabelKitJSON

/// The label stream's write log: each version of a task keeps the writes that
/// made it (one row each, JSON), so a process whose cached board is a few
/// versions behind (another replica, another process on the file) replays a few
/// rows instead of reading the whole task. Both engines keep it; its rules live here.
public enum LabelLog {
    /// How many versions back the log is kept, and read.
    public static let reach: Int64 = 4_096
    /// Old rows are pruned when the version is a multiple of this.
    public static let pruneEvery: Int64 = 1_024

    /// A write as its log row stores it: compact JSON written by hand (this runs
    /// on every label operation), holding what replaying needs (a mark's time and
    /// result stay in `label_mark` only).
    public static func text(_ write: LabelWrite) -> String {
        switch write {
        case .lock(let lock):
            return #"{"lock":\#(JSONText.quoted(lock.user)),"unit":\#(lock.unit),"expires":\#(lock.expiresAt)}"#
        case .unlock(let user):
            return #"{"unlock":\#(JSONText.quoted(user))}"#
        case .mark(let mark, _, _):
            return
                #"{"mark":\#(JSONText.quoted(mark.user)),"unit":\#(mark.unit),"kind":"\#(mark.kind.rawValue)","seq":\#(mark.sequence)}"#
        case .annotator(let annotator):
            return
                #"{"annotator":\#(JSONText.quoted(annotator.user)),"position":\#(annotator.position),"deferred":\#(annotator.deferredJSON)}"#
        }
    }

    /// Reads a log row written by ``text(_:)``.
    static func write(_ text: String) throws -> LabelWrite {
        let bad = FrameStore.StoreError.invalidRequest("a label_log row is not a write: \(text.prefix(200))")
        guard let object = try? ExactJSON.parse(Data(text.utf8)) as? [String: Any] else { throw bad }
        let unit = JSONNumber.integer(object["unit"])
        if let user = object["lock"] as? String, let unit, let expires = JSONNumber.finite(object["expires"]) {
            return .lock(LabelState.Lock(user: user, unit: unit, expiresAt: expires))
        }
        if let user = object["unlock"] as? String { return .unlock(user: user) }
        if let user = object["mark"] as? String, let unit,
            let kind = (object["kind"] as? String).flatMap(LabelMarkKind.init),
            let sequence = JSONNumber.integer(object["seq"])
        {
            return .mark(
                LabelState.Mark(user: user, unit: unit, kind: kind, sequence: Int64(sequence)), at: 0, result: nil)
        }
        if let user = object["annotator"] as? String, let position = JSONNumber.integer(object["position"]),
            let deferred = object["deferred"] as? [Any]
        {
            let units = deferred.compactMap(JSONNumber.integer)
            guard units.count == deferred.count else { throw bad }
            return .annotator(LabelState.Annotator(user: user, position: position, deferred: units))
        }
        throw bad
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
        for row in rows {
            // A version moves only with writes, so each one after `after` has rows.
            guard row.version == last || row.version == last + 1 else { return nil }
            last = row.version
            writes.append(try write(row.text))
        }
        return last == through ? writes : nil
    }
}
