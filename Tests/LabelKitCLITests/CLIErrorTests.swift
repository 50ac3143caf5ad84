import Foundation
import Testing

/// Bad input: exit code 2 and exactly one line on stderr, nothing on stdout.
@Suite("labelkit error reporting")
struct CLIErrorTests {
    static func expectOneLineFailure(_ out: CLI.Output, mentioning fragment: String? = nil) {
        #expect(out.status == 2, "stderr: \(out.stderrText)")
        #expect(out.stderrText.hasSuffix("\n"))
        #expect(out.stderrLines.count == 1, "stderr: \(out.stderrText)")
        #expect(out.stderrText.hasPrefix("labelkit: error: "), "stderr: \(out.stderrText)")
        #expect(out.stdout.isEmpty)
        if let fragment { #expect(out.stderrText.contains(fragment), "stderr: \(out.stderrText)") }
    }

    /// Writes `contents` to a file in `dir` and returns its path.
    static func file(_ dir: TempDir, _ name: String, _ contents: String) throws -> String {
        let path = dir.path(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a missing input file")
    func missingFile() throws {
        let dir = try TempDir()
        let missing = dir.path("does-not-exist.png")
        Self.expectOneLineFailure(try CLI.run(["rle", "encode", "--format", "ls", missing]), mentioning: missing)
        Self.expectOneLineFailure(try CLI.run(["rle", "encode", "--format", "coco", missing]), mentioning: missing)
        Self.expectOneLineFailure(
            try CLI.run(["rle", "decode", "--format", "ls", dir.path("x.json"), "-o", dir.path("o.png")]))
        Self.expectOneLineFailure(try CLI.run(["rle", "convert", "--from", "coco", "--to", "ls", dir.path("x.json")]))
        #expect(!FileManager.default.fileExists(atPath: dir.path("o.png")))
    }

    @Test("invalid JSON", arguments: ["{", "not json", "", "[1,2", #"{"rle": [1, 2, 300], "width": 1, "height": 1}"#])
    func invalidJSON(_ text: String) throws {
        let dir = try TempDir()
        let path = try Self.file(dir, "bad.json", text)
        Self.expectOneLineFailure(
            try CLI.run(["rle", "decode", "--format", "ls", path, "-o", dir.path("o.png")]), mentioning: path)
        Self.expectOneLineFailure(try CLI.run(["rle", "convert", "--from", "ls", "--to", "coco", path]), mentioning: path)
        Self.expectOneLineFailure(
            try CLI.run(["rle", "decode", "--format", "coco", path, "-o", dir.path("o.png")]), mentioning: path)
        #expect(!FileManager.default.fileExists(atPath: dir.path("o.png")))
    }

    @Test("a truncated Label Studio RLE")
    func truncatedRLE() throws {
        let fixture = try Fixtures.json("ls_rle/odd_7x5.json")
        let rle = try #require(JSON.ints(fixture["rle"]))
        let dir = try TempDir()
        let path = try Self.file(
            dir, "truncated.json",
            #"{"rle":[\#(rle.prefix(rle.count / 2).map(String.init).joined(separator: ","))],"width":7,"height":5}"#)
        Self.expectOneLineFailure(
            try CLI.run(["rle", "decode", "--format", "ls", path, "-o", dir.path("o.png")]), mentioning: "truncated")
        Self.expectOneLineFailure(
            try CLI.run(["rle", "convert", "--from", "ls", "--to", "coco", path]), mentioning: "truncated")
        #expect(!FileManager.default.fileExists(atPath: dir.path("o.png")))
    }

    @Test("a Label Studio RLE whose size does not match")
    func wrongSize() throws {
        let fixture = try Fixtures.json("ls_rle/odd_7x5.json")
        let rle = try #require(JSON.ints(fixture["rle"]))
        let dir = try TempDir()
        let swapped = try Self.file(
            dir, "wrong2.json", #"{"rle":[\#(rle.map(String.init).joined(separator: ","))],"width":8,"height":5}"#)
        Self.expectOneLineFailure(try CLI.run(["rle", "decode", "--format", "ls", swapped, "-o", dir.path("o.png")]))
    }

    @Test("malformed COCO counts")
    func badCOCO() throws {
        let dir = try TempDir()
        for (i, text) in [
            #"{"size":[3,3],"counts":"8"}"#, #"{"size":[3,3],"counts":"9/"}"#, #"{"size":[3],"counts":"9"}"#,
            #"{"size":[3,3]}"#, #"{"size":[3,3],"counts":[1,2]}"#,
        ].enumerated() {
            let path = try Self.file(dir, "bad\(i).json", text)
            Self.expectOneLineFailure(
                try CLI.run(["rle", "decode", "--format", "coco", path, "-o", dir.path("o.png")]), mentioning: path)
        }
    }

    @Test("input that is not a PNG")
    func notPNG() throws {
        let dir = try TempDir()
        let text = try Self.file(dir, "mask.png", "this is not a PNG file\n")
        Self.expectOneLineFailure(try CLI.run(["rle", "encode", "--format", "ls", text]), mentioning: text)
        Self.expectOneLineFailure(try CLI.run(["rle", "encode", "--format", "coco", text]), mentioning: text)
        // A PNG cut in half.
        let png = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("ls_rle/blob_640x480_a.png")))
        let half = dir.path("half.png")
        try png.prefix(png.count / 2).write(to: URL(fileURLWithPath: half))
        Self.expectOneLineFailure(try CLI.run(["rle", "encode", "--format", "ls", half]), mentioning: half)
        Self.expectOneLineFailure(
            try CLI.run(["bench", "rle", "encode", "--format", "coco", half, "--runs", "1"]), mentioning: half)
    }

    @Test("converting a format to itself is refused")
    func sameFormat() throws {
        Self.expectOneLineFailure(
            try CLI.run(["rle", "convert", "--from", "ls", "--to", "ls", Fixtures.path("ls_rle/odd_7x5.json")]))
    }

    @Test("unusable arguments exit with code 2")
    func badArguments() throws {
        for args in [
            ["rle", "encode", "--format", "xyz", Fixtures.path("ls_rle/odd_7x5.png")],
            ["rle", "encode", Fixtures.path("ls_rle/odd_7x5.png")],
            ["bench", "rle", "encode", "--format", "ls", Fixtures.path("ls_rle/odd_7x5.png"), "--runs", "0"],
            ["bench", "rle", "merge", "--format", "ls", Fixtures.path("ls_rle/odd_7x5.json")],
        ] {
            let out = try CLI.run(args)
            #expect(out.status == 2, "\(args): \(out.stderrText)")
            #expect(!out.stderr.isEmpty)
            #expect(out.stdout.isEmpty)
        }
    }
}
