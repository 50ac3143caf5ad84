import Foundation
import LabelKitFrames
import Testing

/// The label stream of spec M1-M7, over each real store (SQLite, and PostgreSQL
/// when the run has a server).
@Suite("Label stream (M1-M7)")
final class LabelStreamTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-label-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A store with `count` single-frame units f0... in one context, and a task over them.
    func makeTask(
        _ backend: TestBackend, count: Int = 10, order: IterationPlan.Order = .sequential,
        label: LabelSettings = LabelSettings()
    ) throws -> (FrameStore, String) {
        let store = try backend.open(try location(backend))
        try store.importFrames((0..<count).map { Frame(id: String(format: "f%04d", $0), contextID: "c") })
        let task = try store.createTask(
            filter: .all, clipLength: 1, plan: IterationPlan(order: order), seed: 42, label: label)
        return (store, task.id)
    }

    /// The location of this test's store (made on first use).
    var locations: [TestBackend: String] = [:]
    func location(_ backend: TestBackend) throws -> String {
        if let known = locations[backend] { return known }
        let made = try backend.newLocation(in: folder)
        locations[backend] = made
        return made
    }

    /// The unit of an assignment, or nil.
    func unit(_ work: FrameStore.LabelWork) -> Int? {
        if case .unit(let unit, _, _) = work.assignment { return unit }
        return nil
    }

    @Test(
        "sequential, overlap 1: annotators get consecutive units, each once, then done",
        arguments: TestBackend.available)
    func sequentialOverlapOne(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 4)
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        #expect(unit(try store.next(task: task, user: "b", now: 0)) == 1)
        // Asking again returns the same locked unit (M4 a).
        let again = try store.next(task: task, user: "a", now: 1)
        #expect(again.assignment == .unit(0, lockedUntil: 3600, reason: .resumed))
        #expect(again.frames.map(\.id) == ["f0000"])
        try store.submit(task: task, user: "a", unit: 0, result: "{\"ok\":true}", now: 2)
        #expect(try store.result(task: task, user: "a", unit: 0) == "{\"ok\":true}")
        #expect(unit(try store.next(task: task, user: "a", now: 3)) == 2)
        try store.submit(task: task, user: "a", unit: 2, now: 4)
        #expect(unit(try store.next(task: task, user: "a", now: 5)) == 3)
        try store.submit(task: task, user: "a", unit: 3, now: 6)
        // Unit 1 is merely locked by b: a hears "locked" with b's expiry, not "done".
        #expect(try store.next(task: task, user: "a", now: 7).assignment == .locked(retryAt: 3600))
        try store.submit(task: task, user: "b", unit: 1, now: 8)
        #expect(try store.next(task: task, user: "a", now: 9).assignment == .done)
        let status = try store.labelStatus(task: task, now: 10)
        #expect(status.complete == 4 && status.submitted == 4 && status.locked == 0 && status.annotators == 2)
    }

    @Test(
        "overlap 2 with three annotators: every unit gets exactly two distinct annotators",
        arguments: TestBackend.available)
    func overlapTwoThreeAnnotators(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 6, label: LabelSettings(overlap: 2))
        var seen: [String: Set<Int>] = [:]
        var perUnit: [Int: Set<String>] = [:]
        var now = 0.0
        var active = ["a", "b", "c"]
        while !active.isEmpty {
            for user in active {
                now += 1
                let work = try store.next(task: task, user: user, now: now)
                switch work.assignment {
                case .unit(let unit, _, _):
                    #expect(seen[user, default: []].insert(unit).inserted, "\(user) got unit \(unit) twice")
                    try store.submit(task: task, user: user, unit: unit, now: now)
                    perUnit[unit, default: []].insert(user)
                case .locked: break
                case .done: active.removeAll { $0 == user }
                }
            }
        }
        #expect(perUnit.count == 6)
        #expect(perUnit.values.allSatisfy { $0.count == 2 })
    }

    @Test(
        "a lapsed lock is ignored: others take the unit, and its first holder can no longer submit it",
        arguments: TestBackend.available)
    func lockExpiry(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 1, label: LabelSettings(lockTTLSeconds: 60))
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        #expect(try store.next(task: task, user: "b", now: 30).assignment == .locked(retryAt: 60))
        #expect(try store.heartbeat(task: task, user: "a", unit: 0, now: 50) == 110)
        #expect(try store.next(task: task, user: "b", now: 100).assignment == .locked(retryAt: 110))
        // After expiry b takes it (from its deferred list) ...
        #expect(
            try store.next(task: task, user: "b", now: 111).assignment == .unit(0, lockedUntil: 171, reason: .deferred))
        // ... a's heartbeat and submit are refused, and b completes it.
        #expect(throws: FrameStore.StoreError.self) { try store.heartbeat(task: task, user: "a", unit: 0, now: 112) }
        #expect(throws: FrameStore.StoreError.self) { try store.submit(task: task, user: "a", unit: 0, now: 112) }
        try store.submit(task: task, user: "b", unit: 0, now: 113)
        #expect(try store.next(task: task, user: "a", now: 114).assignment == .done)
    }

    @Test("an annotator's lapsed lock is renewed when nobody else took the unit", arguments: TestBackend.available)
    func lapsedLockRenewed(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 3, label: LabelSettings(lockTTLSeconds: 60))
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        #expect(
            try store.next(task: task, user: "a", now: 100).assignment == .unit(0, lockedUntil: 160, reason: .resumed))
    }

    @Test(
        "requeueForOthers: a skipped unit never returns to the skipper; others get it", arguments: TestBackend.available
    )
    func skipRequeueForOthers(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 2)
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        try store.skip(task: task, user: "a", unit: 0, now: 1)
        #expect(unit(try store.next(task: task, user: "a", now: 2)) == 1)
        try store.submit(task: task, user: "a", unit: 1, now: 3)
        #expect(try store.next(task: task, user: "a", now: 4).assignment == .done)
        #expect(unit(try store.next(task: task, user: "b", now: 5)) == 0)
    }

    @Test(
        "requeueForMe: a skipped unit comes back to the skipper after the main queue", arguments: TestBackend.available)
    func skipRequeueForMe(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 3, label: LabelSettings(skipMode: .requeueForMe))
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        try store.skip(task: task, user: "a", unit: 0, now: 1)
        #expect(unit(try store.next(task: task, user: "a", now: 2)) == 1)
        try store.submit(task: task, user: "a", unit: 1, now: 3)
        #expect(unit(try store.next(task: task, user: "a", now: 4)) == 2)
        try store.submit(task: task, user: "a", unit: 2, now: 5)
        #expect(
            try store.next(task: task, user: "a", now: 6).assignment == .unit(0, lockedUntil: 3606, reason: .requeued))
        try store.submit(task: task, user: "a", unit: 0, now: 7)
        #expect(try store.next(task: task, user: "a", now: 8).assignment == .done)
        #expect(try store.labelStatus(task: task, now: 9).complete == 3)
    }

    @Test("ignoreSkipped: a skip completes the unit", arguments: TestBackend.available)
    func skipIgnoreSkipped(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 1, label: LabelSettings(skipMode: .ignoreSkipped))
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        try store.skip(task: task, user: "a", unit: 0, now: 1)
        #expect(try store.labelStatus(task: task, now: 2).complete == 1)
        #expect(try store.next(task: task, user: "b", now: 3).assignment == .done)
    }

    @Test("postponed units come back after the main queue, oldest first", arguments: TestBackend.available)
    func postpone(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 3)
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        try store.postpone(task: task, user: "a", unit: 0, now: 1)
        #expect(unit(try store.next(task: task, user: "a", now: 2)) == 1)
        try store.postpone(task: task, user: "a", unit: 1, now: 3)
        #expect(unit(try store.next(task: task, user: "a", now: 4)) == 2)
        try store.submit(task: task, user: "a", unit: 2, now: 5)
        #expect(
            try store.next(task: task, user: "a", now: 6).assignment == .unit(0, lockedUntil: 3606, reason: .postponed))
        try store.submit(task: task, user: "a", unit: 0, now: 7)
        #expect(
            try store.next(task: task, user: "a", now: 8).assignment == .unit(1, lockedUntil: 3608, reason: .postponed))
    }

    @Test("breadth-first serves the unit with the most annotations first", arguments: TestBackend.available)
    func breadthFirst(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 5, label: LabelSettings(overlap: 3, breadthFirst: true))
        try store.submit(task: task, user: "x", unit: 3, now: 0)
        #expect(
            try store.next(task: task, user: "a", now: 1).assignment
                == .unit(3, lockedUntil: 3601, reason: .breadthFirst))
    }

    @Test("the cohort gives the first units the overlap and the rest one annotator", arguments: TestBackend.available)
    func cohort(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 4, label: LabelSettings(overlap: 2, cohortPercent: 50))
        for user in ["a", "b"] {
            while case .unit(let unit, _, _) = try store.next(task: task, user: user, now: 0).assignment {
                try store.submit(task: task, user: user, unit: unit, now: 0)
            }
        }
        let status = try store.labelStatus(task: task, now: 0)
        #expect(status.complete == 4 && status.submitted == 6)
    }

    @Test("independent random orders follow the per-user seed of spec 4.3", arguments: TestBackend.available)
    func independentOrders(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 10, order: .random)
        var order: [Int] = []
        while case .unit(let unit, _, _) = try store.next(task: task, user: "alice", now: 0).assignment {
            order.append(unit)
            try store.submit(task: task, user: "alice", unit: unit, now: 0)
        }
        #expect(order == [4, 2, 0, 7, 6, 8, 3, 5, 1, 9])
    }

    @Test("with clips, the label stream hands out whole clips in frame order", arguments: TestBackend.available)
    func clips(_ backend: TestBackend) throws {
        let store = try backend.open(try location(backend))
        try store.importFrames(
            (0..<10).map { Frame(id: "v\($0 / 6)-\($0 % 6)", contextID: "v\($0 / 6)", timestampMs: Int64($0 % 6) * 40) }
        )
        let task = try store.createTask(filter: .all, clipLength: 4, plan: IterationPlan(), seed: 0)
        #expect(task.unitCount == 3)
        var clips: [[String]] = []
        while case let work = try store.next(task: task.id, user: "a", now: 0),
            case .unit(let unit, _, _) = work.assignment
        {
            clips.append(work.frames.map(\.id))
            try store.submit(task: task.id, user: "a", unit: unit, now: 0)
        }
        #expect(clips == [["v0-0", "v0-1", "v0-2", "v0-3"], ["v0-4", "v0-5"], ["v1-0", "v1-1", "v1-2", "v1-3"]])
    }

    @Test("bad requests: unknown task, unit out of range, empty user, double submit", arguments: TestBackend.available)
    func errors(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 2)
        #expect(throws: FrameStore.StoreError.unknownTask("nope")) { try store.next(task: "nope", user: "a") }
        #expect(throws: FrameStore.StoreError.self) { try store.submit(task: task, user: "a", unit: 9) }
        #expect(throws: FrameStore.StoreError.self) { try store.next(task: task, user: "") }
        try store.submit(task: task, user: "a", unit: 0)
        #expect(throws: FrameStore.StoreError.self) { try store.submit(task: task, user: "a", unit: 0) }
        #expect(throws: FrameStore.StoreError.self) {
            try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(), label: LabelSettings(overlap: 0))
        }
    }

    @Test("locks, marks and cursors survive reopening the store", arguments: TestBackend.available)
    func persistence(_ backend: TestBackend) throws {
        let (store, task) = try makeTask(backend, count: 5)
        #expect(unit(try store.next(task: task, user: "a", now: 0)) == 0)
        try store.submit(task: task, user: "a", unit: 0, now: 1)
        #expect(unit(try store.next(task: task, user: "a", now: 2)) == 1)
        #expect(unit(try store.next(task: task, user: "b", now: 2)) == 2)
        let reopened = try backend.open(try location(backend))
        #expect(
            try reopened.next(task: task, user: "a", now: 3).assignment == .unit(1, lockedUntil: 3602, reason: .resumed)
        )
        #expect(unit(try reopened.next(task: task, user: "c", now: 3)) == 3)
        // The first store sees the second's writes (task version changed).
        #expect(unit(try store.next(task: task, user: "d", now: 4)) == 4)
    }
}
