import Foundation
import LabelKitCore
import LabelKitFormats
import Testing

/// A brush region whose own size differs from its document's image: callers check limits
/// on the document's size, so such a brush used to decode to a mask of any size (a 55 KB
/// stream to a 256 MiB mask in a document of a 1x1 image).
@Suite("Regions documents: brush sizes")
struct RegionsDocumentBrushSizeTests {
    /// A valid brush stream of a `side x side` image, all 255: repeat chunks of 65536 words.
    static func fullBrush(side: Int) -> [Int] {
        var bits = Reference.Bits()
        bits.header(count: 4 * side * side)
        for _ in 0..<(4 * side * side / 65536) {
            bits.write(0b111, 3)
            bits.write(65535, 16)
            bits.write(255, 8)
        }
        return bits.bytes.map(Int.init)
    }

    static var small: [String: Any] {
        [
            "id": "a", "type": "rectanglelabels", "original_width": 1, "original_height": 1,
            "value": ["x": 0, "y": 0, "width": 10, "height": 10],
        ]
    }

    @Test("a brush larger than the document's image is refused before it is decoded")
    func largerBrush() {
        let brush: [String: Any] = [
            "id": "b", "type": "brushlabels", "original_width": 16384, "original_height": 16384,
            "value": ["format": "rle", "rle": Self.fullBrush(side: 16384)],
        ]
        do {
            _ = try RegionsDocument(object: [Self.small, brush])
            Issue.record("a 16384x16384 brush was decoded in a document of a 1x1 image")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.message.contains("region \"b\": brush of 16384x16384 on an image of 1x1"), "\(error.message)")
        }
    }

    @Test("brushes of the document's size, or without a size of their own, still read")
    func matchingBrush() throws {
        let rle = Self.fullBrush(side: 128)
        let sized: [String: Any] = [
            "id": "b", "type": "brushlabels", "original_width": 128, "original_height": 128,
            "value": ["format": "rle", "rle": rle],
        ]
        let unsized: [String: Any] = ["id": "c", "type": "brushlabels", "value": ["format": "rle", "rle": rle]]
        let document = try RegionsDocument(object: ["original_width": 128, "original_height": 128, "regions": [sized, unsized]])
        #expect(document.regions.count == 2)
        for region in document.regions {
            guard case .mask(let mask) = region.shape else {
                Issue.record("not a mask")
                continue
            }
            #expect(mask.width == 128 && mask.height == 128 && mask.area == 128 * 128)
        }
    }
}
