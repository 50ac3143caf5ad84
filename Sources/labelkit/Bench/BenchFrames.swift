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
            --url instead sends every call over HTTP to running `labelkit serve` processes (one
            keep-alive connection per annotator, round-robin over the URLs given), and --probes
            threads call GET /healthz at the same pace in the same run: what the machine's own
            wake-up and HTTP path cost, beside the label calls.
            Prints {"frames","users","replicas","import_s","create_s","next_p50_ms","next_p99_ms",
            "submit_p50_ms","submit_p99_ms","operations","wall_s"}, and with probes
            "healthz_p50_ms","healthz_p99_ms". With --log, every acknowledged operation is
            appended as one JSON line (used by the crash test).

            Examples:
              labelkit bench frames --frames 1000000 --users 50 --requests 100 --order random
              labelkit bench frames --db frames.sqlite --task review --users 8 --until-done --log ops.jsonl
              labelkit bench frames --db postgres://labelkit@127.0.0.1/bench --replicas 3 --users 50 --overlap 2
              labelkit bench frames --url http://127.0.0.1:8080 --url http://127.0.0.1:8081 --token "$TOKEN" \\
                --users 50 --think-ms 100 --probes 10
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

    @Option(
        help:
            "Time a running `labelkit serve` over HTTP instead of a store (repeat for replicas), e.g. --url http://127.0.0.1:8080."
    )
    var url: [String] = []

    @Option(help: "Bearer token for --url (the operator's: it may act for every annotator), e.g. --token s3cret.")
    var token: String?

    @Option(help: "Threads calling GET /healthz at the annotators' pace, with --url (default 10), e.g. --probes 10.")
    var probes: Int?

    @Option(help: "Task id to use or create, e.g. --task bench.")
    var task: String = "bench"

    @Option(help: "Append one JSON line per acknowledged operation to this file, e.g. --log ops.jsonl.")
    var log: String?

    func validate() throws {
        guard url.isEmpty || (db == nil && replicas == 1) else {
            throw ValidationError("--url times a running service: it takes no --db or --replicas")
        }
        guard (probes ?? 0) >= 0, probes == nil || !url.isEmpty else {
            throw ValidationError("--probes needs --url and is 0 or more")
        }
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
            if db == nil && url.isEmpty {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let setup: (targets: [LabelTarget], importSeconds: Double?, createSeconds: Double?)
        do {
            setup = url.isEmpty ? try prepareStores(path: path) : try prepareService()
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(error)")
        }
        let logFile = try log.map(Self.openLog)
        let samples = Mutex((next: [Double](), submit: [Double](), healthz: [Double](), errors: [String]()))
        let group = DispatchGroup()
        let finished = StopFlag()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        for index in 0..<users {
            group.enter()
            let worker = Annotator(
                target: setup.targets[index % setup.targets.count], task: task, user: "user-\(index)",
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
        let probeGroup = DispatchGroup()
        for index in 0..<(url.isEmpty ? 0 : probes ?? 10) {
            probeGroup.enter()
            let probe = HealthProbe(url: url[index % url.count], thinkMs: thinkMs, seed: UInt64(index))
            let thread = Thread {
                let result = probe.work(until: finished)
                samples.withLock {
                    $0.healthz += result.latencies
                    if let error = result.error { $0.errors.append(error) }
                }
                probeGroup.leave()
            }
            thread.start()
        }
        group.wait()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9
        finished.raised.store(true, ordering: .releasing)
        probeGroup.wait()
        let measured = samples.withLock { $0 }
        if let error = measured.errors.first { throw CommandFailure(message: error, exitCode: 1) }
        var report: [String: Any] = [
            "frames": try frameCount(setup.targets[0]), "users": users,
            "operations": measured.next.count + measured.submit.count,
            "wall_s": wall, "next_p50_ms": Self.percentile(measured.next, 0.5),
            "next_p99_ms": Self.percentile(measured.next, 0.99),
            "submit_p50_ms": Self.percentile(measured.submit, 0.5),
            "submit_p99_ms": Self.percentile(measured.submit, 0.99),
        ]
        report["replicas"] = url.isEmpty ? replicas : url.count
        if !measured.healthz.isEmpty {
            report["healthz_p50_ms"] = Self.percentile(measured.healthz, 0.5)
            report["healthz_p99_ms"] = Self.percentile(measured.healthz, 0.99)
        }
        if let createSeconds = setup.createSeconds { report["create_s"] = createSeconds }
        if let importSeconds = setup.importSeconds { report["import_s"] = importSeconds }
        Output.line(JSONText.of(report))
    }

    /// Opens the stores, and imports the synthetic frames and creates the task when missing.
    private func prepareStores(path: String) throws -> (
        targets: [LabelTarget], importSeconds: Double?, createSeconds: Double?
    ) {
        let stores = try (0..<replicas).map { _ in try StoreOptions.parse(["--db", path]).open() }
        let store = stores[0]
        var createSeconds: Double?
        var importSeconds: Double?
        if (try? store.task(task)) == nil {
            if try store.frameCount() == 0 {
                let start = DispatchTime.now().uptimeNanoseconds
                try store.importFrames(Self.synthetic(0..<frames))
                importSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try store.createTask(
                id: task, filter: .all, clipLength: 1, plan: IterationPlan(order: order), seed: 1,
                label: LabelSettings(overlap: overlap))
            createSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        // Warm-up: the first label operation of a process reads the task's snapshot and board.
        for replica in stores { _ = try? replica.labelStatus(task: task) }
        return (stores.map { .store($0) }, importSeconds, createSeconds)
    }

    /// The same over HTTP: frames imported in batches of 50,000 when the task is
    /// missing (a repeated frame id means they are there already), the task created.
    private func prepareService() throws -> (targets: [LabelTarget], importSeconds: Double?, createSeconds: Double?) {
        let http = try BlockingHTTPClient(url: url[0])
        let headers = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        var createSeconds: Double?
        var importSeconds: Double?
        if try http.request("GET", "/frames/tasks/\(task)", headers: headers).status == 404 {
            let start = DispatchTime.now().uptimeNanoseconds
            for batch in stride(from: 0, to: frames, by: 50_000) {
                let body = "[" + Self.synthetic(batch..<min(frames, batch + 50_000)).map { frame in
                    #"{"id":"\#(frame.id)","context_id":"\#(frame.contextID)","timestamp_ms":\#(frame.timestampMs)}"#
                }.joined(separator: ",") + "]"
                let answer = try http.request("POST", "/frames/import", body: Array(body.utf8), headers: headers)
                if answer.status == 200 { continue }
                guard batch == 0, String(decoding: answer.body, as: UTF8.self).contains("already in the store") else {
                    throw CommandFailure(
                        message: "import: HTTP \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))",
                        exitCode: 1)
                }
                break
            }
            importSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let created = DispatchTime.now().uptimeNanoseconds
            let settings = #"{"id":\#(JSONText.quoted(task)),"order":"\#(order.rawValue)","seed":1,"overlap":\#(overlap)}"#
            let answer = try http.request("POST", "/frames/tasks", body: Array(settings.utf8), headers: headers)
            guard answer.status == 201 else {
                throw CommandFailure(
                    message: "create: HTTP \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))",
                    exitCode: 1)
            }
            createSeconds = Double(DispatchTime.now().uptimeNanoseconds - created) / 1e9
        }
        // Warm-up: each replica reads the task's snapshot and board once.
        for address in url {
            _ = try BlockingHTTPClient(url: address).request("GET", "/frames/tasks/\(task)", headers: headers)
        }
        return (url.map { .http(url: $0, token: token) }, importSeconds, createSeconds)
    }

    /// Frames `range` of the synthetic set: 100 per context, 40 ms apart.
    static func synthetic(_ range: Range<Int>) -> [Frame] {
        range.map {
            Frame(id: String(format: "f%08d", $0), contextID: "c\($0 / 100)", timestampMs: Int64($0 % 100) * 40)
        }
    }

    /// The task's frame count, from the store or the service.
    private func frameCount(_ target: LabelTarget) throws -> Int {
        switch target {
        case .store(let store): return try store.task(task).frameCount
        case .http(let address, let token):
            let answer = try BlockingHTTPClient(url: address).request(
                "GET", "/frames/tasks/\(task)", headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
            let object = try? ExactJSON.parse(Data(answer.body)) as? [String: Any]
            return JSONNumber.integer((object?["task"] as? [String: Any])?["frameCount"]) ?? 0
        }
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
        let target: LabelTarget
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
                let client = try target.client(task: task)
                var served = 0
                while served < requests {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let answer = try client.next(user: user)
                    next.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    switch answer {
                    case .unit(let unit):
                        record(["op": "next", "user": user, "unit": unit])
                        random = OrderHash.mix(random &+ OrderHash.golden)
                        let skip = Int(random % 100) < skipPercent
                        let markStart = DispatchTime.now().uptimeNanoseconds
                        try client.mark(user: user, unit: unit, skip: skip)
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

    /// Raised when the annotators are done, so the probes stop.
    final class StopFlag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    /// A thread calling GET /healthz at the annotators' pace, timed the same way.
    struct HealthProbe: Sendable {
        let url: String
        let thinkMs: Double
        let seed: UInt64

        func work(until finished: StopFlag) -> (latencies: [Double], error: String?) {
            var latencies: [Double] = []
            var random = OrderHash.mix(seed &+ OrderHash.golden)
            do {
                let http = try BlockingHTTPClient(url: url)
                while !finished.raised.load(ordering: .acquiring) {
                    random = OrderHash.mix(random &+ OrderHash.golden)
                    usleep(UInt32(max(1, thinkMs) * (0.5 + Double(random % 1000) / 1000) * 1000))
                    let start = DispatchTime.now().uptimeNanoseconds
                    let answer = try http.request("GET", "/healthz")
                    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    guard answer.status == 200 else { return (latencies, "GET /healthz: HTTP \(answer.status)") }
                }
            } catch {
                return (latencies, "GET /healthz: \(error)")
            }
            return (latencies, nil)
        }
    }
}
