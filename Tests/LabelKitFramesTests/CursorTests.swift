import Crypto
import Foundation
import LabelKitFrames
import Testing

@Suite("Iteration cursors (spec R11)")
struct CursorTests {
    static var key: SymmetricKey { SymmetricKey(data: Data(repeating: 7, count: 32)) }

    @Test("a cursor round-trips through its token and resumes exactly")
    func roundTrip() throws {
        let frames = (0..<20).map { Frame(id: "f\($0)", contextID: "c\($0 / 5)", timestampMs: Int64($0)) }
        let snapshot = Cursor.snapshotID(ids: frames.map(\.id))
        let units = Units(frames: frames, clipLength: 2)
        let plan = IterationPlan(order: .random, seed: 0, limit: 15)
        var it = FrameIterator(units: units, plan: plan)
        for _ in 0..<6 { _ = it.next() }
        let token = Cursor(snapshotID: snapshot, clipLength: 2, maxGapMs: nil, plan: plan, state: it.state).token(key: Self.key)
        let cursor = try Cursor.decode(token, key: Self.key, snapshotID: snapshot)
        #expect(cursor.state == it.state && cursor.plan == plan)
        var resumed = FrameIterator(units: units, plan: cursor.plan, state: cursor.state)
        #expect(resumed.next() == it.next())
    }

    @Test("another selection is a snapshot mismatch (409), a forged token invalid")
    func refusals() {
        let token = Cursor(
            snapshotID: Cursor.snapshotID(ids: ["a", "b"]), clipLength: 1, maxGapMs: nil, plan: IterationPlan(),
            state: IterationState()
        ).token(key: Self.key)
        let other = Cursor.snapshotID(ids: ["a", "b", "c"])
        #expect(throws: Cursor.DecodingError.self) { try Cursor.decode(token, key: Self.key, snapshotID: other) }
        do {
            _ = try Cursor.decode(token, key: Self.key, snapshotID: other)
        } catch {
            guard case .snapshotMismatch = error else {
                Issue.record("expected a snapshot mismatch, got \(error)")
                return
            }
        }
        let forged = "x" + token.dropFirst()
        #expect(throws: Cursor.DecodingError.invalid) {
            try Cursor.decode(String(forged), key: Self.key, snapshotID: Cursor.snapshotID(ids: ["a", "b"]))
        }
        #expect(throws: Cursor.DecodingError.invalid) {
            try Cursor.decode(token, key: SymmetricKey(size: .bits256), snapshotID: Cursor.snapshotID(ids: ["a", "b"]))
        }
    }

    @Test("the snapshot id is SHA-256 of the ids joined by newlines")
    func snapshotID() {
        // sha256("a\nb"), computed with sha256sum.
        #expect(Cursor.snapshotID(ids: ["a", "b"]) == "7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78")
        #expect(Cursor.snapshotID(ids: ["a", "b"]) != Cursor.snapshotID(ids: ["b", "a"]))
    }
}
