import Foundation
import LabelKitJSON
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `labelkit bench frames --url`: the label stream timed over HTTP against a
/// running `labelkit serve`, with GET /healthz probes in the same run.
@Suite("bench frames over HTTP")
struct CLIBenchServiceTests {
    @Test("annotators work a task to the end over HTTP with the operator's token; probes time /healthz")
    func overHTTP() throws {
        let server = try ServeProcess(["--token", "bench-secret"])
        let url = "http://127.0.0.1:\(server.port)"
        let run = try CLI.run([
            "bench", "frames", "--url", url, "--token", "bench-secret", "--frames", "60", "--users", "4",
            "--overlap", "2", "--until-done", "--think-ms", "2", "--probes", "2", "--task", "http",
        ])
        #expect(run.status == 0, "\(run.stderrText)")
        let report = try #require(try ExactJSON.parse(Data(run.stdout)) as? [String: Any], "\(run.stdoutText)")
        // 60 units, overlap 2: 120 submissions, each after its next(); at least four more
        // next() calls answer done (and any answered "locked" near the end count too).
        #expect((JSONNumber.integer(report["operations"]) ?? 0) >= 120 * 2 + 4)
        #expect(JSONNumber.integer(report["frames"]) == 60)
        #expect(JSONNumber.integer(report["replicas"]) == 1)
        #expect(JSONNumber.finite(report["healthz_p99_ms"]) != nil)
        #expect(JSONNumber.finite(report["import_s"]) != nil && JSONNumber.finite(report["create_s"]) != nil)
        // The service agrees: every unit complete, twice.
        var request = URLRequest(url: URL(string: url + "/frames/tasks/http")!)
        request.setValue("Bearer bench-secret", forHTTPHeaderField: "Authorization")
        let body = Mutex<Data?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, _ in
            body.withLock { $0 = data }
            done.signal()
        }.resume()
        done.wait()
        let task = try #require(try ExactJSON.parse(body.withLock { $0 } ?? Data()) as? [String: Any])
        let label = try #require(task["label"] as? [String: Any])
        #expect(JSONNumber.integer(label["complete"]) == 60 && JSONNumber.integer(label["submitted"]) == 120)
        // Without the token the calls are refused, and the bench says so.
        let status = try CLI.run([
            "bench", "frames", "--url", url, "--frames", "60", "--users", "1", "--requests", "1", "--task", "http",
        ])
        #expect(status.status == 1)
        #expect(status.stderrText.contains("HTTP 401"), "\(status.stderrText)")
    }

    @Test("--url takes no --db or --replicas; --probes needs --url")
    func arguments() throws {
        for args in [
            ["--url", "http://127.0.0.1:1", "--db", "x.sqlite"], ["--url", "http://127.0.0.1:1", "--replicas", "2"],
            ["--probes", "3"],
        ] {
            let run = try CLI.run(["bench", "frames"] + args)
            #expect(run.status == 2, "\(args): \(run.stderrText)")
        }
    }
}
