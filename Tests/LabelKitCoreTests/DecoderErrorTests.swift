import LabelKitCore
import Testing

/// Crafted invalid inputs and the error codes they must produce.
@Suite("Decoder error codes")
struct DecoderErrorTests {
    static func code<T>(_ body: () throws(CoreError) -> T) -> CoreError.Code? {
        do {
            _ = try body()
            return nil
        } catch {
            return error.code
        }
    }

    /// mask2rle of a 2x2 all-255 mask: one repeat chunk of 16 words, plus padding.
    static let twoByTwo: [UInt8] = {
        var bits = Reference.Bits()
        bits.header(count: 16)
        bits.write(1, 1); bits.write(1, 2); bits.write(15, 4); bits.write(255, 8)
        bits.write(0, 8 - bits.count % 8)
        return bits.bytes
    }()

    @Test("the crafted 2x2 stream is valid")
    func craftedStreamIsValid() throws {
        let mask = try LabelStudioRLE.decodeMask(Self.twoByTwo, width: 2, height: 2)
        #expect(mask.bytes == [255, 255, 255, 255])
        #expect(try LabelStudioRLE.encode(mask) == Self.twoByTwo)
    }

    @Test("a stream shorter than its header is truncatedStream", arguments: [0, 1, 4, 6])
    func truncatedHeader(_ length: Int) {
        let rle = Array(Self.twoByTwo.prefix(length))
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.header(of: rle) } == .truncatedStream)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(rle, width: 2, height: 2) } == .truncatedStream)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeWords(rle) } == .truncatedStream)
    }

    @Test("a stream that ends inside a chunk is truncatedStream")
    func truncatedChunk() {
        // Header (53 bits) + 7 bits of the 15-bit chunk = 60 bits -> 8 bytes hold only part of it.
        let rle = Array(Self.twoByTwo.prefix(8))
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(rle, width: 2, height: 2) } == .truncatedStream)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeRGBA(rle, width: 2, height: 2) } == .truncatedStream)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeWords(rle) } == .truncatedStream)
    }

    @Test("a stream that stops before all words are produced is truncatedStream")
    func truncatedAfterChunk() throws {
        // 2x2 needs 16 words; one chunk of 8 then nothing.
        var bits = Reference.Bits()
        bits.header(count: 16)
        bits.write(1, 1); bits.write(0, 2); bits.write(7, 3); bits.write(255, 8)
        let rle = bits.bytes
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(rle, width: 2, height: 2) } == .truncatedStream)
    }

    @Test("a literal chunk missing its values is truncatedStream")
    func truncatedLiteral() {
        var bits = Reference.Bits()
        bits.header(count: 4)
        bits.write(0, 1); bits.write(0, 2); bits.write(3, 3)  // literal of 4 words
        bits.write(10, 8); bits.write(20, 8)  // only 2 of them
        let rle = bits.bytes
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(rle, width: 1, height: 1) } == .truncatedStream)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeWords(rle) } == .truncatedStream)
    }

    @Test("a header count other than 4*W*H is countMismatch", arguments: [(3, 2), (1, 1), (2, 1), (4, 4)])
    func countMismatch(_ size: (Int, Int)) {
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(Self.twoByTwo, width: size.0, height: size.1) } == .countMismatch)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeRGBA(Self.twoByTwo, width: size.0, height: size.1) } == .countMismatch)
    }

    @Test("a literal chunk running past the word count is countMismatch")
    func literalOverrun() {
        var bits = Reference.Bits()
        bits.header(count: 4)
        bits.write(0, 1); bits.write(0, 2); bits.write(7, 3)  // literal of 8 words, only 4 announced
        for v in 0..<8 { bits.write(UInt64(v), 8) }
        let rle = bits.bytes
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(rle, width: 1, height: 1) } == .countMismatch)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeWords(rle) } == .countMismatch)
    }

    @Test("a repeat chunk running past the word count is clamped")
    func repeatOverrunClamped() throws {
        var bits = Reference.Bits()
        bits.header(count: 4)
        bits.write(1, 1); bits.write(1, 2); bits.write(15, 4); bits.write(77, 8)  // 16 words, 4 announced
        let rle = bits.bytes
        #expect(try LabelStudioRLE.decodeMask(rle, width: 1, height: 1).bytes == [77])
        #expect(try LabelStudioRLE.decodeWords(rle) == [77, 77, 77, 77])
    }

    @Test("a zero or negative size is invalidDimensions", arguments: [(0, 2), (2, 0), (0, 0), (-1, 4), (4, -1)])
    func invalidDimensions(_ size: (Int, Int)) {
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(Self.twoByTwo, width: size.0, height: size.1) } == .invalidDimensions)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeRGBA(Self.twoByTwo, width: size.0, height: size.1) } == .invalidDimensions)
    }

    @Test("encoding an empty mask is invalidDimensions")
    func encodeEmpty() {
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.encode(Mask(width: 0, height: 3)) } == .invalidDimensions)
    }

    @Test("word size 9 with value 300 is valueOutOfRange for masks but fine for words")
    func valueOutOfRange() throws {
        var repeatBits = Reference.Bits()
        repeatBits.header(count: 4, wordSize: 9)
        repeatBits.write(1, 1); repeatBits.write(0, 2); repeatBits.write(3, 3); repeatBits.write(300, 9)
        let repeated = repeatBits.bytes
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(repeated, width: 1, height: 1) } == .valueOutOfRange)
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeRGBA(repeated, width: 1, height: 1) } == .valueOutOfRange)
        #expect(try LabelStudioRLE.decodeWords(repeated) == [300, 300, 300, 300])

        var literalBits = Reference.Bits()
        literalBits.header(count: 4, wordSize: 9)
        literalBits.write(0, 1); literalBits.write(0, 2); literalBits.write(3, 3)
        for v: UInt64 in [1, 2, 3, 300] { literalBits.write(v, 9) }
        let literal = literalBits.bytes
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeMask(literal, width: 1, height: 1) } == .valueOutOfRange)
        #expect(try LabelStudioRLE.decodeWords(literal) == [1, 2, 3, 300])

        // Word size 9 with values that fit a byte decodes.
        var okBits = Reference.Bits()
        okBits.header(count: 4, wordSize: 9)
        okBits.write(1, 1); okBits.write(0, 2); okBits.write(3, 3); okBits.write(255, 9)
        #expect(try LabelStudioRLE.decodeMask(okBits.bytes, width: 1, height: 1).bytes == [255])
    }

    @Test("decodeWords refuses counts above its limit or beyond what the stream can hold")
    func wordLimit() {
        var bits = Reference.Bits()
        bits.header(count: 5000)
        bits.write(1, 1); bits.write(3, 2); bits.write(4999, 16); bits.write(1, 8)
        let rle = bits.bytes
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeWords(rle, limit: 4999) } == .countMismatch)
        #expect((try? LabelStudioRLE.decodeWords(rle, limit: 5000))?.count == 5000)
        // A header announcing 2^32 - 1 words with no body.
        var huge = Reference.Bits()
        huge.header(count: Int(UInt32.max))
        #expect(Self.code { () throws(CoreError) in try LabelStudioRLE.decodeWords(huge.bytes) } != nil)
    }

    @Test("COCO counts that do not add up to h*w are invalidCounts")
    func cocoSum() {
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: 3, compressedCounts: "8") } == .invalidCounts)
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: 3, compressedCounts: "0:") } == .invalidCounts)
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: 3, compressedCounts: "") } == .invalidCounts)
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: 3, counts: [1, 2]) } == .invalidCounts)
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: 3, counts: [4, 6]) } == .invalidCounts)
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 4, width: 5, compressedCounts: "522000OO3") } == .invalidCounts)
    }

    @Test("malformed COCO counts strings are invalidCounts", arguments: [
        "9/", "p", "9 ", "9\u{0}", "é", "o", "522000OO2o", "1N",  // bad char, unterminated, negative count
    ])
    func cocoMalformed(_ s: String) {
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: 3, compressedCounts: s) } == .invalidCounts)
    }

    @Test("COCO sizes must be non-negative")
    func cocoNegativeSize() {
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: -1, width: 3, compressedCounts: "") } == .invalidDimensions)
        #expect(Self.code { () throws(CoreError) in try COCORLE(height: 3, width: -3, counts: []) } == .invalidDimensions)
    }

    @Test("a mask over the wrong number of bytes is invalidDimensions")
    func maskBytes() {
        #expect(Self.code { () throws(CoreError) in try Mask(width: 2, height: 2, bytes: [1, 2, 3]) } == .invalidDimensions)
        #expect(Self.code { () throws(CoreError) in try Mask(width: -2, height: -2, bytes: [1, 2, 3, 4]) } == .invalidDimensions)
    }

    @Test("errors name the position at fault")
    func messages() {
        do {
            _ = try LabelStudioRLE.decodeMask(Array(Self.twoByTwo.prefix(8)), width: 2, height: 2)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("bit"))
            #expect(error.description.hasSuffix("[truncatedStream]"))
        }
        do {
            _ = try COCORLE(height: 3, width: 3, compressedCounts: "9/")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("1"))
            #expect(error.description.hasSuffix("[invalidCounts]"))
        }
    }
}
