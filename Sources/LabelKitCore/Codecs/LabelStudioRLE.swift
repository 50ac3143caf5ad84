/// Label Studio brush RLE: the thi.ng `rle-pack` bit stream that Label Studio stores
/// in a brush result's `value.rle`, over the RGBA pixels of a `width x height` image.
///
/// Stream layout (every field most significant bit first):
///
///     32 bits  number of words (4 * width * height for a brush)
///      5 bits  word size - 1
///     4 x 4    run-size-class widths - 1
///     chunks:  1 bit repeat(1)/literal(0) | 2 bits class k | s_k bits n-1 |
///              one word (repeat) or n words (literal)
///
/// The encoder is byte-identical with label-studio-converter's `mask2rle`
/// (word size 8, classes [3, 4, 8, 16], one repeat chunk per run, single words as
/// one-word literals, runs over 65536 cut into 65536-word pieces, 1 to 8 padding
/// bits). The decoder accepts every valid stream: any word size 1...32, any class
/// widths 1...16, literal and repeat chunks, any trailing padding.
///
///     let rle = try LabelStudioRLE.encode(mask)                 // [UInt8], as stored by LS
///     let back = try LabelStudioRLE.decodeMask(rle, width: mask.width, height: mask.height)
public enum LabelStudioRLE {
    /// The 53-bit header of an `rle-pack` stream.
    public struct Header: Hashable, Sendable {
        /// Number of words the stream decodes to.
        public var wordCount: Int
        /// Bits per word, 1...32.
        public var wordSize: Int
        /// Bit widths of the four run-size classes, each 1...16.
        public var runSizes: [Int]

        /// The header Label Studio and label-studio-converter write: word size 8,
        /// run-size classes [3, 4, 8, 16].
        public static func labelStudio(wordCount: Int) -> Header {
            Header(wordCount: wordCount, wordSize: 8, runSizes: [3, 4, 8, 16])
        }

        /// Creates a header.
        public init(wordCount: Int, wordSize: Int, runSizes: [Int]) {
            self.wordCount = wordCount
            self.wordSize = wordSize
            self.runSizes = runSizes
        }
    }

    /// Number of bits in the header.
    public static let headerBitCount = 53

    /// Reads the header of a stream without decoding it.
    ///
    /// - Throws: `.truncatedStream` when the stream is shorter than 53 bits.
    public static func header(of rle: [UInt8]) throws(CoreError) -> Header {
        try withBytes(of: rle) { (raw) throws(CoreError) -> Header in
            var reader = BitReader(raw)
            return try readHeader(&reader)
        }
    }

    @inlinable
    static func readHeader(_ reader: inout BitReader) throws(CoreError) -> Header {
        let count = try reader.read(32, "the word count")
        let wordSize = try reader.read(5, "the word size") + 1
        var sizes: [Int] = []
        sizes.reserveCapacity(4)
        for _ in 0..<4 {
            sizes.append(Int(try reader.read(4, "a run-size width")) + 1)
        }
        return Header(wordCount: Int(count), wordSize: Int(wordSize), runSizes: sizes)
    }

    /// Checks a brush size and returns the word count `4 * width * height`.
    @usableFromInline
    static func brushWordCount(width: Int, height: Int) throws(CoreError) -> Int {
        try Mask.validate(width: width, height: height, limit: Int(UInt32.max / 4))
        return width * height * 4
    }
}
