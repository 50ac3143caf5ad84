import Foundation
import Testing

/// `labelkit thumbnail` and `labelkit tiles` refuse scan bombs (`--max-jpeg-scans`).
@Suite("labelkit scan bombs")
struct CLIScanBombTests {
    static let bomb = Fixtures.path("hostile/scan-bomb-2000.jpg")

    @Test("thumbnail refuses a 2,000-scan JPEG with exit 2, naming the limit")
    func thumbnail() throws {
        let dir = try TempDir()
        let out = dir.path("t.jpg")
        let result = try CLI.run(["thumbnail", Self.bomb, "--size", "64", "-o", out])
        CLIErrorTests.expectOneLineFailure(result, mentioning: "more than 500 scans")
        #expect(result.stderrText.contains("--max-jpeg-scans"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let lower = try CLI.run(["thumbnail", Self.bomb, "--size", "64", "--max-jpeg-scans", "20", "-o", out])
        CLIErrorTests.expectOneLineFailure(lower, mentioning: "more than 20 scans")
        let raised = try CLI.run(["thumbnail", Self.bomb, "--size", "64", "--max-jpeg-scans", "2000", "-o", out])
        #expect(raised.status == 0, "stderr: \(raised.stderrText)")
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["thumbnail", Self.bomb, "--size", "64", "--max-jpeg-scans", "0", "-o", out]),
            mentioning: "--max-jpeg-scans")
    }

    @Test("tiles refuses a 2,000-scan JPEG with exit 2 and writes nothing")
    func tiles() throws {
        let dir = try TempDir()
        let out = dir.path("pyramid")
        let result = try CLI.run(["tiles", Self.bomb, "--layout", "xyz", "-o", out, "--quiet"])
        CLIErrorTests.expectOneLineFailure(result, mentioning: "more than 500 scans")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }

    @Test("--help shows the flag with an example", arguments: ["thumbnail", "tiles"])
    func help(command: String) throws {
        let result = try CLI.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("--max-jpeg-scans 100"))
    }
}
