import LabelKitCore
import Testing

/// The test vectors of section 7 of the format spec (label-studio-converter and thi.ng columns).
@Suite("Label Studio brush RLE spec vectors")
struct LabelStudioRLESpecVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var words: [UInt8]
        var converter: [UInt8]
        var thing: [UInt8]
        var testDescription: String { name }
    }

    /// 2x3 mask [[0,255,255],[0,0,0]], each value repeated 4 times.
    static let maskWords: [UInt8] = [0, 255, 255, 0, 0, 0].flatMap { [$0, $0, $0, $0] }

    static let vectors: [Vector] = [
        Vector(
            name: "mask2rle of 2x3 [[0,255,255],[0,0,0]]", words: maskWords,
            converter: [0, 0, 0, 24, 57, 27, 252, 96, 19, 255, 219, 0, 0],
            thing: [0, 0, 0, 24, 57, 27, 252, 96, 19, 255, 219, 0]),
        Vector(
            name: "[7]", words: [7],
            converter: [0, 0, 0, 1, 57, 27, 248, 0, 224],
            thing: [0, 0, 0, 1, 57, 27, 252, 0, 224]),
        Vector(
            name: "[1,2,3]", words: [1, 2, 3],
            converter: [0, 0, 0, 3, 57, 27, 248, 0, 32, 1, 0, 6],
            thing: [0, 0, 0, 3, 57, 27, 248, 64, 32, 64, 96]),
        Vector(
            name: "20 x 9", words: [UInt8](repeating: 9, count: 20),
            converter: [0, 0, 0, 20, 57, 27, 254, 19, 9, 0],
            thing: [0, 0, 0, 20, 57, 27, 254, 19, 9]),
        Vector(
            name: "65540 x 0, 4 x 255",
            words: [UInt8](repeating: 0, count: 65540) + [255, 255, 255, 255],
            converter: [0, 1, 0, 8, 57, 27, 255, 255, 255, 0, 224, 0, 96, 17, 255, 128],
            thing: [0, 1, 0, 8, 57, 27, 255, 255, 255, 0, 140, 2, 63, 240]),
    ]

    @Test("encode(words:) reproduces the label-studio-converter column", arguments: vectors)
    func encodeWords(_ v: Vector) throws {
        #expect(try LabelStudioRLE.encode(words: v.words) == v.converter)
    }

    @Test("decodeWords reads the label-studio-converter column back", arguments: vectors)
    func decodeConverter(_ v: Vector) throws {
        #expect(try LabelStudioRLE.decodeWords(v.converter, limit: 1 << 20) == v.words.map(UInt32.init))
    }

    @Test("decodeWords reads the thi.ng column (no extra padding, multi-word literals)", arguments: vectors)
    func decodeThing(_ v: Vector) throws {
        #expect(try LabelStudioRLE.decodeWords(v.thing, limit: 1 << 20) == v.words.map(UInt32.init))
    }

    @Test("mask2rle of the 2x3 mask matches the spec vector")
    func maskVector() throws {
        let mask = try Mask(width: 3, height: 2, bytes: [0, 255, 255, 0, 0, 0])
        #expect(try LabelStudioRLE.encode(mask) == Self.vectors[0].converter)
        #expect(try LabelStudioRLE.decodeMask(Self.vectors[0].converter, width: 3, height: 2) == mask)
        #expect(try LabelStudioRLE.decodeMask(Self.vectors[0].thing, width: 3, height: 2) == mask)
    }

    @Test("the default header is 0x39 0x1B then five one bits")
    func defaultHeaderBytes() throws {
        let rle = try LabelStudioRLE.encode(words: [42])
        #expect(rle[4] == 0x39)
        #expect(rle[5] == 0x1B)
        #expect(rle[6] >> 3 == 0b11111)
        let header = try LabelStudioRLE.header(of: rle)
        #expect(header == .labelStudio(wordCount: 1))
        #expect(header.runSizes == [3, 4, 8, 16])
    }

    /// Run lengths at every class boundary: the stream length follows from section 7.1.
    @Test("encode(words:) uses the run classes of section 7.1", arguments: [
        1, 2, 8, 9, 16, 17, 256, 257, 65536, 65537, 131072, 131073,
    ])
    func runClassLengths(_ length: Int) throws {
        let rle = try LabelStudioRLE.encode(words: [UInt8](repeating: 200, count: length))
        let chunkBits: Int
        switch length {
        case 1: chunkBits = 14
        case 2...8: chunkBits = 14
        case 9...16: chunkBits = 15
        case 17...256: chunkBits = 19
        default: chunkBits = 27 * ((length - 1) / 65536 + 1)
        }
        let bits = 53 + chunkBits
        #expect(rle.count == bits / 8 + 1)  // 1...8 padding bits
        #expect(try LabelStudioRLE.decodeWords(rle, limit: 1 << 20) == [UInt32](repeating: 200, count: length))
    }

    @Test("encode(words:) refuses an empty input")
    func emptyWords() {
        #expect(throws: CoreError.self) { try LabelStudioRLE.encode(words: []) }
    }
}
