import Foundation
import LabelKitImaging
import Testing

/// `labelkit tiles`: Deep Zoom, XYZ and IIIF level-0 pyramids of a 1000 x 700 image.
@Suite("labelkit tiles")
struct CLITilesTests {
    static let width = 1000, height = 700

    /// A deterministic RGB test image: gradients plus a pattern, so that every
    /// crop and every 2x2 mean is distinguishable.
    static let source: Image = {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let o = (y * width + x) * 3
                pixels[o] = UInt8(x * 255 / (width - 1))
                pixels[o + 1] = UInt8(y * 255 / (height - 1))
                pixels[o + 2] = UInt8(truncatingIfNeeded: (x / 7 + y / 5) * 37)
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }()

    /// The source written as a (lossless) PNG into `dir`.
    static func sourceFile(_ dir: TempDir, name: String = "photo.png") throws -> String {
        let path = dir.path(name)
        try Data(try PNGCodec.encode(source)).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func decode(_ path: String) throws -> Image {
        try ImageCodec.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Every file under `root`, as sorted relative paths.
    static func files(_ root: String) -> [String] {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var result: [String] = []
        while let item = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + item, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result.append(item)
            }
        }
        return result.sorted()
    }

    // Deep Zoom levels of a 1000 x 700 image by the spec's formulas (T = 254, O = 1):
    // maxLevel = ceil(log2(1000)) = 10; level L is ceil(1000 / 2^(10-L)) x ceil(700 / 2^(10-L));
    // columns = ceil(W_L / 254), rows = ceil(H_L / 254).
    static let dziLevels: [(level: Int, width: Int, height: Int, columns: Int, rows: Int)] = [
        (10, 1000, 700, 4, 3), (9, 500, 350, 2, 2), (8, 250, 175, 1, 1), (7, 125, 88, 1, 1), (6, 63, 44, 1, 1),
        (5, 32, 22, 1, 1), (4, 16, 11, 1, 1), (3, 8, 6, 1, 1), (2, 4, 3, 1, 1), (1, 2, 2, 1, 1), (0, 1, 1, 1, 1),
    ]

    // Tile spans x0 = c*254 - (c > 0 ? 1 : 0), x1 = min(W_L, (c+1)*254 + 1), as widths.
    static let level10Widths = [255, 256, 256, 239]  // [0,255) [253,509) [507,763) [761,1000)
    static let level10Heights = [255, 256, 193]  // [0,255) [253,509) [507,700)
    static let level9Widths = [255, 247]  // [0,255) [253,500)
    static let level9Heights = [255, 97]  // [0,255) [253,350)

    @Test("dzi: descriptor, tile count and size of every tile per level")
    func deepZoomLevels() throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        let out = dir.path("out")
        let result = try CLI.run(["tiles", src, "--layout", "dzi", "-o", out])
        #expect(result.status == 0, "stderr: \(result.stderrText)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains("wrote 25 tiles (11 levels, 1000x700)"), "\(result.stderrText)")
        // Only the pyramid is left in the output folder (no staging folder).
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["photo.dzi", "photo_files"])
        let dzi = try String(contentsOfFile: out + "/photo.dzi", encoding: .utf8)
        for fragment in [
            "xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"", "TileSize=\"254\"", "Overlap=\"1\"",
            "Format=\"jpg\"", "Width=\"1000\"", "Height=\"700\"",
        ] {
            #expect(dzi.contains(fragment), "\(fragment)")
        }
        let files = Self.files(out + "/photo_files")
        #expect(files.count == Self.dziLevels.reduce(0) { $0 + $1.columns * $1.rows })
        for level in Self.dziLevels {
            let names = try FileManager.default.contentsOfDirectory(atPath: "\(out)/photo_files/\(level.level)")
            #expect(names.count == level.columns * level.rows, "level \(level.level)")
            for c in 0..<level.columns {
                for r in 0..<level.rows {
                    let header = try CLIThumbnailTests.header("\(out)/photo_files/\(level.level)/\(c)_\(r).jpg")
                    let expectedWidth: Int, expectedHeight: Int
                    switch level.level {
                    case 10: (expectedWidth, expectedHeight) = (Self.level10Widths[c], Self.level10Heights[r])
                    case 9: (expectedWidth, expectedHeight) = (Self.level9Widths[c], Self.level9Heights[r])
                    default: (expectedWidth, expectedHeight) = (level.width, level.height)  // one tile
                    }
                    #expect(header.format == .jpeg)
                    #expect(
                        header.width == expectedWidth && header.height == expectedHeight,
                        "level \(level.level) tile \(c)_\(r): \(header.width)x\(header.height)")
                }
            }
        }
    }

    @Test("dzi: tiles hold the source pixels (png exact, jpg close) and the 2x2 means below")
    func deepZoomPixels() throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        let png = dir.path("png"), jpg = dir.path("jpg")
        #expect(try CLI.run(["tiles", src, "--layout", "dzi", "-o", png, "--format", "png", "--quiet"]).status == 0)
        #expect(try CLI.run(["tiles", src, "--layout", "dzi", "-o", jpg, "--quiet", "--jobs", "1"]).status == 0)
        // Interior tile (1, 1) at level 10 covers x, y in [253, 509).
        let tile = try Self.decode(png + "/photo_files/10/1_1.png")
        #expect(tile == Self.source.cropped(x: 253, y: 253, width: 256, height: 256))
        // Edge tile (3, 2): x in [761, 1000), y in [507, 700).
        let edge = try Self.decode(png + "/photo_files/10/3_2.png")
        #expect(edge == Self.source.cropped(x: 761, y: 507, width: 239, height: 193))
        // Level 9 tile (1, 0): x in [253, 500), y in [0, 255) of the half-size level,
        // each pixel the rounded mean of a 2x2 source block.
        let half = try Self.decode(png + "/photo_files/9/1_0.png")
        #expect(half.width == 247 && half.height == 255)
        for (x, y) in [(0, 0), (100, 50), (246, 254), (123, 200)] {
            for k in 0..<3 {
                let sx = 2 * (253 + x), sy = 2 * y
                var sum = 0
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    sum += Int(Self.source.pixels[((sy + dy) * Self.width + sx + dx) * 3 + k])
                }
                #expect(Int(half.pixels[(y * half.width + x) * 3 + k]) == (sum + 2) / 4, "(\(x), \(y)) channel \(k)")
            }
        }
        // The JPEG edge tile is close to the source (quality 85) in the smooth red and
        // green gradients (blue holds a hard-edged pattern).
        let lossy = try Self.decode(jpg + "/photo_files/10/3_2.jpg")
        let exact = Self.source.cropped(x: 761, y: 507, width: 239, height: 193)
        #expect(lossy.width == exact.width && lossy.height == exact.height)
        var error = 0
        for i in stride(from: 0, to: exact.pixels.count, by: 3) {
            error +=
                abs(Int(lossy.pixels[i]) - Int(exact.pixels[i]))
                + abs(Int(lossy.pixels[i + 1]) - Int(exact.pixels[i + 1]))
        }
        let mean = Double(error) / Double(exact.width * exact.height * 2)
        #expect(mean < 3, "mean abs error \(mean)")
    }

    @Test("xyz: 256 px png tiles, zmax = ceil(log2(1000 / 256)) = 2, partial edge tiles")
    func xyz() throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        let out = dir.path("xyz")
        #expect(try CLI.run(["tiles", src, "--layout", "xyz", "-o", out, "--quiet"]).status == 0)
        // z2: 1000x700 -> 4x3; z1: 500x350 -> 2x2; z0: 250x175 -> 1.
        var expected: [String] = ["0/0/0.png"]
        for x in 0..<2 { for y in 0..<2 { expected.append("1/\(x)/\(y).png") } }
        for x in 0..<4 { for y in 0..<3 { expected.append("2/\(x)/\(y).png") } }
        #expect(Self.files(out) == expected.sorted())
        for (path, w, h) in [
            ("2/3/2.png", 1000 - 768, 700 - 512), ("2/0/0.png", 256, 256), ("1/1/1.png", 244, 94),
            ("0/0/0.png", 250, 175),
        ] {
            let header = try CLIThumbnailTests.header(out + "/" + path)
            #expect(header.format == .png && header.width == w && header.height == h, "\(path)")
        }
        #expect(try Self.decode(out + "/2/1/2.png") == Self.source.cropped(x: 256, y: 512, width: 256, height: 188))
    }

    @Test("iiif: level-0 info.json and libvips' iiif3 file names")
    func iiif() throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        let out = dir.path("iiif")
        #expect(try CLI.run(["tiles", src, "--layout", "iiif", "-o", out, "--quiet"]).status == 0)
        // Scale 1: 4x3 tiles of 256; scale 2 (500x350): 2x2; scale 4 (250x175): one tile.
        // Region in full-size pixels, size in the level's pixels (spec 1.10).
        var expected = ["info.json", "0,0,1000,700/250,175/0/default.jpg"]
        for (x, w) in [(0, 256), (256, 256), (512, 256), (768, 232)] {
            for (y, h) in [(0, 256), (256, 256), (512, 188)] {
                expected.append("\(x),\(y),\(w),\(h)/\(w),\(h)/0/default.jpg")
            }
        }
        for (x, w) in [(0, 512), (512, 488)] {
            for (y, h) in [(0, 512), (512, 188)] {
                expected.append("\(x),\(y),\(w),\(h)/\((w + 1) / 2),\((h + 1) / 2)/0/default.jpg")
            }
        }
        #expect(Self.files(out) == expected.sorted())
        let info = try JSON.object(Data(contentsOf: URL(fileURLWithPath: out + "/info.json")))
        #expect(info["id"] as? String == "http://localhost:8080/iiif/3/photo")
        #expect(info["type"] as? String == "ImageService3" && info["profile"] as? String == "level0")
        #expect(info["@context"] as? String == "http://iiif.io/api/image/3/context.json")
        #expect((info["width"] as? NSNumber)?.intValue == 1000 && (info["height"] as? NSNumber)?.intValue == 700)
        let tiles = info["tiles"] as? [[String: Any]]
        #expect(JSON.ints(tiles?.first?["scaleFactors"]) == [1, 2, 4])
        #expect((tiles?.first?["width"] as? NSNumber)?.intValue == 256)
        let header = try CLIThumbnailTests.header(out + "/512,0,488,512/244,256/0/default.jpg")
        #expect(header.width == 244 && header.height == 256)

        let custom = dir.path("iiif2")
        let result = try CLI.run([
            "tiles", src, "--layout", "iiif", "-o", custom, "--quiet", "--base-url", "https://example.org/iiif/p",
            "--tile-size", "512",
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        let info2 = try JSON.object(Data(contentsOf: URL(fileURLWithPath: custom + "/info.json")))
        #expect(info2["id"] as? String == "https://example.org/iiif/p")
        #expect(JSON.ints((info2["tiles"] as? [[String: Any]])?.first?["scaleFactors"]) == [1, 2])
    }

    @Test("an existing pyramid is replaced only with --force, leaving no staging folder")
    func force() throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        let out = dir.path("out")
        #expect(try CLI.run(["tiles", src, "--layout", "dzi", "-o", out, "--quiet"]).status == 0)
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["tiles", src, "--layout", "dzi", "-o", out, "--quiet"]), mentioning: "--force")
        let again = try CLI.run([
            "tiles", src, "--layout", "dzi", "-o", out, "--quiet", "--force", "--tile-size", "510",
        ])
        #expect(again.status == 0, "\(again.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["photo.dzi", "photo_files"])
        #expect(try String(contentsOfFile: out + "/photo.dzi", encoding: .utf8).contains("TileSize=\"510\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/photo_files/10").count == 2 * 2)

        let xyz = dir.path("xyz")
        #expect(try CLI.run(["tiles", src, "--layout", "xyz", "-o", xyz, "--quiet"]).status == 0)
        CLIErrorTests.expectOneLineFailure(try CLI.run(["tiles", src, "--layout", "xyz", "-o", xyz, "--quiet"]))
        #expect(try CLI.run(["tiles", src, "--layout", "xyz", "-o", xyz, "--quiet", "--force"]).status == 0)
        #expect(Self.files(xyz).count == 17)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test(
        "bad arguments and bad files exit 2 with one line",
        arguments: [
            ["--layout", "tms"], ["--layout", "dzi", "--quality", "0"], ["--layout", "dzi", "--quality", "101"],
            ["--layout", "xyz", "--overlap", "1"], ["--layout", "dzi", "--tile-size", "0"],
            ["--layout", "dzi", "--overlap", "254"], ["--layout", "dzi", "--jobs", "0"],
            ["--layout", "dzi", "--format", "gif"],
            ["--layout", "dzi", "--base-url", "http://x/y"], ["--layout", "iiif", "--base-url", "http://x/y/"],
            ["--layout", "dzi", "--name", "a/b"], ["--layout", "dzi", "--max-source-pixels", "1000"],
        ])
    func badArguments(args: [String]) throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        let result = try CLI.run(["tiles", src] + args + ["-o", dir.path("out")])
        CLIErrorTests.expectOneLineFailure(result)
        #expect(!FileManager.default.fileExists(atPath: dir.path("out/photo.dzi")))
    }

    @Test("missing, corrupt and non-image inputs exit 2")
    func badFiles() throws {
        let dir = try TempDir()
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["tiles", dir.path("missing.jpg"), "--layout", "dzi", "-o", dir.path("o")]),
            mentioning: "missing.jpg")
        let text = try CLIErrorTests.file(dir, "text.jpg", "hello")
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["tiles", text, "--layout", "dzi", "-o", dir.path("o")]), mentioning: "not a PNG or JPEG")
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["tiles", Fixtures.path("imaging/png/truncated.png"), "--layout", "dzi", "-o", dir.path("o")]),
            mentioning: "truncated.png")
        let src = try Self.sourceFile(dir)
        CLIErrorTests.expectOneLineFailure(
            try CLI.run(["tiles", src, "--layout", "dzi", "-o", src]), mentioning: "is a file")
        #expect(!FileManager.default.fileExists(atPath: dir.path("o")) || Self.files(dir.path("o")).isEmpty)
    }

    @Test(
        "a baseline JPEG is tiled strip by strip, with the tiles of the whole decode",
        arguments: ["dzi", "xyz", "iiif"])
    func stripByStrip(layout: String) throws {
        let dir = try TempDir()
        let src = dir.path("photo.jpg")
        try Data(try JPEGCodec.encode(Self.source, quality: 90)).write(to: URL(fileURLWithPath: src))
        let out = dir.path("strips")
        let result = try CLI.run(["tiles", src, "--layout", layout, "-o", out])
        #expect(result.status == 0, "stderr: \(result.stderrText)")
        #expect(result.stderrText.contains("strip by strip"))
        // The same pyramid from the decoded image, through the whole-image writer.
        let whole = dir.path("whole")
        let image = try Self.decode(src)
        let target = try PyramidTarget(
            layout: StaticPyramid.Layout(rawValue: layout)!, output: whole, name: "photo", force: false)
        let staging = try target.makeStaging()
        let pyramid = StaticPyramid(
            layout: StaticPyramid.Layout(rawValue: layout)!, width: image.width, height: image.height, name: "photo",
            format: layout == "xyz" ? "png" : "jpg", baseURL: "http://localhost:8080/iiif/3/photo")
        try PyramidWriter(pyramid: pyramid, image: image).write(into: staging, jobs: 2)
        try target.commit(staging: staging)
        #expect(Self.files(out) == Self.files(whole))
        for file in Self.files(out) {
            let a = try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: whole + "/" + file))
            #expect(a == b, "\(file)")
        }
    }

    @Test("an RGBA PNG is tiled strip by strip: JPEG tiles over white, as when decoded whole")
    func rgbaPNG() throws {
        let dir = try TempDir()
        var pixels: [UInt8] = []
        for (i, value) in Self.source.pixels.enumerated() {
            pixels.append(value)
            if i % 3 == 2 { pixels.append(UInt8(truncatingIfNeeded: i / 3 % 256)) }
        }
        let rgba = Image(width: Self.width, height: Self.height, channels: 4, pixels: pixels)
        let src = dir.path("alpha.png")
        try Data(try PNGCodec.encode(rgba)).write(to: URL(fileURLWithPath: src))
        let out = dir.path("strips")
        let result = try CLI.run(["tiles", src, "--layout", "dzi", "-o", out])
        #expect(result.status == 0, "stderr: \(result.stderrText)")
        #expect(result.stderrText.contains("strip by strip"))
        let whole = dir.path("whole")
        let target = try PyramidTarget(layout: .deepZoom, output: whole, name: "alpha", force: false)
        let staging = try target.makeStaging()
        let pyramid = StaticPyramid(layout: .deepZoom, width: Self.width, height: Self.height, name: "alpha")
        try PyramidWriter(pyramid: pyramid, image: rgba.removingAlpha(background: 255)).write(into: staging, jobs: 2)
        try target.commit(staging: staging)
        #expect(Self.files(out) == Self.files(whole))
        for file in Self.files(out) {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
                    == Data(contentsOf: URL(fileURLWithPath: whole + "/" + file)), "\(file)")
        }
    }

    @Test("a 60000x60000 JPEG header with 16x16 pixels of data behind it is refused at once, leaving nothing")
    func headerBomb() throws {
        let dir = try TempDir()
        var bytes = try JPEGCodec.encode(
            Image(width: 16, height: 16, channels: 3, pixels: [UInt8](repeating: 90, count: 16 * 16 * 3)), quality: 80)
        // The frame header (SOF0: FF C0, length, precision) holds height then width, big-endian.
        let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        for offset in [sof + 5, sof + 7] {
            bytes[offset] = UInt8(60_000 >> 8)
            bytes[offset + 1] = UInt8(60_000 & 0xFF)
        }
        let src = dir.path("bomb.jpg")
        try Data(bytes).write(to: URL(fileURLWithPath: src))
        let out = dir.path("pyramid")
        let started = Date()
        let result = try CLI.run(["tiles", src, "--layout", "dzi", "-o", out, "--quiet"])
        CLIErrorTests.expectOneLineFailure(result, mentioning: "bomb.jpg")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(!FileManager.default.fileExists(atPath: out + "/bomb.dzi"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted() == ["bomb.jpg", "pyramid"]
                || FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["bomb.jpg"])
    }

    @Test("a JPEG cut off midway: exit 2 naming it, and no pyramid or staging folder left")
    func truncatedJPEG() throws {
        let dir = try TempDir()
        let src = dir.path("cut.jpg")
        let bytes = try JPEGCodec.encode(Self.source, quality: 90)
        try Data(bytes.prefix(bytes.count * 2 / 3)).write(to: URL(fileURLWithPath: src))
        let out = dir.path("pyramid")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let result = try CLI.run(["tiles", src, "--layout", "dzi", "-o", out, "--quiet"])
        CLIErrorTests.expectOneLineFailure(result, mentioning: "cut.jpg")
        #expect(result.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
    }

    @Test("--help shows an example for every flag")
    func help() throws {
        let result = try CLI.run(["tiles", "--help"])
        #expect(result.status == 0)
        let text = result.stdoutText
        for flag in [
            "--layout dzi", "--layout xyz", "--layout iiif", "-o ", "--tile-size", "--overlap", "--quality", "--format",
            "--jobs", "--name", "--base-url", "--max-source-pixels", "--optimize-coding", "--force", "--quiet",
        ] {
            #expect(text.contains("labelkit tiles") && text.contains(flag), "\(flag)")
        }
    }

    static let vips: String? = ["/usr/bin/vips", "/usr/local/bin/vips"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("same dzi and iiif3 file lists as vips dzsave", .enabled(if: vips != nil, "vips is not installed"))
    func sameFilesAsVips() throws {
        let dir = try TempDir()
        let src = try Self.sourceFile(dir)
        func vips(_ args: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.vips!)
            process.arguments = args
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "vips \(args)")
        }
        try vips(["dzsave", src, dir.path("v"), "--suffix", ".jpg"])
        #expect(try CLI.run(["tiles", src, "--layout", "dzi", "-o", dir.path("ours"), "--quiet"]).status == 0)
        let theirs = Self.files(dir.path("v_files")).filter { $0 != "vips-properties.xml" }
        #expect(!theirs.isEmpty)
        #expect(Self.files(dir.path("ours/photo_files")) == theirs)
        // Same sizes per tile too.
        for name in theirs {
            let a = try CLIThumbnailTests.header(dir.path("v_files") + "/" + name)
            let b = try CLIThumbnailTests.header(dir.path("ours/photo_files") + "/" + name)
            #expect(a.width == b.width && a.height == b.height, "\(name)")
        }
        try vips(["dzsave", src, dir.path("vi"), "--layout", "iiif3", "--tile-size", "256", "--overlap", "0"])
        #expect(try CLI.run(["tiles", src, "--layout", "iiif", "-o", dir.path("oi"), "--quiet"]).status == 0)
        #expect(Self.files(dir.path("oi")) == Self.files(dir.path("vi")).filter { $0 != "vips-properties.xml" })
    }
}
