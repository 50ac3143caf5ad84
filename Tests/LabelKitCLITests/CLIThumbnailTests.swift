import Foundation
import LabelKitImaging
import Testing

/// `labelkit thumbnail`: sizes per fit mode, output formats, limits and bad input.
@Suite("labelkit thumbnail")
struct CLIThumbnailTests {
    static let photo = Fixtures.path("imaging/quality/photo_1200x800.jpg")

    static func header(_ path: String) throws -> ImageHeader {
        try ImageHeader([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test("sizes for each fit mode and single-side targets", arguments: [
        (["--size", "256"], 256, 171), (["--size", "256", "--fit", "fill"], 256, 256),
        (["--size", "256", "--fit", "force"], 256, 256), (["--size", "256", "--height", "128"], 192, 128),
        (["--size", "256", "--height", "128", "--fit", "fill"], 256, 128), (["--width", "300"], 300, 200),
        (["--height", "100"], 150, 100), (["--width", "100", "--height", "100", "--fit", "force"], 100, 100),
    ])
    func sizes(args: [String], width: Int, height: Int) throws {
        let dir = try TempDir()
        let out = dir.path("t.jpg")
        let result = try CLI.run(["thumbnail", Self.photo] + args + ["-o", out])
        #expect(result.status == 0, "stderr: \(result.stderrText)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
        let header = try Self.header(out)
        #expect(header.format == .jpeg && header.width == width && header.height == height)
    }

    @Test("PNG output, quality and EXIF orientation")
    func formats() throws {
        let dir = try TempDir()
        let png = dir.path("t.png")
        #expect(try CLI.run(["thumbnail", Self.photo, "--size", "64", "--compression", "9", "-o", png]).status == 0)
        let header = try Self.header(png)
        #expect(header.format == .png && header.width == 64 && header.height == 43 && header.channels == 3)
        let low = dir.path("low.jpg"), high = dir.path("high.jpg")
        #expect(try CLI.run(["thumbnail", Self.photo, "--size", "200", "--quality", "20", "-o", low]).status == 0)
        #expect(try CLI.run(["thumbnail", Self.photo, "--size", "200", "--quality", "95", "-o", high]).status == 0)
        let lowSize = try FileManager.default.attributesOfItem(atPath: low)[.size] as? Int ?? 0
        let highSize = try FileManager.default.attributesOfItem(atPath: high)[.size] as? Int ?? 0
        #expect(lowSize > 0 && lowSize < highSize)
        // Stored 40 x 24 with orientation 6: the thumbnail is upright, 12 x 20.
        let rotated = dir.path("r.png")
        let result = try CLI.run(["thumbnail", Fixtures.path("imaging/orientation/o6_be.jpg"), "--size", "20", "-o", rotated])
        #expect(result.status == 0)
        let r = try Self.header(rotated)
        #expect(r.width == 12 && r.height == 20)
    }

    @Test("a decompression bomb is refused with the size and the limit")
    func bomb() throws {
        let dir = try TempDir()
        let out = dir.path("t.jpg")
        let result = try CLI.run(["thumbnail", Fixtures.path("imaging/bomb_100000x100000.png"), "--size", "64", "-o", out])
        CLIErrorTests.expectOneLineFailure(result, mentioning: "100000x100000")
        #expect(result.stderrText.contains("50000000"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let limited = try CLI.run(["thumbnail", Self.photo, "--size", "64", "--max-source-pixels", "1000", "-o", out])
        CLIErrorTests.expectOneLineFailure(limited, mentioning: "1200x800")
    }

    @Test("bad arguments and bad files exit 2 with one line", arguments: [
        ["--size", "0"], ["--size", "64", "--quality", "0"], ["--size", "64", "--quality", "101"],
        ["--size", "64", "--fit", "stretch"], ["--size", "64", "--compression", "10"], [],
        ["--size", "64", "--max-source-pixels", "0"],
    ])
    func badArguments(args: [String]) throws {
        let dir = try TempDir()
        CLIErrorTests.expectOneLineFailure(try CLI.run(["thumbnail", Self.photo] + args + ["-o", dir.path("t.jpg")]))
    }

    @Test("bad inputs and outputs")
    func badFiles() throws {
        let dir = try TempDir()
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["thumbnail", Self.photo, "--size", "64", "-o", dir.path("t.gif")]), mentioning: "t.gif")
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["thumbnail", Fixtures.path("imaging/png/truncated.png"), "--size", "64", "-o", dir.path("t.png")]),
            mentioning: "truncated.png")
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["thumbnail", dir.path("missing.jpg"), "--size", "64", "-o", dir.path("t.png")]),
            mentioning: "missing.jpg")
        let text = dir.path("not-an-image.jpg")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["thumbnail", text, "--size", "64", "-o", dir.path("t.png")]), mentioning: "not a PNG or JPEG")
    }

    @Test("--help shows an example for every flag")
    func help() throws {
        let result = try CLI.run(["thumbnail", "--help"])
        #expect(result.status == 0)
        for flag in ["--size", "--width", "--height", "--fit", "--quality", "--compression", "--max-source-pixels", "-o"] {
            #expect(result.stdoutText.contains("labelkit thumbnail") && result.stdoutText.contains(flag), "\(flag)")
        }
    }
}
