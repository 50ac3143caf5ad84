// FramesBenchmarks: LabelKitFrames on 1,000,000 frames in a real SQLite store
// (a temporary file on disk): creating a random task (snapshot included), the
// label stream's next() + submit() for one annotator and for 50 annotators on
// their own threads, and walking a random order without allocating.
//
// The store is built by `setup`, once per benchmark, outside measurement
// (importing a million frames takes about 5 s).
import Benchmark
import Foundation
import LabelKitFrames

/// A temporary store with `count` frames (100 per context).
func makeStore(frames count: Int) throws -> FrameStore {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("labelkit-bench-\(UUID().uuidString).sqlite").path
    let store = try FrameStore(path: path)
    try store.importFrames(
        (0..<count).map { Frame(id: String(format: "f%08d", $0), contextID: "c\($0 / 100)", timestampMs: Int64($0 % 100) * 40) })
    return store
}

/// A store with a random task over 1,000,000 frames, and its id.
func makeTask() throws -> (FrameStore, String) {
    let store = try makeStore(frames: 1_000_000)
    let task = try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(order: .random), seed: 1)
    return (store, task.id)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 2_000
    )

    // Snapshot 1,000,000 frames (SQL scan in sort order, SHA-256 of the ids,
    // units) and store the task: one iteration = one new task.
    Benchmark("FrameStore.createTask:random-1M", configuration: .init(maxDuration: .seconds(20), maxIterations: 5)) {
        benchmark, store in
        benchmark.startMeasurement()
        blackHole(try store.createTask(filter: .all, clipLength: 1, plan: IterationPlan(order: .random), seed: 7))
    } setup: {
        try makeStore(frames: 1_000_000)
    }

    // One annotator: next() locks a unit, submit() records it (one iteration = both).
    Benchmark("FrameStore.nextSubmit:1-user-1M") { benchmark, setup in
        let (store, task) = setup
        for _ in benchmark.scaledIterations {
            if case .unit(let unit, _, _) = try store.next(task: task, user: "alice").assignment {
                try store.submit(task: task, user: "alice", unit: unit)
            }
        }
    } setup: {
        try makeTask()
    }

    // 50 annotators on 50 threads, each doing next() + submit() once: one
    // iteration = one round of 50 concurrent pairs.
    Benchmark("FrameStore.nextSubmit:50-users-1M", configuration: .init(maxDuration: .seconds(10), maxIterations: 200)) {
        benchmark, setup in
        let (store, task) = setup
        for _ in benchmark.scaledIterations {
            DispatchQueue.concurrentPerform(iterations: 50) { index in
                let user = "user-\(index)"
                if case .unit(let unit, _, _) = try? store.next(task: task, user: user).assignment {
                    try? store.submit(task: task, user: user, unit: unit)
                }
            }
        }
    } setup: {
        try makeTask()
    }

    // Walk 1,000,000 units in random order: O(1) memory, no allocation per unit
    // (mallocCountTotal stays at the handful the iterator's setup needs).
    Benchmark("FrameIterator.random:1M") { benchmark, units in
        benchmark.startMeasurement()
        var iterator = FrameIterator(units: units, plan: IterationPlan(order: .random, seed: 42))
        var sum = 0
        while let emission = iterator.next() { sum &+= emission.unit }
        blackHole(sum)
    } setup: {
        var builder = Units.Builder(clipLength: 1)
        for i in 0..<1_000_000 { builder.append(contextID: "c\(i / 100)", timestampMs: Int64(i % 100)) }
        return builder.units
    }
}
