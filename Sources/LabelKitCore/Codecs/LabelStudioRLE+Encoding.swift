extension LabelStudioRLE {
    /// Encodes a mask as Label Studio brush RLE, byte-identical with
    /// label-studio-converter `mask2rle(mask)`.
    ///
    /// Each mask byte becomes one RGBA pixel with R = G = B = A = the byte, without
    /// building that 4x copy: runs are found on the mask and written 4x as long.
    /// Bytes are stored as given (pass 0/255 masks; a 0/1 mask is nearly invisible
    /// in Label Studio).
    ///
    /// - Throws: `.invalidDimensions` for an empty mask or one above 2^30 pixels.
    /// - Complexity: O(width * height / 8) for scanning plus O(runs) for writing.
    public static func encode(_ mask: Mask) throws(CoreError) -> [UInt8] {
        let wordCount = try brushWordCount(width: mask.width, height: mask.height)
        return encodeRuns(mask.bytes, wordCount: wordCount, wordsPerByte: 4)
    }

    /// Encodes a grayscale image the way label-studio-converter `image2rle` does:
    /// pixels above `threshold` become 255, the rest 0, then ``encode(_:)``.
    ///
    /// - Parameter grayImage: luma bytes (for colour images, convert with Pillow's
    ///   `L` formula first, as `LabelKitImaging` does).
    /// - Parameter threshold: the largest value that still counts as background (128).
    public static func encode(grayImage: Mask, threshold: UInt8 = 128) throws(CoreError) -> [UInt8] {
        var binary = grayImage
        binary.bytes.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices {
                buffer[i] = buffer[i] > threshold ? 255 : 0
            }
        }
        return try encode(binary)
    }

    /// Encodes arbitrary 8-bit words as label-studio-converter `encode_rle` does:
    /// one chunk per maximal run, single words as one-word literal chunks.
    ///
    /// - Throws: `.invalidDimensions` for an empty input or more than 2^32 - 1 words.
    public static func encode(words: [UInt8]) throws(CoreError) -> [UInt8] {
        guard !words.isEmpty, words.count <= Int(UInt32.max) else {
            throw CoreError(.invalidDimensions, "cannot encode \(words.count) words (1...2^32-1)")
        }
        return encodeRuns(words, wordCount: words.count, wordsPerByte: 1)
    }

    /// Writes the header and one run per maximal run of equal bytes, each byte
    /// standing for `wordsPerByte` equal words.
    @inlinable
    static func encodeRuns(_ bytes: [UInt8], wordCount: Int, wordsPerByte: Int) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buffer in
            var sink = RunWriter(
                base: buffer.baseAddress!, wordsPerByte: wordsPerByte,
                writer: BitWriter(reservingCapacity: 256))
            writeHeader(&sink.writer, .labelStudio(wordCount: wordCount))
            ByteRuns.scanBoundaries(buffer.baseAddress!, count: buffer.count, into: &sink)
            sink.end(at: buffer.count)
            let padding = 8 - sink.writer.bitCount % 8  // the converter pads 1...8 bits
            sink.writer.write(0, width: padding)
            return sink.writer.finish()
        }
    }

    @inlinable
    static func writeHeader(_ writer: inout BitWriter, _ header: Header) {
        writer.write(UInt64(header.wordCount), width: 32)
        writer.write(UInt64(header.wordSize - 1), width: 5)
        for size in header.runSizes {
            writer.write(UInt64(size - 1), width: 4)
        }
    }

    /// Writes one run the way label-studio-converter does (section 7.1 of the
    /// format spec): a one-word literal for 1, the smallest repeat class up to 256,
    /// and longer runs always in class 3, cut into 65536-word pieces.
    ///
    /// Runs of 2...256 (all but the rarest in masks) pick their class without a
    /// branch: class k = [L > 8] + [L > 16], widths 3, 4, 8 from a packed table.
    @inlinable @inline(__always)
    static func writeRun(_ writer: inout BitWriter, value: UInt8, length: Int) {
        let v = UInt64(value)
        if UInt(bitPattern: length &- 2) < 255 {  // 2...256
            let k = (length > 8 ? 1 : 0) &+ (length > 16 ? 1 : 0)
            let bits = (0x0843 &>> (k &* 4)) & 0xF  // 3, 4, 8
            let header = UInt64(4 | k) << UInt64(bits &+ 8)
            writer.write(header | UInt64(length &- 1) << 8 | v, width: 11 &+ bits)
        } else if length == 1 {
            writer.write(v, width: 14)  // literal, class 0, n-1 = 0
        } else {
            var remaining = length
            while remaining > 65536 {
                writer.write(0b111 << 24 | 0xFFFF << 8 | v, width: 27)
                remaining &-= 65536
            }
            writer.write(0b111 << 24 | UInt64(remaining &- 1) << 8 | v, width: 27)
        }
    }
}

/// Turns byte boundaries into runs written with ``LabelStudioRLE/writeRun(_:value:length:)``.
@usableFromInline
struct RunWriter: ByteBoundarySink {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let wordsPerByte: Int
    @usableFromInline var writer: BitWriter
    @usableFromInline var start = 0

    @inlinable
    init(base: UnsafePointer<UInt8>, wordsPerByte: Int, writer: BitWriter) {
        self.base = base
        self.wordsPerByte = wordsPerByte
        self.writer = writer
    }

    /// Ends one run at each boundary.
    @inlinable @inline(__always)
    mutating func boundaries(_ offsets: UnsafePointer<UInt16>, count: Int, from origin: Int) {
        var writer = self.writer
        var start = self.start
        for j in 0..<count {
            let index = origin &+ Int(offsets[j])
            LabelStudioRLE.writeRun(&writer, value: base[start], length: (index &- start) &* wordsPerByte)
            start = index
        }
        self.writer = writer
        self.start = start
    }

    /// Ends the last run at `index` (the end of the data).
    @inlinable
    mutating func end(at index: Int) {
        LabelStudioRLE.writeRun(&writer, value: base[start], length: (index &- start) &* wordsPerByte)
        start = index
    }
}
