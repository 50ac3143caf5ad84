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
}
