import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import LabelKitOperations
import Testing

/// BitmaskLabels (Label Studio 1.2x): `value.imageDataURL` holds a PNG at the
/// image's size, black and opaque where painted. The data URL below was written by
/// Pillow: a 6 x 4 RGBA image painted at (1,1), (2,1), (3,2) and (5,3).
@Suite("BitmaskLabels")
struct BitmaskTests {
    static let dataURL =
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAYAAAAECAYAAACtBE5DAAAAE0lEQVR4nGNgIAD+QzFeBfhNAACkvwP9uFFs5wAAAABJRU5ErkJggg=="
    static let painted: Set<[Int]> = [[1, 1], [2, 1], [3, 2], [5, 3]]

    static func result(_ url: String = dataURL, width: Int = 6, height: Int = 4) -> [String: Any] {
        [
            "id": "bm", "type": "bitmasklabels", "from_name": "bitmask", "to_name": "image",
            "original_width": width, "original_height": height,
            "value": ["imageDataURL": url, "bitmasklabels": ["Road"]],
        ]
    }

    static func pixels(_ mask: Mask) -> Set<[Int]> {
        var set = Set<[Int]>()
        for y in 0..<mask.height { for x in 0..<mask.width where mask[x, y] != 0 { set.insert([x, y]) } }
        return set
    }

    @Test("read as a mask of its painted pixels, with its labels")
    func read() throws {
        #expect(LabelStudioRegion.kind(of: Self.result()) == .bitmask)
        let region = try LabelStudioRegion.region(from: Self.result())
        guard case .mask(let mask) = region.shape else {
            Issue.record("not a mask")
            return
        }
        #expect(Self.pixels(mask) == Self.painted)
        #expect(Set(mask.bytes) == [0, 255])
        #expect(region.labels == ["Road"])
    }

    @Test("another size, a bad URL or not an image: an error naming the region")
    func errors() {
        for (result, words) in [
            (Self.result(width: 7), "is 6x4, the image 7x4"),
            (Self.result("data:image/png,abc"), "not a base64 data URL"),
            (Self.result("data:image/png;base64,aGVsbG8="), "value.imageDataURL"),
        ] {
            do {
                _ = try LabelStudioRegion.region(from: result)
                Issue.record("accepted: \(words)")
            } catch {
                #expect(error.message.hasPrefix("region \"bm\""), "\(error.message)")
                #expect(error.message.contains(words), "\(error.message)")
            }
        }
    }

    @Test("exports: a PNG layer named like a brush's, COCO RLE of the painted pixels")
    func export() throws {
        let task = LSBuild.task(3, annotations: [LSBuild.annotation(4, [Self.result()])])
        let png = TaskExporter(options: ExportOptions(format: .png), labels: LabelMap()).export(
            try LSBuild.parsed(task), index: 0)
        #expect(png.files.map(\.name) == ["task-3-annotation-4-by-1-bitmask-Road-0.png"])
        #expect(Self.pixels(try ExportFiles.mask(try #require(png.files.first).bytes)) == Self.painted)
        let coco = TaskExporter(options: ExportOptions(format: .coco), labels: LabelMap()).export(
            try LSBuild.parsed(task), index: 0)
        let annotation = try #require((coco.coco?["annotations"] as? [[String: Any]])?.first)
        #expect(annotation["area"] as? Int == 4)
    }

    @Test("duplicated by a pixel offset: the PNG moves with it")
    func duplicate() throws {
        var duplicator = RegionDuplicator(results: [Self.result()], seed: 1)
        let moved = try #require(try duplicator.duplicate(regionID: "bm", offset: .pixels(dx: 1, dy: -1)).first)
        #expect(LabelStudioRegion.kind(of: moved) == .bitmask)
        let region = try LabelStudioRegion.region(from: moved)
        guard case .mask(let mask) = region.shape else {
            Issue.record("not a mask")
            return
        }
        #expect(Self.pixels(mask) == [[2, 0], [3, 0], [4, 1]])
    }
}
