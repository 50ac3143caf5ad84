import Foundation
import LabelKitFrames
import Synchronization
import Testing

/// Many annotators on one task at once, each on its own thread, spread over
/// three stores opened on one database as three replicas would (SQLite, and
/// PostgreSQL when the run has a server; acceptance: 50 annotators, 1,000
/// frames, overlap 2, random skips).
@Suite("Label stream under concurrency")
final class LabelConcurrencyTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-conc-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// What the annotators observed, merged after they finish.
    struct Log: Sendable {
        var given: [String: [Int]] = [:]
        var submitted: [Int: [String]] = [:]
        var doneWithRemaining: [String] = []
        var errors: [String] = []
    }

    @Test(
        "50 annotators, 1,000 frames, overlap 2, random skips, three stores on one database",
        arguments: TestBackend.available, [IterationPlan.Order.sequential, .random])
    func fiftyAnnotators(_ backend: TestBackend, order: IterationPlan.Order) throws {
        let location = try backend.newLocation(in: folder)
        let replicas = try (0..<3).map { _ in try backend.open(location) }
        let store = replicas[0]
        try store.importFrames((0..<1000).map { Frame(id: String(format: "f%04d", $0), contextID: "c\($0 / 100)") })
        let task = try store.createTask(
            filter: .all, clipLength: 1, plan: IterationPlan(order: order), seed: 7, label: LabelSettings(overlap: 2))
        let log = Mutex(Log())
        let group = DispatchGroup()
        for index in 0..<50 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let user = "annotator-\(index)"
                let store = replicas[index % replicas.count]
                var random = SplitMix(seed: UInt64(index))
                var given: [Int] = []
                var submitted: [Int] = []
                do {
                    loop: while true {
                        switch try store.next(task: task.id, user: user).assignment {
                        case .unit(let unit, _, _):
                            given.append(unit)
                            if random.next() % 10 == 0 {
                                try store.skip(task: task.id, user: user, unit: unit)
                            } else {
                                try store.submit(task: task.id, user: user, unit: unit, result: "{}")
                                submitted.append(unit)
                            }
                        case .locked:
                            usleep(200)
                        case .done:
                            // Completion only grows and only this thread marks for this user,
                            // so anything left now was left when "done" was answered.
                            if try store.remainingUnits(task: task.id, user: user) != 0 {
                                log.withLock { $0.doneWithRemaining.append(user) }
                            }
                            break loop
                        }
                    }
                } catch {
                    log.withLock { $0.errors.append("\(user): \(error)") }
                }
                log.withLock { log in
                    log.given[user] = given
                    for unit in submitted { log.submitted[unit, default: []].append(user) }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let result = log.withLock { $0 }
        #expect(result.errors.isEmpty, "\(result.errors.prefix(3))")
        #expect(result.doneWithRemaining.isEmpty, "saw done while units were only locked: \(result.doneWithRemaining)")
        for (user, units) in result.given {
            #expect(Set(units).count == units.count, "\(user) was given a unit twice")
        }
        #expect(result.submitted.count == 1000, "every frame completes")
        #expect(result.submitted.values.allSatisfy { Set($0).count == $0.count && $0.count == 2 }, "exactly overlap 2")
        let status = try store.labelStatus(task: task.id)
        #expect(status.complete == 1000 && status.submitted == 2000 && status.locked == 0)
    }
}

/// SplitMix64, for reproducible test choices.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return OrderHash.mix(state)
    }
}
