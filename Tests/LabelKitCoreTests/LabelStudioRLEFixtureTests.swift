import LabelKitCore
import LabelKitImaging
import Testing

/// `ls_rle` fixtures: label-studio-converter `mask2rle`, `image2rle` and `decode_rle`.
@Suite("Label Studio brush RLE fixtures")
struct LabelStudioRLEFixtureTests {
    @Test("the index lists cases of every kind")
    func indexHasEveryKind() {
        let kinds = Set(LSIndex.entries().map(\.kind))
        #expect(kinds.isSuperset(of: ["mask2rle", "image2rle", "decode_only"]))
    }

    @Test("every case's JSON agrees with its index entry", arguments: LSIndex.entries())
    func caseMatchesIndex(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        #expect(c.name == entry.name)
        #expect(c.kind == entry.kind)
        #expect(c.width == entry.width && c.height == entry.height)
        #expect(c.rle.count == c.rleLength)
    }

    @Test("mask2rle output is reproduced byte for byte", arguments: LSIndex.entries(kind: "mask2rle"))
    func encodeMatchesMask2rle(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let mask = try Fixtures.grayMask(LSCase.png(c.maskPng))
        #expect(mask.width == c.width && mask.height == c.height)
        let rle = try LabelStudioRLE.encode(mask)
        #expect(rle.count == c.rle.count)
        #expect(rle == c.rle)
    }

    @Test("mask2rle streams decode to the mask PNG", arguments: LSIndex.entries(kind: "mask2rle"))
    func decodeMask2rle(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let mask = try Fixtures.grayMask(LSCase.png(c.maskPng))
        let decoded = try LabelStudioRLE.decodeMask(c.rle, width: c.width, height: c.height)
        #expect(decoded.width == c.width && decoded.height == c.height)
        #expect(decoded.bytes == mask.bytes)
    }

    @Test("mask2rle streams decode to RGBA with four equal channels", arguments: LSIndex.entries(kind: "mask2rle"))
    func decodeRGBAMask2rle(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let mask = try Fixtures.grayMask(LSCase.png(c.maskPng))
        let rgba = try LabelStudioRLE.decodeRGBA(c.rle, width: c.width, height: c.height)
        var expected = [UInt8]()
        expected.reserveCapacity(mask.bytes.count * 4)
        for b in mask.bytes { expected.append(contentsOf: [b, b, b, b]) }
        #expect(rgba == expected)
    }

    @Test("image2rle output is reproduced from the image's luma", arguments: LSIndex.entries(kind: "image2rle"))
    func encodeMatchesImage2rle(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let image = try Fixtures.image(LSCase.png(c.imagePng))
        #expect(image.width == c.width && image.height == c.height)
        let rle = try LabelStudioRLE.encode(grayImage: image.luma(), threshold: 128)
        #expect(rle == c.rle)
    }

    @Test("image2rle streams decode to the threshold PNG", arguments: LSIndex.entries(kind: "image2rle"))
    func decodeImage2rle(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let threshold = try Fixtures.grayMask(LSCase.png(c.thresholdPng))
        let decoded = try LabelStudioRLE.decodeMask(c.rle, width: c.width, height: c.height)
        #expect(decoded.bytes == threshold.bytes)
    }

    @Test("image luma thresholded at 128 equals the threshold PNG", arguments: LSIndex.entries(kind: "image2rle"))
    func lumaThresholdMatchesPillow(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let image = try Fixtures.image(LSCase.png(c.imagePng))
        let threshold = try Fixtures.grayMask(LSCase.png(c.thresholdPng))
        // Pillow convert('L') computed here, independently of Image.luma().
        var expected = [UInt8](repeating: 0, count: image.width * image.height)
        for i in expected.indices {
            let l: UInt32
            if image.channels >= 3 {
                let p = i * image.channels
                let r = UInt32(image.pixels[p]), g = UInt32(image.pixels[p + 1]), b = UInt32(image.pixels[p + 2])
                l = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16
            } else {
                l = UInt32(image.pixels[i * image.channels])
            }
            expected[i] = l > 128 ? 255 : 0
        }
        #expect(expected == threshold.bytes)
        #expect(image.luma().bytes.map { $0 > 128 ? UInt8(255) : 0 } == threshold.bytes)
    }

    @Test("decode-only streams decode to the expected RGBA image", arguments: LSIndex.entries(kind: "decode_only"))
    func decodeOnlyRGBA(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let expected = try Fixtures.image(LSCase.png(c.expectedRgbaPng))
        #expect(expected.channels == 4)
        #expect(expected.width == c.width && expected.height == c.height)
        let rgba = try LabelStudioRLE.decodeRGBA(c.rle, width: c.width, height: c.height)
        #expect(rgba.count == expected.pixels.count)
        #expect(rgba == expected.pixels)
    }

    @Test("decode-only streams decode to the expected alpha mask", arguments: LSIndex.entries(kind: "decode_only"))
    func decodeOnlyMask(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let mask = try Fixtures.grayMask(LSCase.png(c.maskPng))
        let decoded = try LabelStudioRLE.decodeMask(c.rle, width: c.width, height: c.height)
        #expect(decoded.bytes == mask.bytes)
        // The mask PNG is channel 3 of the RGBA PNG.
        let rgba = try Fixtures.image(LSCase.png(c.expectedRgbaPng))
        #expect(stride(from: 3, to: rgba.pixels.count, by: 4).map { rgba.pixels[$0] } == mask.bytes)
    }

    @Test("decodeWords gives 4*W*H words matching the RGBA image", arguments: LSIndex.entries(kind: "decode_only"))
    func decodeOnlyWords(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let expected = try Fixtures.image(LSCase.png(c.expectedRgbaPng))
        let words = try LabelStudioRLE.decodeWords(c.rle)
        #expect(words == expected.pixels.map(UInt32.init))
    }

    @Test("the header reader matches rle_header", arguments: LSIndex.entries())
    func headerMatches(_ entry: LSIndex.Entry) throws {
        let c = try LSCase.load(entry)
        let header = try LabelStudioRLE.header(of: c.rle)
        #expect(header.wordCount == c.rleHeader.numValues)
        #expect(header.wordSize == c.rleHeader.wordSize)
        #expect(header.runSizes == c.rleHeader.rleSizes)
        #expect(header.wordCount == 4 * c.width * c.height)
    }
}
