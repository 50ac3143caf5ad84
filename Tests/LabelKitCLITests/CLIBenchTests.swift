import Foundation
import Testing

/// `labelkit bench rle ...` prints one JSON object with op, input, runs, median_s, min_s.
@Suite("labelkit bench")
struct CLIBenchTests {
    static func check(_ out: CLI.Output, op: String, input: String, runs: Int) throws {
        #expect(out.status == 0, "stderr: \(out.stderrText)")
        #expect(out.stdoutText.split(separator: "\n").count == 1)
        let json = try JSON.object(out.stdout)
        #expect(Set(json.keys) == ["op", "input", "runs", "median_s", "min_s"])
        #expect(json["op"] as? String == op)
        #expect(json["input"] as? String == input)
        #expect(json["runs"] as? Int == runs)
        let median = try #require((json["median_s"] as? NSNumber)?.doubleValue)
        let minimum = try #require((json["min_s"] as? NSNumber)?.doubleValue)
        #expect(minimum >= 0)
        #expect(median >= minimum)
        #expect(median < 60)
    }

    @Test("bench rle encode prints its timing JSON", arguments: ["ls", "coco"])
    func encode(_ format: String) throws {
        let input = Fixtures.path("ls_rle/blob_640x480_a.png")
        let out = try CLI.run(["bench", "rle", "encode", "--format", format, input, "--runs", "5"])
        try Self.check(out, op: "rle.encode.\(format)", input: input, runs: 5)
    }

    @Test("bench rle decode, merge and iou print their timing JSON")
    func otherOperations() throws {
        let ls = Fixtures.path("ls_rle/blob_640x480_a.json")
        try Self.check(
            try CLI.run(["bench", "rle", "decode", "--format", "ls", ls, "--runs", "2"]),
            op: "rle.decode.ls", input: ls, runs: 2)
        let coco = Fixtures.path("coco_rle/masks/blob_640x480_a.json")
        try Self.check(
            try CLI.run(["bench", "rle", "decode", "--format", "coco", coco, "--runs", "2"]),
            op: "rle.decode.coco", input: coco, runs: 2)
        let dir = try TempDir()
        let list = dir.path("list.json")
        try Data(
            #"[{"size":[4,5],"counts":"522000OO2"},{"size":[4,5],"counts":[0,20]},{"size":[4,5],"counts":[20]}]"#.utf8
        ).write(to: URL(fileURLWithPath: list))
        try Self.check(
            try CLI.run(["bench", "rle", "merge", "--format", "coco", list, "--runs", "2"]),
            op: "rle.merge.coco", input: list, runs: 2)
        try Self.check(
            try CLI.run(["bench", "rle", "iou", "--format", "coco", list, "--gt", list, "--runs", "2"]),
            op: "rle.iou.coco", input: list, runs: 2)
    }
}
