import ArgumentParser
import Foundation
import LabelKitFrames
import LabelKitJSON
import Synchronization

/// `labelkit bench frames`: task creation and label-stream latency with many
/// annotators on their own threads against one store (SQLite or PostgreSQL),
/// opened once or as several replicas.
struct BenchFrames: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Time creating a task over N frames and next()/submit() for concurrent annotators.",
        discussion: """
            Imports --frames synthetic frames (100 per context) into a new store (or uses an existing
            --db and --task), creates the task (timed: snapshot included), then runs --users annotator
            threads, each pulling and submitting --requests units (or until done with --until-done).
            --think-ms pauses each annotator between units (an open load, as people
            annotate) instead of calling back to back (a closed loop that measures
            queueing behind the single SQLite writer).
            --replicas opens the store that many times (each with its own connections and cache, as
            separate `labelkit serve` processes would) and spreads the annotators over them round-robin.
            Prints {"frames","users","replicas","import_s","create_s","next_p50_ms","next_p99_ms",
            "submit_p50_ms","submit_p99_ms","operations","wall_s"}. With --log, every acknowledged operation is
            appended as one JSON line (used by the crash test).

            Examples:
              labelkit bench frames --frames 1000000 --users 50 --requests 100 --order random
              labelkit bench frames --db frames.sqlite --task review --users 8 --until-done --log ops.jsonl
              labelkit bench frames --db postgres://labelkit@127.0.0.1/bench --replicas 3 --users 50 --overlap 2
            """
    )

    @Option(help: "Synthetic frames to import when the task does not exist yet, e.g. --frames 1000000.")
    var frames: Int = 100_000

    @Option(help: "Concurrent annotators (threads), e.g. --users 50.")
    var users: Int = 1

    @Option(help: "Units each annotator pulls and submits, e.g. --requests 100.")
    var requests: Int = 100

    @Flag(help: "Annotators keep pulling until the stream answers done (overrides --requests).")
    var untilDone = false

    @Option(help: "Order of the task when it is created: sequential, random or shuffle, e.g. --order random.")
    var order: IterationPlan.Order = .random

    @Option(help: "Overlap of the task when it is created, e.g. --overlap 2.")
    var overlap: Int = 1

    @Option(help: "Percent of units each annotator skips instead of submitting, e.g. --skip-percent 10.")
    var skipPercent: Int = 0

    @Option(
        help:
            "Mean pause (ms) of each annotator after a submit, uniform in 0.5x...1.5x; 0 = back to back, e.g. --think-ms 100."
    )
    var thinkMs: Double = 0

    @Option(
        help:
            "Keep the store in this file, or use this PostgreSQL database (default: a temporary file, removed afterwards), e.g. --db bench.sqlite or --db postgres://labelkit@127.0.0.1/bench."
    )
    var db: String?

    @Option(help: "Open the store this many times and spread the annotators over them, e.g. --replicas 3.")
    var replicas: Int = 1

    @Option(help: "Task id to use or create, e.g. --task bench.")
    var task: String = "bench"

    @Option(help: "Append one JSON line per acknowledged operation to this file, e.g. --log ops.jsonl.")
    var log: String?

    func validate() throws {
        guard frames >= 1, users >= 1, requests >= 0, (0...100).contains(skipPercent), thinkMs >= 0, replicas >= 1
        else {
            throw ValidationError(
                "--frames, --users and --replicas must be at least 1, --skip-percent 0...100, --think-ms >= 0")
        }
    }

    func run() async throws {
        let path =
            db
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "labelkit-bench-\(UUID().uuidString).sqlite"
            ).path
        defer {
            if db == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let stores = try (0..<replicas).map { _ in try StoreOptions.parse(["--db", path]).open() }
        let store = stores[0]
        var createSeconds: Double?
        var importSeconds: Double?
        do {
            if (try? store.task(task)) == nil {
                if try store.frameCount() == 0 {
                    let synthetic = (0..<frames).map {
                        Frame(
                            id: String(format: "f%08d", $0), contextID: "c\($0 / 100)",
                            timestampMs: Int64($0 % 100) * 40)
                    }
                    let start = DispatchTime.now().uptimeNanoseconds
                    try store.importFrames(synthetic)
                    importSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                }
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try store.createTask(
                    id: task, filter: .all, clipLength: 1, plan: IterationPlan(order: order), seed: 1,
                    label: LabelSettings(overlap: overlap))
                createSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(error)")
        }
        // Warm-up: the first label operation of a process reads the task's snapshot and board.
        for replica in stores { _ = try? replica.labelStatus(task: task) }
        let logFile = try log.map(Self.openLog)
        let samples = Mutex((next: [Double](), submit: [Double](), errors: [String]()))
        let group = DispatchGroup()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        for index in 0..<users {
            group.enter()
            let worker = Annotator(
                store: stores[index % replicas], task: task, user: "user-\(index)",
                requests: untilDone ? Int.max : requests,
                skipPercent: skipPercent, thinkMs: thinkMs, log: logFile)
            let thread = Thread {
                let result = worker.work()
                samples.withLock {
                    $0.next += result.next
                    $0.submit += result.submit
                    if let error = result.error { $0.errors.append(error) }
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
        let measured = samples.withLock { $0 }
        if let error = measured.errors.first { throw CommandFailure(message: error, exitCode: 1) }
        var report: [String: Any] = [
            "frames": try store.task(task).frameCount, "users": users,
            "operations": measured.next.count + measured.submit.count,
            "wall_s": wall, "next_p50_ms": Self.percentile(measured.next, 0.5),
            "next_p99_ms": Self.percentile(measured.next, 0.99),
            "submit_p50_ms": Self.percentile(measured.submit, 0.5),
            "submit_p99_ms": Self.percentile(measured.submit, 0.99),
        ]
        report["replicas"] = replicas
        if let createSeconds { report["create_s"] = createSeconds }
        if let importSeconds { report["import_s"] = importSeconds }
        Output.line(JSONText.of(report))
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))] * 1000
    }

    static func openLog(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CommandFailure(message: "\(path): cannot open the log for writing", exitCode: 1)
        }
        handle.seekToEndOfFile()
        return handle
    }

    /// One simulated annotator.
    struct Annotator: Sendable {
        let store: FrameStore
        let task: String
        let user: String
        let requests: Int
        let skipPercent: Int
        let thinkMs: Double
        let log: FileHandle?

        /// Latencies in seconds, and the first error.
        func work() -> (next: [Double], submit: [Double], error: String?) {
            var next: [Double] = []
            var submit: [Double] = []
            var random = UInt64(truncatingIfNeeded: user.hashValue) | 1
            if thinkMs > 0 {
                // Annotators arrive spread over one think time, not all at once.
                usleep(UInt32(thinkMs * Double(random % 1000) / 1000 * 1000))
            }
            do {
                var served = 0
                while served < requests {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let work = try store.next(task: task, user: user)
                    next.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    switch work.assignment {
                    case .unit(let unit, _, _):
                        record(["op": "next", "user": user, "unit": unit])
                        random = OrderHash.mix(random &+ OrderHash.golden)
                        let skip = Int(random % 100) < skipPercent
                        let markStart = DispatchTime.now().uptimeNanoseconds
                        if skip {
                            try store.skip(task: task, user: user, unit: unit)
                        } else {
                            try store.submit(task: task, user: user, unit: unit, result: "{}")
                        }
                        submit.append(Double(DispatchTime.now().uptimeNanoseconds - markStart) / 1e9)
                        record(["op": skip ? "skip" : "submit", "user": user, "unit": unit])
                        served += 1
                        if thinkMs > 0 {
                            random = OrderHash.mix(random &+ OrderHash.golden)
                            usleep(UInt32(thinkMs * (0.5 + Double(random % 1000) / 1000) * 1000))
                        }
                    case .locked:
                        usleep(1000)
                    case .done:
                        record(["op": "done", "user": user])
                        return (next, submit, nil)
                    }
                }
            } catch {
                return (next, submit, "\(user): \(error)")
            }
            return (next, submit, nil)
        }

        /// Appends one line to the log (one write call, so lines never interleave).
        func record(_ object: [String: Any]) {
            log?.write(Data((JSONText.of(object) + "\n").utf8))
        }
    }
}
