import Foundation
import Testing

@Suite("labelkit frames")
struct CLIFramesTests {
    @Test("import, create, next in pieces, status: the stream continues across calls")
    func stream() throws {
        let dir = try TempDir()
        let db = dir.url.appendingPathComponent("frames.sqlite").path
        let framesFile = dir.url.appendingPathComponent("frames.json")
        let frames = (0..<12).map { i -> [String: Any] in
            ["id": "f\(i)", "context_id": "v\(i / 4)", "timestamp_ms": i % 4 * 40, "labels": i % 2 == 0 ? ["car"] : []]
        }
        try JSONSerialization.data(withJSONObject: frames).write(to: framesFile)
        let imported = try CLI.run(["frames", "import", "--db", db, framesFile.path])
        #expect(imported.status == 0 && imported.stdoutText.contains("\"imported\":12"))
        let created = try CLI.run([
            "frames", "create", "--db", db, "--id", "t1", "--order", "random", "--seed", "0", "--clip", "2", "--limit", "9",
        ])
        #expect(created.status == 0)
        var ids: [String] = []
        for _ in 0..<5 {
            let next = try CLI.run(["frames", "next", "--db", db, "--task", "t1", "--count", "4"])
            #expect(next.status == 0)
            let items = try #require(try JSONSerialization.jsonObject(with: next.stdout) as? [[String: Any]])
            ids += items.compactMap { ($0["frame"] as? [String: Any])?["id"] as? String }
        }
        #expect(ids.count == 9 && Set(ids).count == 9)
        let status = try CLI.run(["frames", "status", "--db", db, "--task", "t1"])
        #expect(status.status == 0 && status.stdoutText.contains("\"seed\":0"))
        let missing = try CLI.run(["frames", "next", "--db", db, "--task", "nope"])
        #expect(missing.status == 2 && missing.stderrText.contains("nope"))
        let again = try CLI.run(["frames", "import", "--db", db, framesFile.path])
        #expect(again.status == 2 && again.stderrText.contains("f0"))
    }

    /// Parses one JSON object from stdout.
    static func object(_ output: CLI.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "\(output.stdoutText)")
    }

    @Test("label stream from the command line: next, heartbeat, submit, skip, postpone, status; conflicts exit 2")
    func labelStream() throws {
        let dir = try TempDir()
        let db = dir.path("frames.sqlite")
        let video = dir.path("video.json")
        try #"[{"video": "drive.mp4", "fps": 25, "frame_count": 4, "width": 1920, "height": 1080}]"#
            .write(toFile: video, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["frames", "import", "--db", db, video]).stdoutText.contains("\"imported\":4"))
        let created = try CLI.run([
            "frames", "create", "--db", db, "--id", "t", "--overlap", "2", "--skip-mode", "requeue-for-me", "--lock-ttl", "600",
        ])
        #expect(created.status == 0, "\(created.stderrText)")
        let first = try Self.object(try CLI.run(["frames", "next", "--db", db, "--task", "t", "--user", "alice"]))
        #expect(first["status"] as? String == "unit" && first["unit"] as? Int == 0 && first["reason"] as? String == "queue")
        let frames = try #require(first["frames"] as? [[String: Any]])
        #expect(frames.first?["id"] as? String == "drive.mp4#0" && frames.first?["timestamp_ms"] as? Int == 0)
        let beat = try Self.object(try CLI.run(["frames", "heartbeat", "--db", db, "--task", "t", "--user", "alice", "--unit", "0"]))
        #expect((beat["locked_until"] as? Double ?? 0) > Date().timeIntervalSince1970 + 590)
        let result = dir.path("result.json")
        try #"{"result": []}"#.write(toFile: result, atomically: true, encoding: .utf8)
        let submitted = try CLI.run(["frames", "submit", "--db", db, "--task", "t", "--user", "alice", "--unit", "0", "--result", result])
        #expect(submitted.status == 0 && submitted.stdoutText.contains("\"submitted\":0"))
        let twice = try CLI.run(["frames", "submit", "--db", db, "--task", "t", "--user", "alice", "--unit", "0"])
        #expect(twice.status == 2 && twice.stderrText.contains("already submitted unit 0"))
        let lost = try CLI.run(["frames", "heartbeat", "--db", db, "--task", "t", "--user", "alice", "--unit", "0"])
        #expect(lost.status == 2 && lost.stderrText.contains("no lock"))
        #expect(try CLI.run(["frames", "skip", "--db", db, "--task", "t", "--user", "alice", "--unit", "1"]).status == 0)
        #expect(try CLI.run(["frames", "postpone", "--db", db, "--task", "t", "--user", "alice", "--unit", "2"]).status == 0)
        let status = try Self.object(try CLI.run(["frames", "status", "--db", db, "--task", "t", "--user", "alice"]))
        let label = try #require(status["label"] as? [String: Any])
        #expect(label["submitted"] as? Int == 1 && label["skipped"] as? Int == 1 && label["postponed"] as? Int == 1)
        #expect(label["remaining_for_user"] as? Int == 3)
        #expect((status["task"] as? [String: Any])?["id"] as? String == "t")
        let badUnit = try CLI.run(["frames", "skip", "--db", db, "--task", "t", "--user", "alice", "--unit", "99"])
        #expect(badUnit.status == 2 && badUnit.stderrText.contains("unit 99"))
        let badWhere = try CLI.run(["frames", "create", "--db", db, "--where", "speed>fast"])
        #expect(badWhere.status == 2 && badWhere.stderrText.contains("compares numbers"))
    }

    @Test("a Label Studio export imports as frames; --label and --where select from it")
    func labelStudioImport() throws {
        let dir = try TempDir()
        let db = dir.path("frames.sqlite")
        let export = dir.path("export.json")
        try #"""
            [{"id": 7, "data": {"image": "s3://b/a.jpg", "weather": "rain", "speed": 42},
              "annotations": [{"id": 1, "result": [{"type": "rectanglelabels", "original_width": 640, "original_height": 480,
                "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["car"]}}]}]},
             {"id": 8, "data": {"image": "s3://b/b.jpg", "weather": "sun", "speed": 12}, "annotations": []}]
            """#.write(toFile: export, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["frames", "import", "--db", db, export]).stdoutText.contains("\"imported\":2"))
        let cars = try Self.object(try CLI.run(["frames", "create", "--db", db, "--label", "car"]))
        #expect(cars["frameCount"] as? Int == 1)
        let fast = try Self.object(try CLI.run(["frames", "create", "--db", db, "--where", "speed>=20", "--where", "weather!=sun"]))
        #expect(fast["frameCount"] as? Int == 1)
        let empty = try Self.object(try CLI.run(["frames", "create", "--db", db, "--id", "e", "--filter", "empty"]))
        #expect(empty["frameCount"] as? Int == 1)
        let next = try CLI.run(["frames", "next", "--db", db, "--task", "e", "--count", "5"])
        let items = try #require(try JSONSerialization.jsonObject(with: next.stdout) as? [[String: Any]])
        #expect((items.first?["frame"] as? [String: Any])?["id"] as? String == "8")
        let broken = dir.path("broken.jsonl")
        try "{\"id\": \"a\"}\nnot json\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["frames", "import", "--db", db, broken])
        #expect(refused.status == 2 && refused.stderrText.contains("line 2"))
    }
}
