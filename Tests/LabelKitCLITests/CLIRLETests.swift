import Foundation
import LabelKitImaging
import Testing

/// `labelkit rle encode | decode | convert` against the fixtures.
@Suite("labelkit rle")
struct CLIRLETests {
    static func lsCases(kind: String) -> [String] {
        guard let index = try? Fixtures.json("ls_rle/index.json"), let cases = index["cases"] as? [[String: Any]] else {
            return ["unreadable ls_rle/index.json"]
        }
        return cases.filter { $0["kind"] as? String == kind }.compactMap { $0["name"] as? String }
    }

    static func cocoCases() -> [String] {
        guard let index = try? Fixtures.json("coco_rle/index.json"), let masks = index["masks"] as? [[String: Any]] else {
            return ["unreadable coco_rle/index.json"]
        }
        return masks.compactMap { $0["name"] as? String }
    }

    /// Names present in both families whose masks are identical (same sha256).
    static func sharedMasks() -> [String] {
        cocoCases().filter { name in
            guard let ls = try? Fixtures.json("ls_rle/\(name).json"),
                let coco = try? Fixtures.json("coco_rle/masks/\(name).json")
            else { return false }
            return ls["kind"] as? String == "mask2rle" && ls["mask_sha256"] as? String == coco["mask_sha256"] as? String
        }
    }

    static func grayPNG(_ path: String) throws -> [UInt8] {
        let image = try PNGCodec.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(image.channels == 1)
        return image.pixels
    }

    /// Checks a successful run: status 0, nothing on stderr.
    static func succeeded(_ out: CLI.Output) -> Bool {
        #expect(out.status == 0, "stderr: \(out.stderrText)")
        #expect(out.stderr.isEmpty, "stderr: \(out.stderrText)")
        return out.status == 0
    }

    @Test("the labelkit executable is found")
    func executableFound() {
        #expect(CLI.executable != nil)
    }

    @Test("encode --format ls prints {rle, width, height} equal to mask2rle", arguments: lsCases(kind: "mask2rle"))
    func encodeLS(_ name: String) throws {
        let fixture = try Fixtures.json("ls_rle/\(name).json")
        let out = try CLI.run(["rle", "encode", "--format", "ls", Fixtures.path("ls_rle/\(name).png")])
        guard Self.succeeded(out) else { return }
        #expect(out.stdoutText.hasSuffix("}\n"))
        let json = try JSON.object(out.stdout)
        #expect(Set(json.keys) == ["rle", "width", "height"])
        #expect(JSON.ints(json["rle"]) == JSON.ints(fixture["rle"]))
        #expect(json["width"] as? Int == fixture["width"] as? Int)
        #expect(json["height"] as? Int == fixture["height"] as? Int)
    }

    @Test("encode --format ls --threshold 128 reproduces image2rle", arguments: lsCases(kind: "image2rle"))
    func encodeLSThreshold(_ name: String) throws {
        let fixture = try Fixtures.json("ls_rle/\(name).json")
        let image = try #require(fixture["image_png"] as? String)
        let out = try CLI.run(["rle", "encode", "--format", "ls", "--threshold", "128", Fixtures.path("ls_rle/\(image)")])
        guard Self.succeeded(out) else { return }
        let json = try JSON.object(out.stdout)
        #expect(JSON.ints(json["rle"]) == JSON.ints(fixture["rle"]))
    }

    @Test("encode --format coco prints {size, counts} equal to pycocotools", arguments: cocoCases())
    func encodeCOCO(_ name: String) throws {
        let fixture = try Fixtures.json("coco_rle/masks/\(name).json")
        let rle = try #require(fixture["rle"] as? [String: Any])
        let out = try CLI.run(["rle", "encode", "--format", "coco", Fixtures.path("coco_rle/masks/\(name).png")])
        guard Self.succeeded(out) else { return }
        let json = try JSON.object(out.stdout)
        #expect(Set(json.keys) == ["size", "counts"])
        #expect(JSON.ints(json["size"]) == JSON.ints(rle["size"]))
        #expect(json["counts"] as? String == rle["counts"] as? String)
    }

    @Test(
        "decode --format ls writes the mask PNG",
        arguments: lsCases(kind: "mask2rle").filter { !$0.hasPrefix("full_1920") } + lsCases(kind: "decode_only"))
    func decodeLS(_ name: String) throws {
        let fixture = try Fixtures.json("ls_rle/\(name).json")
        let maskPNG = try #require(fixture["mask_png"] as? String)
        let dir = try TempDir()
        let output = dir.path("mask.png")
        let out = try CLI.run(["rle", "decode", "--format", "ls", Fixtures.path("ls_rle/\(name).json"), "-o", output])
        guard Self.succeeded(out) else { return }
        #expect(out.stdout.isEmpty)
        #expect(try Self.grayPNG(output) == Self.grayPNG(Fixtures.path("ls_rle/\(maskPNG)")))
    }

    @Test("decode --format ls reads a bare array with --width/--height from stdin")
    func decodeLSBareArray() throws {
        let fixture = try Fixtures.json("ls_rle/odd_7x5.json")
        let rle = try #require(JSON.ints(fixture["rle"]))
        let dir = try TempDir()
        let output = dir.path("mask.png")
        let stdin = Data("[\(rle.map(String.init).joined(separator: ","))]".utf8)
        let out = try CLI.run(
            ["rle", "decode", "--format", "ls", "--width", "7", "--height", "5", "-", "-o", output], stdin: stdin)
        guard Self.succeeded(out) else { return }
        #expect(try Self.grayPNG(output) == Self.grayPNG(Fixtures.path("ls_rle/odd_7x5.png")))
    }

    @Test("decode --format coco writes 255 inside, 0 outside", arguments: cocoCases())
    func decodeCOCO(_ name: String) throws {
        let dir = try TempDir()
        let output = dir.path("mask.png")
        let out = try CLI.run(["rle", "decode", "--format", "coco", Fixtures.path("coco_rle/masks/\(name).json"), "-o", output])
        guard Self.succeeded(out) else { return }
        let expected = try Self.grayPNG(Fixtures.path("coco_rle/masks/\(name).png")).map { $0 == 0 ? UInt8(0) : 255 }
        #expect(try Self.grayPNG(output) == expected)
    }

    @Test("decode --format coco accepts a plain {size, counts} object and list counts")
    func decodeCOCOPlain() throws {
        let dir = try TempDir()
        let compressed = dir.path("c.json"), list = dir.path("l.json")
        try Data(#"{"size":[4,5],"counts":"522000OO2"}"#.utf8).write(to: URL(fileURLWithPath: compressed))
        try Data(#"{"size":[4,5],"counts":[5,2,2,2,2,2,1,1,3]}"#.utf8).write(to: URL(fileURLWithPath: list))
        // Spec section 9 vector: rows 00001/01110/01110/00000.
        let expected: [UInt8] = [0, 0, 0, 0, 255, 0, 255, 255, 255, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0]
        for input in [compressed, list] {
            let output = dir.path("out.png")
            let out = try CLI.run(["rle", "decode", "--format", "coco", input, "-o", output])
            guard Self.succeeded(out) else { continue }
            #expect(try Self.grayPNG(output) == expected)
        }
    }

    @Test("convert ls -> coco gives the pycocotools counts of the same mask", arguments: sharedMasks())
    func convertLSToCOCO(_ name: String) throws {
        let coco = try #require(try Fixtures.json("coco_rle/masks/\(name).json")["rle"] as? [String: Any])
        let out = try CLI.run(["rle", "convert", "--from", "ls", "--to", "coco", Fixtures.path("ls_rle/\(name).json")])
        guard Self.succeeded(out) else { return }
        let json = try JSON.object(out.stdout)
        #expect(json["counts"] as? String == coco["counts"] as? String)
        #expect(JSON.ints(json["size"]) == JSON.ints(coco["size"]))
    }

    @Test("convert coco -> ls gives mask2rle of the same mask", arguments: sharedMasks())
    func convertCOCOToLS(_ name: String) throws {
        let ls = try Fixtures.json("ls_rle/\(name).json")
        let out = try CLI.run(["rle", "convert", "--from", "coco", "--to", "ls", Fixtures.path("coco_rle/masks/\(name).json")])
        guard Self.succeeded(out) else { return }
        let json = try JSON.object(out.stdout)
        #expect(JSON.ints(json["rle"]) == JSON.ints(ls["rle"]))
        #expect(json["width"] as? Int == ls["width"] as? Int)
        #expect(json["height"] as? Int == ls["height"] as? Int)
    }

    @Test("convert round trips: ls -> coco -> ls and coco -> ls -> coco", arguments: ["blob_640x480_a", "odd_7x5", "noise_160x120"])
    func convertRoundTrip(_ name: String) throws {
        let dir = try TempDir()
        // A 0/255 Label Studio fixture comes back byte for byte.
        let ls = try Fixtures.json("ls_rle/\(name).json")
        let toCOCO = try CLI.run(["rle", "convert", "--from", "ls", "--to", "coco", Fixtures.path("ls_rle/\(name).json")])
        guard Self.succeeded(toCOCO) else { return }
        try toCOCO.stdout.write(to: URL(fileURLWithPath: dir.path("coco.json")))
        let back = try CLI.run(["rle", "convert", "--from", "coco", "--to", "ls", dir.path("coco.json")])
        guard Self.succeeded(back) else { return }
        #expect(JSON.ints(try JSON.object(back.stdout)["rle"]) == JSON.ints(ls["rle"]))
        // A COCO fixture comes back as the same counts string.
        let coco = try #require(try Fixtures.json("coco_rle/masks/\(name).json")["rle"] as? [String: Any])
        let toLS = try CLI.run(["rle", "convert", "--from", "coco", "--to", "ls", Fixtures.path("coco_rle/masks/\(name).json")])
        guard Self.succeeded(toLS) else { return }
        try toLS.stdout.write(to: URL(fileURLWithPath: dir.path("ls.json")))
        let again = try CLI.run(["rle", "convert", "--from", "ls", "--to", "coco", dir.path("ls.json")])
        guard Self.succeeded(again) else { return }
        #expect(try JSON.object(again.stdout)["counts"] as? String == coco["counts"] as? String)
    }
}
