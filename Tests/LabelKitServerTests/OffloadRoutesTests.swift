import Foundation
import Hummingbird
import HummingbirdTesting
import LabelKitImaging
import Testing

@testable import LabelKitServer

/// The offload API over a real socket, every answer checked against the core's
/// reference fixtures (label-studio-converter, pycocotools, the analytic
/// pixel-centre masks), never against values the code under test produced.
@Suite("Offload routes")
struct OffloadRoutesTests {
    static let coco = "/v1/rasterize?format=coco"

    // MARK: Rasterize

    @Test(
        "rasterize: every geometry fixture (rectangles, ellipses, polygons even-odd and non-zero) as COCO RLE, in batches"
    )
    func rasterizeGeometryFixtures() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            for (file, rule, key) in [
                ("rectangles", "evenodd", "expected"), ("ellipses", "evenodd", "expected"),
                ("polygons", "evenodd", "expected_evenodd"), ("polygons", "nonzero", "expected_nonzero"),
            ] {
                let text = try OffloadFixtures.text("geometry/\(file).json")
                let cases = try #require(OffloadFixtures.json("geometry/\(file).json")["cases"] as? [[String: Any]])
                let jobs = try #require(OffloadFixtures.value("cases", in: text))
                let answer = try await client.post(Self.coco, "{\"rule\": \"\(rule)\", \"jobs\": \(jobs)}")
                #expect(answer.status == 200)
                let results = answer.results
                #expect(results.count == cases.count)
                for (c, result) in zip(cases, results) {
                    let expected = (c[key] as? [String: Any])?["rle"] as? [String: Any]
                    #expect(
                        result["counts"] as? String == expected?["counts"] as? String,
                        "\(file) \(c["name"] ?? "") \(rule)")
                    #expect(result["size"] as? [Int] == expected?["size"] as? [Int])
                }
            }
        }
    }

    @Test("rasterize: LS RLE by default (converted back to the fixture's COCO RLE), PNG by Accept, per region")
    func rasterizeFormats() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let text = try OffloadFixtures.text("geometry/polygons.json")
            let cases = try #require(OffloadFixtures.json("geometry/polygons.json")["cases"] as? [[String: Any]])
            let jobs = try #require(OffloadFixtures.value("cases", in: text))
            // Default: Label Studio RLE; its COCO conversion is the fixture's RLE.
            let ls = try await client.post("/v1/rasterize", "{\"jobs\": \(jobs)}")
            #expect(ls.status == 200)
            let converted = try await client.post("/v1/rle/convert", OffloadFixtures.text(of: ["jobs": ls.results]))
            for (c, result) in zip(cases, converted.results) {
                let expected = (c["expected_evenodd"] as? [String: Any])?["rle"] as? [String: Any]
                #expect(result["counts"] as? String == expected?["counts"] as? String, "\(c["name"] ?? "")")
            }
            // One region, PNG by Accept: the mask's area is the fixture's.
            let single = try #require(Self.firstCase(jobs))
            let png = try await client.post("/v1/rasterize", single, headers: [.accept: "image/png"])
            #expect(png.status == 200 && png.contentType == "image/png")
            let mask = try maskPixels(png.bytes)
            let expectedArea = (cases[0]["expected_evenodd"] as? [String: Any])?["area"] as? Int
            #expect(mask.pixels.filter { $0 != 0 }.count == expectedArea)
            #expect(Set(mask.pixels).isSubset(of: [0, 255]))
            // Per region: two regions, each its fixture RLE.
            let second = try #require(Self.element(jobs, 1))
            let regions = "{\"regions\": [\(single), \(second)], \"format\": \"coco\", \"per_region\": true}"
            let per = try await client.post("/v1/rasterize", regions)
            #expect(per.status == 200)
            let list = try #require(per.object["regions"] as? [[String: Any]])
            #expect(list.count == 2)
            for (i, item) in list.enumerated() {
                let expected = (cases[i]["expected_evenodd"] as? [String: Any])?["rle"] as? [String: Any]
                #expect(item["counts"] as? String == expected?["counts"] as? String)
                #expect(item["id"] is String)
            }
            // A format field wins over Accept.
            let field = try await client.post(
                "/v1/rasterize?format=png", single, headers: [.accept: "application/json"])
            #expect(field.contentType == "image/png")
        }
    }

    /// The `index`-th element's text of a JSON array text (top level).
    static func element(_ array: String, _ index: Int) -> String? {
        let bytes = Array(array.utf8)
        var depth = 0, inString = false, start = -1, found = -1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
                if depth == 2, b == UInt8(ascii: "{") {
                    found += 1
                    start = i
                }
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                if depth == 2, found == index, start >= 0 { return String(decoding: bytes[start...i], as: UTF8.self) }
                depth -= 1
            }
            i += 1
        }
        return nil
    }

    static func firstCase(_ array: String) -> String? { element(array, 0) }

    // MARK: RLE

    @Test("rle/encode: every ls_rle mask2rle and image2rle fixture from a raw PNG body, byte for byte")
    func encodeLabelStudio() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let index = try #require(OffloadFixtures.json("ls_rle/index.json")["cases"] as? [[String: Any]])
            for entry in index where entry["kind"] as? String != "decode_only" {
                let c = try OffloadFixtures.json("ls_rle/\(entry["json"] as! String)")
                let image2rle = c["kind"] as? String == "image2rle"
                let png = try OffloadFixtures.bytes("ls_rle/" + (c[image2rle ? "image_png" : "mask_png"] as! String))
                let uri = "/v1/rle/encode?format=ls" + (image2rle ? "&threshold=128" : "")
                let answer = try await client.post(uri, png, headers: [.contentType: "image/png"])
                #expect(answer.status == 200, "\(entry["name"] ?? "")")
                #expect(answer.object["rle"] as? [Int] == c["rle"] as? [Int], "\(entry["name"] ?? "")")
                #expect(answer.object["width"] as? Int == c["width"] as? Int)
            }
        }
    }

    @Test("rle/encode: every coco_rle mask fixture as COCO RLE (base64 PNG jobs in one batch), and COCO polygons")
    func encodeCOCO() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let index = try #require(OffloadFixtures.json("coco_rle/index.json")["masks"] as? [[String: Any]])
            let cases = try index.map { try OffloadFixtures.json("coco_rle/\($0["json"] as! String)") }
            let jobs = try cases.map { c in
                [
                    "png": Data(try OffloadFixtures.bytes("coco_rle/masks/" + (c["mask_png"] as! String)))
                        .base64EncodedString()
                ]
            }
            let answer = try await client.post(
                "/v1/rle/encode", OffloadFixtures.text(of: ["jobs": jobs, "format": "coco"]))
            #expect(answer.status == 200)
            for (c, result) in zip(cases, answer.results) {
                #expect(
                    result["counts"] as? String == (c["rle"] as? [String: Any])?["counts"] as? String,
                    "\(c["name"] ?? "")")
            }
            #expect(answer.results.count == cases.count)
            // COCO polygons (frPyObjects), every case of polygons.json in one batch.
            let text = try OffloadFixtures.text("coco_rle/polygons.json")
            let polygons = try #require(OffloadFixtures.json("coco_rle/polygons.json")["cases"] as? [[String: Any]])
            let polygonJobs = try #require(OffloadFixtures.value("cases", in: text))
            let batch = try await client.post("/v1/rle/encode", "{\"format\": \"coco\", \"jobs\": \(polygonJobs)}")
            #expect(batch.results.count == polygons.count)
            for (c, result) in zip(polygons, batch.results) {
                #expect(
                    result["counts"] as? String == (c["rle"] as? [String: Any])?["counts"] as? String,
                    "\(c["name"] ?? "")")
            }
        }
    }

    @Test("rle/decode: every ls_rle fixture (decode_only streams too) and COCO mask fixture to the fixture's mask PNG")
    func decode() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let lsIndex = try #require(OffloadFixtures.json("ls_rle/index.json")["cases"] as? [[String: Any]])
            let cocoIndex = try #require(OffloadFixtures.json("coco_rle/index.json")["masks"] as? [[String: Any]])
            for entry in lsIndex {
                let name = entry["json"] as! String
                let c = try OffloadFixtures.json("ls_rle/\(name)")
                let answer = try await client.post("/v1/rle/decode", try OffloadFixtures.text("ls_rle/\(name)"))
                #expect(answer.status == 200 && answer.contentType == "image/png", "\(name)")
                let got = try maskPixels(answer.bytes)
                let expectedPNG = c["kind"] as? String == "image2rle" ? c["threshold_png"] : c["mask_png"]
                let expected = try maskPixels(try OffloadFixtures.bytes("ls_rle/" + (expectedPNG as! String)))
                #expect(got.pixels == expected.pixels && got.width == expected.width, "\(name)")
            }
            for entry in cocoIndex {
                let name = entry["json"] as! String
                let c = try OffloadFixtures.json("coco_rle/\(name)")
                let answer = try await client.post("/v1/rle/decode", try OffloadFixtures.text("coco_rle/\(name)"))
                #expect(answer.status == 200, "\(name)")
                let got = try maskPixels(answer.bytes)
                let expected = try maskPixels(try OffloadFixtures.bytes("coco_rle/masks/" + (c["mask_png"] as! String)))
                #expect(got.pixels == expected.pixels.map { $0 == 0 ? 0 : 255 }, "\(name)")
            }
        }
    }

    @Test("rle/convert: LS -> COCO keeps the fixture area, COCO -> LS of a 0/255 mask is the fixture's mask2rle bytes")
    func convert() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            for name in ["odd_7x5", "blob_640x480_a", "run_class_boundaries", "full_1920x1080", "noise_160x120"] {
                let c = try OffloadFixtures.json("ls_rle/\(name).json")
                let coco = try await client.post("/v1/rle/convert", try OffloadFixtures.text("ls_rle/\(name).json"))
                #expect(coco.status == 200, "\(name)")
                let measure = try await client.post(
                    "/v1/masks/measure", OffloadFixtures.text(of: ["masks": [coco.object]]))
                let area = ((measure.object["masks"] as? [[String: Any]])?.first)?["area"] as? Int
                #expect(area == c["mask_nonzero_pixels"] as? Int, "\(name)")
                let back = try await client.post("/v1/rle/convert", OffloadFixtures.text(of: coco.object))
                #expect(back.object["rle"] as? [Int] == c["rle"] as? [Int], "\(name)")
            }
            let c = try OffloadFixtures.json("coco_rle/masks/odd_7x5.json")
            let ls = try await client.post(
                "/v1/rle/convert?to=ls", try OffloadFixtures.text("coco_rle/masks/odd_7x5.json"))
            let again = try await client.post("/v1/rle/convert", OffloadFixtures.text(of: ls.object))
            #expect(again.object["counts"] as? String == (c["rle"] as? [String: Any])?["counts"] as? String)
            let same = try await client.post(
                "/v1/rle/convert?to=coco", try OffloadFixtures.text("coco_rle/masks/odd_7x5.json"))
            #expect(same.status == 422 && same.contentType == "application/problem+json")
        }
    }

    // MARK: Measure, vectorize, brush

    @Test(
        "masks/measure: areas, boxes, IoU (iscrowd 0 and 1), union and intersection of every pycocotools pair; the IoU matrix"
    )
    func measure() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let pairs = try #require(OffloadFixtures.json("coco_rle/pairs.json")["pairs"] as? [[String: Any]])
            let matrix = try OffloadFixtures.json("coco_rle/iou_matrix.json")
            for pair in pairs {
                let name = pair["name"] as? String ?? ""
                let body = OffloadFixtures.text(of: [
                    "jobs": [
                        ["masks": [pair["a"]!], "gt": [pair["b"]!], "iscrowd": [0]],
                        ["masks": [pair["a"]!], "gt": [pair["b"]!], "iscrowd": [true]],
                        ["masks": [pair["b"]!], "gt": [pair["a"]!], "iscrowd": [1]],
                        ["masks": [pair["a"]!, pair["b"]!], "union": true, "intersection": true],
                    ]
                ])
                let answer = try await client.post("/v1/masks/measure", body)
                #expect(answer.status == 200, "\(name)")
                let r = answer.results
                try #require(r.count == 4)
                func iou(_ item: [String: Any]) -> Double? {
                    ((item["iou"] as? [[Any]])?.first?.first as? NSNumber)?.doubleValue
                }
                #expect(Self.close(iou(r[0]), pair["iou_a_b_iscrowd0"]), "\(name)")
                #expect(Self.close(iou(r[1]), pair["iou_a_b_iscrowd1"]), "\(name)")
                #expect(Self.close(iou(r[2]), pair["iou_b_a_iscrowd1"]), "\(name)")
                let stats = r[3]["masks"] as? [[String: Any]]
                #expect(stats?.first?["area"] as? Int == pair["area_a"] as? Int)
                #expect(stats?.last?["area"] as? Int == pair["area_b"] as? Int)
                let union = r[3]["union"] as? [String: Any], intersection = r[3]["intersection"] as? [String: Any]
                #expect(
                    union?["counts"] as? String == (pair["union"] as? [String: Any])?["counts"] as? String, "\(name)")
                #expect(union?["area"] as? Int == pair["union_area"] as? Int)
                #expect(
                    intersection?["counts"] as? String == (pair["intersection"] as? [String: Any])?["counts"] as? String
                )
                #expect(intersection?["area"] as? Int == pair["intersection_area"] as? Int)
            }
            let body = OffloadFixtures.text(of: [
                "masks": matrix["dt"]!, "gt": matrix["gt"]!, "iscrowd": matrix["iscrowd"]!,
            ])
            let answer = try await client.post("/v1/masks/measure", body)
            let got = try #require(answer.object["iou"] as? [[NSNumber]])
            let expected = try #require(matrix["iou_matrix"] as? [[NSNumber]])
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) {
                #expect(g.count == e.count)
                for (x, y) in zip(g, e) { #expect(Self.close(x.doubleValue, y)) }
            }
            // Boxes of every mask fixture, from a raw PNG body.
            for name in ["odd_7x5", "blob_640x480_a", "px1_zero", "corners_640x480"] {
                let c = try OffloadFixtures.json("coco_rle/masks/\(name).json")
                let png = try OffloadFixtures.bytes("coco_rle/masks/" + (c["mask_png"] as! String))
                let stats = try await client.post("/v1/masks/measure", png)
                let first = (stats.object["masks"] as? [[String: Any]])?.first
                #expect(first?["area"] as? Int == c["area"] as? Int, "\(name)")
                #expect(
                    (first?["bbox"] as? [NSNumber])?.map(\.doubleValue)
                        == (c["bbox"] as? [NSNumber])?.map(\.doubleValue), "\(name)")
            }
        }
    }

    static func close(_ a: Double?, _ b: Any?) -> Bool {
        guard let a, let b = (b as? NSNumber)?.doubleValue else { return false }
        return abs(a - b) <= 1e-12 * max(1, abs(b))
    }

    @Test("vectorize: contours of fixture masks enclose exactly the fixture's foreground area; simplify and percent")
    func vectorize() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            for name in ["odd_7x5", "blob_640x480_a", "noise_160x120", "px1_on", "zeros_640x480"] {
                let c = try OffloadFixtures.json("ls_rle/\(name).json")
                let png = try OffloadFixtures.bytes("ls_rle/" + (c["mask_png"] as! String))
                let answer = try await client.post("/v1/vectorize", png, headers: [.contentType: "image/png"])
                #expect(answer.status == 200, "\(name)")
                #expect(answer.object["width"] as? Int == c["width"] as? Int)
                let contours = try #require(answer.object["contours"] as? [[String: Any]])
                var area = 0.0
                for contour in contours {
                    area += Self.shoelace(contour["outer"])
                    for hole in contour["holes"] as? [Any] ?? [] { area -= Self.shoelace(hole) }
                }
                #expect(area == Double(c["mask_nonzero_pixels"] as? Int ?? -1), "\(name)")
                // The same mask as LS RLE JSON gives the same contours.
                let fromRLE = try await client.post("/v1/vectorize", try OffloadFixtures.text("ls_rle/\(name).json"))
                #expect(fromRLE.bytes == answer.bytes, "\(name)")
            }
            let c = try OffloadFixtures.json("ls_rle/blob_640x480_a.json")
            let png = try OffloadFixtures.bytes("ls_rle/" + (c["mask_png"] as! String))
            let body = OffloadFixtures.text(of: [
                "png": Data(png).base64EncodedString(), "simplify": 1.5, "percent": true,
            ])
            let simplified = try await client.post("/v1/vectorize", body)
            let outer = ((simplified.object["contours"] as? [[String: Any]])?.first?["outer"] as? [[NSNumber]]) ?? []
            #expect(!outer.isEmpty && outer.allSatisfy { $0.allSatisfy { (0...100).contains($0.doubleValue) } })
        }
    }

    /// |area| of a ring `[[x, y], ...]`.
    static func shoelace(_ ring: Any?) -> Double {
        let points = (ring as? [[NSNumber]] ?? []).map { ($0[0].doubleValue, $0[1].doubleValue) }
        var sum = 0.0
        for i in points.indices {
            let (x0, y0) = points[i], (x1, y1) = points[(i + 1) % points.count]
            sum += x0 * y1 - x1 * y0
        }
        return abs(sum) / 2
    }

    @Test("brush: strokes (flat and pair points, add then erase, a base mask) against the closed-form capsule test")
    func brush() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        // A pixel is inside a stroke when its centre is within size/2 of the segment.
        func capsule(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double), _ r: Double) -> Bool {
            let (dx, dy) = (b.0 - a.0, b.1 - a.1)
            let t = max(0, min(1, ((x - a.0) * dx + (y - a.1) * dy) / max(1e-300, dx * dx + dy * dy)))
            let (px, py) = (a.0 + t * dx - x, a.1 + t * dy - y)
            return (px * px + py * py).squareRoot() <= r + 1e-9
        }
        var grid = [UInt8](repeating: 0, count: 40 * 30)
        for r in 0..<30 {
            for c in 0..<40 {
                let (x, y) = (Double(c) + 0.5, Double(r) + 0.5)
                var inside = capsule(x, y, (5, 5), (30, 20), 3) || capsule(x, y, (30, 20), (35, 5), 3)
                if capsule(x, y, (18, 0), (18, 30), 2) { inside = false }
                grid[r * 40 + c] = inside ? 255 : 0
            }
        }
        let expected = grid
        let strokes = """
            {"width": 40, "height": 30, "format": "png", "strokes": [
              {"points": [5, 5, 30, 20, 35, 5], "size": 6},
              {"points": [[18, 0], [18, 30]], "strokeWidth": 4, "compositeOperation": "destination-out"}]}
            """
        try await fixture.live { client in
            let png = try await client.post("/v1/brush", strokes)
            #expect(png.status == 200 && png.contentType == "image/png")
            #expect(try maskPixels(png.bytes).pixels == expected)
            // Default answer: LS RLE, which decodes to the same mask.
            let ls = try await client.post(
                "/v1/brush", strokes.replacingOccurrences(of: "\"format\": \"png\", ", with: ""))
            #expect(ls.object["width"] as? Int == 40)
            let decoded = try await client.post("/v1/rle/decode", OffloadFixtures.text(of: ls.object))
            #expect(try maskPixels(decoded.bytes).pixels == expected)
            // Erasing on a base mask (the full fixture mask) clears only the stroke.
            let full = try OffloadFixtures.text("ls_rle/full_640x480.json")
            let erased = try await client.post(
                "/v1/brush?format=png",
                "{\"base\": \(full), \"strokes\": [{\"points\": [[0, 0.5], [640, 0.5]], \"size\": 1, \"mode\": \"erase\"}]}"
            )
            let mask = try maskPixels(erased.bytes)
            #expect(mask.pixels[0..<640].allSatisfy { $0 == 0 } && mask.pixels[640...].allSatisfy { $0 == 255 })
        }
    }

    // MARK: Regions

    @Test("hit-test: the fixture scenes (with their own queries) give the fixture hits, even-odd and non-zero")
    func hitTest() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            for name in ["scene_10", "scene_1000"] {
                let scene = try OffloadFixtures.json("hit_test/\(name).json")
                let queries = try #require(scene["queries"] as? [[String: Any]])
                let text = try OffloadFixtures.text("hit_test/\(name).json")
                for (rule, key) in [("evenodd", "hits"), ("nonzero", "hits_nonzero")] {
                    let answer = try await client.post("/v1/hit-test?rule=\(rule)", text)
                    #expect(answer.status == 200)
                    let hits = answer.list.compactMap { ($0 as? [String: Any])?["hits"] as? [String] }
                    #expect(hits.count == queries.count)
                    for (got, query) in zip(hits, queries) {
                        #expect(got == query[key] as? [String], "\(name) \(rule)")
                    }
                }
            }
        }
    }

    @Test(
        "duplicate: fresh ids, offsets in percent and pixels, parent links, grid, paste; the copy rasterizes like the fixture"
    )
    func duplicate() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let text = try OffloadFixtures.text("geometry/rectangles.json")
            let cases = try #require(OffloadFixtures.json("geometry/rectangles.json")["cases"] as? [[String: Any]])
            let array = try #require(OffloadFixtures.value("cases", in: text))
            let region = try #require(Self.firstCase(array))
            let withID = "{\"id\": \"orig123456\"," + region.dropFirst()
            let answer = try await client.post(
                "/v1/duplicate",
                "{\"regions\": [\(withID)], \"id\": \"orig123456\", \"link_parent\": true, \"seed\": 7}")
            #expect(answer.status == 200)
            let copy = try #require(answer.list.first as? [String: Any])
            #expect(copy["parentID"] as? String == "orig123456")
            let id = try #require(copy["id"] as? String)
            #expect(id.count == 10 && id != "orig123456")
            // The unmoved copy rasterizes to the fixture's RLE.
            let raster = try await client.post(Self.coco, OffloadFixtures.text(of: copy))
            let expected = (cases[0]["expected"] as? [String: Any])?["rle"] as? [String: Any]
            #expect(raster.object["counts"] as? String == expected?["counts"] as? String)
            // Reproducible ids with a seed; moved by 10 px on a 100 px wide image = 10 percent.
            let again = try await client.post(
                "/v1/duplicate",
                "{\"regions\": [\(withID)], \"id\": \"orig123456\", \"link_parent\": true, \"seed\": 7}")
            #expect((again.list.first as? [String: Any])?["id"] as? String == id)
            let moved = try await client.post("/v1/duplicate?id=orig123456&dx=10&dy=0", "[\(withID)]")
            let x = ((moved.list.first as? [String: Any])?["value"] as? [String: Any])?["x"] as? Double
            #expect(x == 20)
            let grid = try await client.post(
                "/v1/duplicate", "{\"regions\": [\(withID)], \"id\": \"orig123456\", \"grid\": \"2x3\"}")
            #expect(grid.list.count == 5)
            let all = try await client.post(
                "/v1/duplicate", "{\"regions\": [\(withID)], \"paste_width\": 200, \"paste_height\": 200}")
            #expect(all.list.count == 1)
            #expect(
                try await client.post("/v1/duplicate", "{\"regions\": [\(withID)], \"id\": \"nope\"}").status == 422)
            #expect(
                try await client.post(
                    "/v1/duplicate", "{\"regions\": [\(withID)], \"id\": \"orig123456\", \"grid\": \"2x3x\"}"
                ).status == 422)
        }
    }

    // MARK: Limits, errors, auth

    @Test("every limit answers a problem naming it: body_bytes 413; mask_pixels, regions, vertices, points, jobs 422")
    func limits() async throws {
        let fixture = try ServerFixture { configuration in
            configuration.offload.maxBodyBytes = 64 << 10
            configuration.offload.maxMaskPixels = 1000 * 1000
            configuration.offload.maxRegions = 3
            configuration.offload.maxVertices = 10
            configuration.offload.maxPoints = 2
            configuration.offload.maxJobs = 2
        }
        defer { fixture.remove() }
        @Sendable func rect(_ id: Int) -> String {
            "{\"id\": \"r\(id)\", \"type\": \"rectanglelabels\", \"value\": {\"x\": 1, \"y\": 1, \"width\": 5, \"height\": 5}}"
        }
        try await fixture.live { client in
            func expectLimit(_ answer: Answer, _ status: Int, _ limit: String, _ maximum: Int) {
                #expect(answer.status == status, "\(limit)")
                #expect(answer.contentType == "application/problem+json")
                #expect(answer.object["limit"] as? String == limit)
                #expect(answer.object["maximum"] as? Int == maximum)
                #expect(answer.object["type"] as? String == "urn:labelkit:problem:limit-exceeded")
                #expect(answer.object["status"] as? Int == status)
                #expect((answer.object["detail"] as? String)?.contains(limit) == true)
            }
            let big = "[" + String(repeating: "0,", count: 40_000) + "0]"
            expectLimit(
                try await client.post("/v1/rle/decode", "{\"rle\": \(big), \"width\": 1, \"height\": 1}"), 413,
                "body_bytes", 64 << 10)
            let huge = "{\"original_width\": 2000, \"original_height\": 1000, \"regions\": [\(rect(1))]}"
            expectLimit(try await client.post("/v1/rasterize", huge), 422, "mask_pixels", 1_000_000)
            expectLimit(
                try await client.post("/v1/rle/decode", "{\"size\": [5000, 5000], \"counts\": \"0\"}"), 422,
                "mask_pixels", 1_000_000)
            expectLimit(
                try await client.post("/v1/brush", "{\"width\": 5000, \"height\": 5000, \"strokes\": []}"), 422,
                "mask_pixels", 1_000_000)
            let bigPNG = try OffloadFixtures.bytes("ls_rle/full_1920x1080.png")
            expectLimit(try await client.post("/v1/vectorize", bigPNG), 422, "mask_pixels", 1_000_000)
            let many =
                "{\"original_width\": 100, \"original_height\": 100, \"regions\": [\((1...4).map(rect).joined(separator: ","))]}"
            expectLimit(try await client.post("/v1/rasterize", many), 422, "regions", 3)
            expectLimit(try await client.post("/v1/hit-test", many.dropLast() + ", \"points\": []}"), 422, "regions", 3)
            let points = (0..<11).map { "[\($0), \($0 % 3)]" }.joined(separator: ",")
            let polygon =
                "{\"original_width\": 100, \"original_height\": 100, \"type\": \"polygonlabels\", \"value\": {\"points\": [\(points)]}}"
            expectLimit(try await client.post("/v1/rasterize", polygon), 422, "vertices", 10)
            expectLimit(
                try await client.post(
                    "/v1/rle/encode",
                    "{\"width\": 10, \"height\": 10, \"polygons\": [[\((0..<22).map(String.init).joined(separator: ","))]]}"
                ),
                422, "vertices", 10)
            let stroke = "{\"width\": 10, \"height\": 10, \"strokes\": [{\"points\": [\(points)], \"size\": 2}]}"
            expectLimit(try await client.post("/v1/brush", stroke), 422, "vertices", 10)
            let scene =
                "{\"original_width\": 100, \"original_height\": 100, \"regions\": [\(rect(1))], \"points\": [[1, 1], [2, 2], [3, 3]]}"
            expectLimit(try await client.post("/v1/hit-test", scene), 422, "points", 2)
            expectLimit(try await client.post(Self.coco, "{\"jobs\": [\(huge), \(huge), \(huge)]}"), 422, "jobs", 2)
            // In a batch, a job over a limit fails alone.
            let batch = try await client.post(
                Self.coco,
                "{\"jobs\": [\(huge), {\"original_width\": 10, \"original_height\": 10, \"regions\": [\(rect(1))]}]}")
            #expect(batch.status == 200 && batch.results.count == 2)
            let error = batch.results[0]["error"] as? [String: Any]
            #expect(
                error?["limit"] as? String == "mask_pixels" && error?["job"] as? Int == 0
                    && error?["status"] as? Int == 422)
            #expect(batch.results[1]["counts"] is String)
            let limits = try await client.call("/v1/limits", .get)
            #expect(limits.object["mask_pixels"] as? Int == 1_000_000 && limits.object["jobs"] as? Int == 2)
        }
    }

    @Test(
        "errors are problems, never 500s: bad JSON 400, PNG to a JSON route 415, bad documents 422, other methods 405")
    func errors() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            func expectProblem(_ answer: Answer, _ status: Int, _ type: String, _ line: Int = #line) {
                #expect(answer.status == status, "line \(line)")
                #expect(answer.contentType == "application/problem+json", "line \(line)")
                #expect(answer.object["type"] as? String == "urn:labelkit:problem:" + type, "line \(line)")
                #expect(answer.object["title"] is String && answer.object["detail"] is String, "line \(line)")
            }
            for endpoint in OffloadEndpoint.allCases {
                expectProblem(try await client.post(endpoint.path, "{not json"), 400, "invalid-json")
                expectProblem(try await client.post(endpoint.path, "42"), 422, "invalid-input")
                expectProblem(try await client.post(endpoint.path, "{\"jobs\": 3}"), 422, "invalid-input")
                let get = try await client.call(endpoint.path, .get)
                expectProblem(get, 405, "method-not-allowed")
                #expect(get.headers[.allow] == "POST")
            }
            let png = try OffloadFixtures.bytes("ls_rle/odd_7x5.png")
            for endpoint in OffloadEndpoint.allCases where !endpoint.takesPNG {
                expectProblem(try await client.post(endpoint.path, png), 415, "unsupported-media-type")
            }
            expectProblem(try await client.post("/v1/rle/encode", Array(png.prefix(30))), 422, "invalid-input")
            expectProblem(
                try await client.post("/v1/rle/decode", "{\"rle\": [1, 2, 3], \"width\": 4, \"height\": 4}"), 422,
                "invalid-input")
            expectProblem(
                try await client.post("/v1/rle/decode", "{\"size\": [2, 2], \"counts\": \"zz\"}"), 422, "invalid-input")
            expectProblem(
                try await client.post(
                    "/v1/rasterize", "{\"type\": \"cube\", \"original_width\": 4, \"original_height\": 4}"), 422,
                "invalid-input")
            expectProblem(try await client.post("/v1/rasterize?format=gif", "[]"), 422, "invalid-input")
            expectProblem(try await client.post("/v1/vectorize", "{\"png\": \"not base64!\"}"), 422, "invalid-input")
            expectProblem(
                try await client.post("/v1/vectorize?simplify=-1", "{\"size\": [1, 1], \"counts\": [1]}"), 422,
                "invalid-input")
            expectProblem(
                try await client.post(
                    "/v1/hit-test",
                    "{\"original_width\": 4, \"original_height\": 4, \"regions\": [], \"points\": [{\"x\": \"a\"}]}"),
                422, "invalid-input")
            expectProblem(try await client.call("/v1/nope", .get), 404, "not-found")
            // The other routes keep their {"error": {...}} shape.
            let old = try await client.post("/frames/tasks/nope/next", "{\"user\": \"a\"}")
            #expect(old.status == 404 && old.object["error"] is [String: Any])
        }
    }

    @Test(
        "bearer token: every /v1 route needs it (401 with WWW-Authenticate otherwise); openapi.json and /healthz stay open"
    )
    func token() async throws {
        let fixture = try ServerFixture { $0.token = "s3cret" }
        defer { fixture.remove() }
        try await fixture.live { client in
            let body = "{\"size\": [1, 1], \"counts\": [0, 1]}"
            for endpoint in OffloadEndpoint.allCases {
                let answer = try await client.post(endpoint.path, body)
                #expect(answer.status == 401 && answer.contentType == "application/problem+json")
                #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            #expect(try await client.call("/v1/limits", .get).status == 401)
            #expect(try await client.call("/v1/metrics", .get).status == 401)
            #expect(
                try await client.post("/v1/rle/convert", body, headers: [.authorization: "Bearer wrong"]).status == 401)
            #expect(
                try await client.post("/v1/rle/convert", body, headers: [.authorization: "Basic s3cret"]).status == 401)
            let ok = try await client.post("/v1/rle/convert", body, headers: [.authorization: "Bearer s3cret"])
            #expect(ok.status == 200 && ok.object["rle"] is [Any])
            #expect(try await client.call("/openapi.json", .get).status == 200)
            #expect(try await client.call("/healthz", .get).status == 200)
            let metrics = try await client.call("/v1/metrics", .get, headers: [.authorization: "bearer s3cret"])
            let routes = metrics.object["routes"] as? [String: Any]
            #expect((routes?["/v1/rle/convert"] as? [String: Any])?["requests"] as? Int == 4)
            #expect((routes?["/v1/rle/convert"] as? [String: Any])?["failures"] as? Int == 3)
        }
    }

    @Test("openapi.json is OpenAPI 3.1 and documents exactly the routes that exist")
    func openAPI() async throws {
        let fixture = try ServerFixture()
        defer { fixture.remove() }
        try await fixture.live { client in
            let answer = try await client.call("/openapi.json", .get)
            #expect(answer.status == 200 && answer.contentType.hasPrefix("application/json"))
            #expect(answer.object["openapi"] as? String == "3.1.0")
            // Served as compiled in from the resource file.
            let resource = ServerFixture.packageRoot.appendingPathComponent("Sources/LabelKitServer/Resources/openapi.json")
            #expect(answer.bytes == Array(try Data(contentsOf: resource)))
            let paths = try #require(answer.object["paths"] as? [String: [String: Any]])
            var expected = Set(OffloadEndpoint.allCases.map(\.path))
            expected.formUnion(["/v1/limits", "/v1/metrics", "/openapi.json"])
            #expect(Set(paths.keys) == expected)
            for endpoint in OffloadEndpoint.allCases {
                let post = paths[endpoint.path]?["post"] as? [String: Any]
                #expect(post?["requestBody"] != nil, "\(endpoint.path) documents its body")
                let responses = post?["responses"] as? [String: Any]
                #expect(responses?["200"] != nil && responses?["422"] != nil, "\(endpoint.path) documents 200 and 422")
            }
            for (path, operations) in paths {
                for method in operations.keys {
                    let status = try await client.call(path, HTTPRequest.Method(method.uppercased())!).status
                    #expect(status != 404 && status != 405 && status < 500, "\(method) \(path)")
                }
            }
        }
    }

    @Test(
        "work runs on the bounded pool: requests are answered while big masks are traced; a full queue is a 503 with Retry-After",
        .disabled(if: ThreadSanitizerRun.isActive, ThreadSanitizerRun.latencyBound)
    )
    func pool() async throws {
        let fixture = try ServerFixture { configuration in
            configuration.offload.threads = 1
            configuration.offload.queueLimit = 1
        }
        defer { fixture.remove() }
        // A 4096x4096 noise-like mask: rasterized from a 1000-vertex zigzag polygon, then traced.
        let points = (0..<1000).map { i in "[\(Double(i) / 10), \(i % 2 == 0 ? 0 : 100)]" }.joined(separator: ",")
        let heavy =
            "{\"original_width\": 4096, \"original_height\": 4096, \"format\": \"png\", \"type\": \"polygonlabels\", \"value\": {\"points\": [\(points)]}}"
        try await fixture.live { client in
            // Six connections at once (the test client has one): one job runs, one waits, the rest get 503.
            let port = try #require(client.port)
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let other = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)))
                        other.connect()
                        defer { Task { try? await other.shutdown() } }
                        let response = try await other.post("/v1/rasterize", body: ByteBuffer(string: heavy))
                        return (Int(response.status.code), response.headers[.retryAfter])
                    }
                }
                // A request answered with the pool's count at one job running was served while
                // the work ran: counts, not clock ratios, since the whole suite shares two cores
                // and its clients can be starved for seconds (long enough to miss the moment
                // one job also waits; the 503s below show the queue filled).
                func running() async throws -> Int {
                    let pool = try await client.call("/v1/metrics", .get).object["pool"] as? [String: Any]
                    return pool?["running"] as? Int ?? -1
                }
                let deadline = ContinuousClock.now + .seconds(60)
                var seen = try await running()
                while seen != 1 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                    seen = try await running()
                }
                #expect(seen == 1, "no request was answered while a job ran")
                #expect(try await client.call("/healthz", .get).status == 200)
                var out: [(Int, String?)] = []
                for try await item in group { out.append(item) }
                return out
            }
            #expect(statuses.contains { $0.0 == 200 })
            #expect(statuses.allSatisfy { $0.0 == 200 || $0.0 == 503 })
            #expect(statuses.contains { $0.0 == 503 && $0.1 == "1" })
        }
    }
}
