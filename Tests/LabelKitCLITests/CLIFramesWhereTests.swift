import Foundation
import Testing

/// `labelkit frames create --where`: ordering comparisons take finite numbers only.
@Suite("labelkit frames create --where")
struct CLIFramesWhereTests {
    @Test("non-finite numbers exit 2 naming the condition", arguments: ["speed>=1e400", "speed>=NaN", "speed<-inf"])
    func refusesNonFinite(_ condition: String) throws {
        let dir = try TempDir()
        let result = try CLI.run(["frames", "create", "--db", dir.path("frames.sqlite"), "--where", condition])
        #expect(result.status == 2, "\(result.stderrText)")
        #expect(result.stderrText.contains(condition) && result.stderrText.contains("finite"), "\(result.stderrText)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a finite bound and a text comparison with NaN still create the task")
    func acceptsFinite() throws {
        let dir = try TempDir()
        let result = try CLI.run([
            "frames", "create", "--db", dir.path("frames.sqlite"), "--where", "speed>=1e300", "--where", "note!=NaN",
        ])
        #expect(result.status == 0, "\(result.stderrText)")
    }
}
