import Foundation
import LabelKitFrames
import Testing

/// Two stores on one database, as two replicas: each decides on its cached
/// board and stores the changes only if no one wrote first. A store whose board
/// is behind must decide again on the current state: never hand out what the
/// other took, never report a conflict the current state does not have.
@Suite("Label stream on a cached board that is behind")
final class StaleBoardTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-stale-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Two stores on one new database with a task of `count` sequential single-frame units.
    func twoStores(_ backend: TestBackend, count: Int, label: LabelSettings) throws -> (
        FrameStore, FrameStore, String, location: String
    ) {
        let location = try backend.newLocation(in: folder)
        let (first, second) = (try backend.open(location), try backend.open(location))
        try first.importFrames((0..<count).map { Frame(id: "f\($0)", contextID: "c") })
        let task = try first.createTask(
            filter: .all, clipLength: 1, plan: IterationPlan(order: .sequential), label: label)
        return (first, second, task.id, location)
    }

    @Test("a unit the other store locked is not handed out again", arguments: TestBackend.available)
    func nextAfterOthersLock(_ backend: TestBackend) throws {
        let (a, b, task, location) = try twoStores(
            backend, count: 3, label: LabelSettings(overlap: 1, lockTTLSeconds: 600))
        // Both stores cache the board at the same version.
        #expect(try a.labelStatus(task: task).locked == 0)
        #expect(try b.labelStatus(task: task).locked == 0)
        #expect(try b.next(task: task, user: "bob").assignment.unit == 0)
        // a's board says unit 0 is free; the database says bob holds it.
        let work = try a.next(task: task, user: "alice")
        #expect(work.assignment.unit == 1)
        #expect(work.frames.map(\.id) == ["f1"])
        #expect(try a.labelStatus(task: task).locked == 2)
        // What a stored is what a store reading everything finds.
        #expect(try backend.open(location).labelStatus(task: task).locked == 2)
    }

    @Test("a heartbeat for a lock taken through the other store succeeds", arguments: TestBackend.available)
    func heartbeatOfOthersLock(_ backend: TestBackend) throws {
        let (a, b, task, _) = try twoStores(backend, count: 2, label: LabelSettings(lockTTLSeconds: 600))
        _ = try a.labelStatus(task: task)
        let now = Date().timeIntervalSince1970
        #expect(try b.next(task: task, user: "carol", now: now).assignment.unit == 0)
        // a's cached board has no lock for carol: deciding on it alone would refuse.
        let expiry = try a.heartbeat(task: task, user: "carol", unit: 0, now: now + 10)
        #expect(expiry == now + 10 + 600)
        #expect(throws: FrameStore.StoreError.self) { try a.heartbeat(task: task, user: "carol", unit: 1) }
    }

    @Test("a submission made through the other store is a conflict here", arguments: TestBackend.available)
    func submitTwiceAcrossStores(_ backend: TestBackend) throws {
        let (a, b, task, _) = try twoStores(backend, count: 2, label: LabelSettings(overlap: 2))
        #expect(try a.next(task: task, user: "dave").assignment.unit == 0)
        try b.submit(task: task, user: "dave", unit: 0, result: #"{"by":"b"}"#)
        #expect(throws: FrameStore.StoreError.conflict(#"user "dave" already submitted unit 0"#)) {
            try a.submit(task: task, user: "dave", unit: 0, result: #"{"by":"a"}"#)
        }
        #expect(try a.result(task: task, user: "dave", unit: 0) == #"{"by":"b"}"#)
        // The refused decision left nothing behind on a's board: dave moves on to unit 1.
        #expect(try a.next(task: task, user: "dave").assignment.unit == 1)
        #expect(try a.labelStatus(task: task).submitted == 1)
        #expect(try a.remainingUnits(task: task, user: "dave") == 1)
    }

    @Test(
        "a decision on a stale board is taken back and made again on the current one",
        arguments: TestBackend.available)
    func refusedDecisionUndone(_ backend: TestBackend) throws {
        let (a, b, task, _) = try twoStores(backend, count: 4, label: LabelSettings(overlap: 1))
        #expect(try a.next(task: task, user: "erin").assignment.unit == 0)
        _ = try b.labelStatus(task: task)
        // Through b, erin skips unit 0 (requeued for others) and frank takes it; a knows neither.
        try b.skip(task: task, user: "erin", unit: 0)
        #expect(try b.next(task: task, user: "frank").assignment.unit == 0)
        // On a's board erin still holds unit 0, so a submit there would pass; on
        // the current state frank holds it.
        #expect(
            throws: FrameStore.StoreError.conflict(#"unit 0 is not reserved for user "erin": other annotators hold it"#)
        ) { try a.submit(task: task, user: "erin", unit: 0) }
        let status = try a.labelStatus(task: task)
        #expect(status.submitted == 0 && status.skipped == 1 && status.locked == 1 && status.complete == 0)
        #expect(try a.next(task: task, user: "erin").assignment.unit == 1)
        #expect(try b.next(task: task, user: "frank").assignment.unit == 0)
        #expect(try b.labelStatus(task: task) == (try a.labelStatus(task: task)))
    }
}

extension LabelAssignment {
    /// The unit handed out, if any.
    var unit: Int? {
        if case .unit(let unit, _, _) = self { return unit }
        return nil
    }
}
