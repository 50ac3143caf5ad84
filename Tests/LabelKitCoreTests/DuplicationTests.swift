import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitOperations
import Testing

@Suite("Region duplication")
struct DuplicationTests {
    static let width = 320, height = 200

    /// A random Label Studio result of one of the geometry types, well inside the image.
    static func randomResult(_ rng: inout SplitMix64, id: String) -> [String: Any] {
        let kind = Int.random(in: 0..<4, using: &rng)
        func pct() -> Double { .random(in: 20..<60, using: &rng) }
        var result: [String: Any] = [
            "id": id, "from_name": "label", "to_name": "image",
            "original_width": width, "original_height": height,
        ]
        switch kind {
        case 0:
            result["type"] = "rectanglelabels"
            result["value"] = [
                "x": pct(), "y": pct(), "width": Double.random(in: 2..<30, using: &rng),
                "height": Double.random(in: 2..<30, using: &rng), "rotation": Double.random(in: -180..<360, using: &rng),
                "rectanglelabels": ["Car"],
            ] as [String: Any]
        case 1:
            result["type"] = "ellipselabels"
            result["value"] = [
                "x": pct(), "y": pct(), "radiusX": Double.random(in: 1..<15, using: &rng),
                "radiusY": Double.random(in: 1..<15, using: &rng), "rotation": Double.random(in: 0..<360, using: &rng),
                "ellipselabels": ["Eye"],
            ] as [String: Any]
        case 2:
            result["type"] = "polygonlabels"
            result["value"] = [
                "points": (0..<Int.random(in: 3..<9, using: &rng)).map { _ in [pct(), pct()] },
                "polygonlabels": ["Road"],
            ] as [String: Any]
        default:
            result["type"] = "keypointlabels"
            result["value"] = ["x": pct(), "y": pct(), "width": 1.5, "keypointlabels": ["Nose"]] as [String: Any]
        }
        return result
    }

    static func mask(of result: [String: Any]) throws -> Mask {
        let region = try LabelStudioRegion.region(from: result)
        var mask = Mask(width: width, height: height)
        mask.fill(region.shape)
        return mask
    }

    @Test("a copy moved by whole pixels rasterizes to the original shifted", arguments: 0..<40)
    func geometryIsPreserved(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 100)
        let original = Self.randomResult(&rng, id: "orig\(seed)")
        var duplicator = RegionDuplicator(results: [original], seed: UInt64(seed))
        let dx = Int.random(in: -20...20, using: &rng), dy = Int.random(in: -20...20, using: &rng)
        let inPlace = try duplicator.duplicate(regionID: "orig\(seed)")
        #expect(try Self.mask(of: inPlace[0]) == Self.mask(of: original))
        let moved = try duplicator.duplicate(regionID: "orig\(seed)", offset: .pixels(dx: Double(dx), dy: Double(dy)))
        let expected = try Self.mask(of: original).shifted(dx: dx, dy: dy)
        let got = try Self.mask(of: moved[0])
        let differing = zip(expected.bytes, got.bytes).filter { $0 != $1 }.count
        // Percent round trips can move a pixel centre that sits exactly on an edge.
        #expect(differing <= 2, "seed \(seed): \(differing) pixels differ")
    }

    @Test("copies get fresh unique ids, keep labels, and link to their parent on request")
    func freshIDs() throws {
        var rng = SplitMix64(seed: 7)
        let results = (0..<50).map { Self.randomResult(&rng, id: "r\($0)") }
        var duplicator = RegionDuplicator(results: results, seed: 1)
        var seen = Set(results.map { $0["id"] as! String })
        for i in 0..<50 {
            let copy = try duplicator.duplicate(regionID: "r\(i)", linkParent: i % 2 == 0)[0]
            let id = copy["id"] as! String
            #expect(id.count == 10)
            #expect(seen.insert(id).inserted)
            #expect((copy["parentID"] as? String) == (i % 2 == 0 ? "r\(i)" : nil))
            let value = copy["value"] as! [String: Any], originalValue = results[i]["value"] as! [String: Any]
            let key = results[i]["type"] as! String
            #expect(value[key] as? [String] == originalValue[key] as? [String])
        }
    }

    @Test("items sharing an id are copied together under one new id")
    func perRegionAttributes() throws {
        let geometry: [String: Any] = [
            "id": "box", "type": "rectangle", "original_width": 100, "original_height": 100,
            "value": ["x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0],
        ]
        let choice: [String: Any] = [
            "id": "box", "type": "choices", "original_width": 100, "original_height": 100,
            "value": ["x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0, "choices": ["Good"]],
        ]
        var duplicator = RegionDuplicator(results: [geometry, choice], seed: 3)
        let copies = try duplicator.duplicate(regionID: "box", offset: .percent(dx: 5, dy: 0))
        #expect(copies.count == 2)
        #expect(copies[0]["id"] as? String == copies[1]["id"] as? String)
        #expect(((copies[1]["value"] as! [String: Any])["choices"] as? [String]) == ["Good"])
        #expect(((copies[0]["value"] as! [String: Any])["x"] as? Double) == 15)
    }

    @Test("grid text parses to rows and columns; huge or malformed grids are errors, not traps")
    func gridText() throws {
        #expect(try RegionDuplicator.grid("2x3") == (rows: 2, columns: 3))
        for bad in ["2xx3", "-1x3", "2x", "x", "4294967296x4294967296x1", "2.5x2"] {
            #expect(throws: FormatsError.self, "\(bad)") { try RegionDuplicator.grid(bad) }
        }
        var duplicator = RegionDuplicator(results: [])
        #expect(throws: FormatsError.self) {
            try duplicator.duplicateGrid(
                regionID: "a", rows: 4_294_967_296, columns: 4_294_967_296, spacing: .pixels(dx: 1, dy: 1))
        }
    }

    @Test("a grid of copies has rows x columns - 1 regions at the grid offsets")
    func grid() throws {
        let box: [String: Any] = [
            "id": "b", "type": "rectanglelabels", "original_width": 200, "original_height": 100,
            "value": ["x": 0, "y": 0, "width": 10, "height": 10, "rotation": 0],
        ]
        var duplicator = RegionDuplicator(results: [box], seed: 5)
        let copies = try duplicator.duplicateGrid(regionID: "b", rows: 3, columns: 4, spacing: .pixels(dx: 40, dy: 20))
        #expect(copies.count == 11)
        #expect(Set(copies.map { $0["id"] as! String }).count == 11)
        let xs = Set(copies.map { (($0["value"] as! [String: Any])["x"] as! Double) })
        #expect(xs == [0, 20, 40, 60])
    }

    @Test("pasting keeps percent or pixels on an image of another size")
    func paste() throws {
        let polygon: [String: Any] = [
            "id": "p", "type": "polygonlabels", "original_width": 100, "original_height": 50,
            "value": ["points": [[10, 10], [50, 10], [50, 60], [10, 60]], "polygonlabels": ["A"]],
        ]
        let relation: [String: Any] = ["type": "relation", "from_id": "p", "to_id": "p", "direction": "right"]
        var duplicator = RegionDuplicator(results: [], seed: 9)
        let percent = try duplicator.paste([polygon, relation], width: 200, height: 100, mode: .keepPercent)
        #expect(percent.count == 2)
        #expect((percent[0]["value"] as! [String: Any])["points"] as? [[Double]] == [[10, 10], [50, 10], [50, 60], [10, 60]])
        #expect(percent[0]["original_width"] as? Int == 200)
        #expect(percent[1]["from_id"] as? String == percent[0]["id"] as? String)
        let pixels = try duplicator.paste([polygon], width: 200, height: 100, mode: .keepPixels(clip: false))
        #expect((pixels[0]["value"] as! [String: Any])["points"] as? [[Double]] == [[5, 5], [25, 5], [25, 30], [5, 30]])
        let clipped = try duplicator.paste([polygon], width: 40, height: 20, mode: .keepPixels(clip: true))
        let points = (clipped[0]["value"] as! [String: Any])["points"] as! [[Double]]
        #expect(points.allSatisfy { $0[0] >= 0 && $0[0] <= 100 && $0[1] >= 0 && $0[1] <= 100 })
        let outside: [String: Any] = [
            "id": "k", "type": "keypointlabels", "original_width": 100, "original_height": 100,
            "value": ["x": 90, "y": 90, "width": 1],
        ]
        #expect(try duplicator.paste([outside], width: 50, height: 50, mode: .keepPixels(clip: true)).isEmpty)
    }

    @Test("brush regions move by whole pixels and keep their mask")
    func brush() throws {
        var mask = Mask(width: 40, height: 30)
        mask.fill(.ellipse(Ellipse(center: Point(x: 15, y: 12), radiusX: 6, radiusY: 4)))
        let rle = try LabelStudioRLE.encode(mask).map(Int.init)
        let brush: [String: Any] = [
            "id": "m", "type": "brushlabels", "original_width": 40, "original_height": 30,
            "value": ["format": "rle", "rle": rle, "brushlabels": ["Cat"]],
        ]
        var duplicator = RegionDuplicator(results: [brush], seed: 2)
        let moved = try duplicator.duplicate(regionID: "m", offset: .pixels(dx: 5, dy: -3))[0]
        let bytes = ((moved["value"] as! [String: Any])["rle"] as! [Int]).map(UInt8.init)
        #expect(try LabelStudioRLE.decodeMask(bytes, width: 40, height: 30) == mask.shifted(dx: 5, dy: -3))
    }

    @Test("an unknown region id is an error naming it")
    func unknownRegion() {
        var duplicator = RegionDuplicator(results: [])
        #expect(throws: FormatsError.self) { try duplicator.duplicate(regionID: "nope") }
    }
}
