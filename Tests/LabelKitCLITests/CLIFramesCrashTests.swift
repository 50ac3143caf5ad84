import Foundation
import LabelKitFrames
import Testing

/// SIGKILL in the middle of a label stream: after a restart no acknowledged
/// lock or annotation is lost, none is duplicated, and the stream completes.
@Suite("labelkit frames: crash safety")
struct CLIFramesCrashTests {
    /// One acknowledged operation from `bench frames --log`.
    struct Operation: Decodable {
        var op: String
        var user: String
        var unit: Int?
    }

    static func operations(_ path: String) -> [Operation] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        // The last line may be cut by the kill; only whole lines were acknowledged.
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Operation.self, from: Data($0.utf8)) }
    }

    @Test("kill -9 mid-stream, restart: acknowledged locks and submissions kept, none twice, all units complete")
    func killAndRestart() throws {
        let dir = try TempDir()
        let db = dir.path("frames.sqlite"), log = dir.path("ops.jsonl")
        let args = [
            "bench", "frames", "--frames", "3000", "--users", "8", "--overlap", "2", "--until-done", "--db", db,
            "--task", "crash", "--log", log,
        ]
        let executable = try #require(CLI.executable, "labelkit executable not found")
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Self.operations(log).count < 1500 && Date() < deadline { usleep(2_000) }
        let wasRunning = process.isRunning
        if wasRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try #require(wasRunning, "the run finished before it could be killed")
        #expect(process.terminationReason == .uncaughtSignal)

        let acknowledged = Self.operations(log)
        let store = try FrameStore(path: db)
        // Every acknowledged submission is stored.
        for op in acknowledged where op.op == "submit" {
            #expect(try store.result(task: "crash", user: op.user, unit: op.unit!) != nil, "lost: \(op.user) unit \(op.unit!)")
        }
        // A user whose last acknowledged operation took a lock still holds it
        // (unless the submission in flight at the kill committed).
        var lastByUser: [String: Operation] = [:]
        for op in acknowledged { lastByUser[op.user] = op }
        for (user, op) in lastByUser where op.op == "next" {
            let unit = op.unit!
            if try store.result(task: "crash", user: user, unit: unit) != nil { continue }
            let work = try store.next(task: "crash", user: user)
            #expect(work.assignment.unit == unit && work.assignment.reason == .resumed, "\(user) lost the lock on \(unit)")
        }
        // The restarted run completes the task; a duplicate would have been refused with an error.
        let rerun = try CLI.run(args)
        #expect(rerun.status == 0, "\(rerun.stderrText)")
        let status = try store.labelStatus(task: "crash")
        #expect(status.units == 3000 && status.complete == 3000)
        #expect(status.submitted == 6000, "exactly two annotations per unit")
        #expect(status.locked == 0)
        var pairs = Set<String>()
        for op in Self.operations(log) where op.op == "submit" {
            #expect(pairs.insert("\(op.user)/\(op.unit!)").inserted, "\(op.user) submitted unit \(op.unit!) twice")
        }
    }
}

extension LabelAssignment {
    /// The assigned unit, if any.
    var unit: Int? {
        if case .unit(let unit, _, _) = self { return unit }
        return nil
    }

    /// Why the unit was assigned, if one was.
    var reason: Reason? {
        if case .unit(_, _, let reason) = self { return reason }
        return nil
    }
}
