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
        return mask.bytes.withUnsafeBufferPointer { pixels in
            var writer = BitWriter(reservingCapacity: 64)
            writeHeader(&writer, .labelStudio(wordCount: wordCount))
            let base = pixels.baseAddress!
            let end = pixels.count
            var i = 0
            while i < end {
                let value = base[i]
                let runEnd = ByteRuns.end(of: value, in: base, from: i &+ 1, to: end)
                writeRun(&writer, value: value, length: (runEnd &- i) &* 4)
                i = runEnd
            }
            return finishConverterStyle(&writer)
        }
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
        return words.withUnsafeBufferPointer { buffer in
            var writer = BitWriter(reservingCapacity: 64)
            writeHeader(&writer, .labelStudio(wordCount: buffer.count))
            let base = buffer.baseAddress!
            var i = 0
            while i < buffer.count {
                let value = base[i]
                let runEnd = ByteRuns.end(of: value, in: base, from: i &+ 1, to: buffer.count)
                writeRun(&writer, value: value, length: runEnd &- i)
                i = runEnd
            }
            return finishConverterStyle(&writer)
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

    /// Writes one run the way label-studio-converter does (section 7.1 of the format spec).
    @inlinable @inline(__always)
    static func writeRun(_ writer: inout BitWriter, value: UInt8, length: Int) {
        let v = UInt64(value)
        switch length {
        case 1:
            writer.write(v, width: 14)  // literal, class 0, n-1 = 0
        case 2...8:
            writer.write(0b100 << 11 | UInt64(length &- 1) << 8 | v, width: 14)
        case 9...16:
            writer.write(0b101 << 12 | UInt64(length &- 1) << 8 | v, width: 15)
        case 17...256:
            writer.write(0b110 << 16 | UInt64(length &- 1) << 8 | v, width: 19)
        default:
            var remaining = length
            while remaining > 65536 {
                writer.write(0b111 << 24 | 0xFFFF << 8 | v, width: 27)
                remaining &-= 65536
            }
            writer.write(0b111 << 24 | UInt64(remaining &- 1) << 8 | v, width: 27)
        }
    }

    /// label-studio-converter pads with 8 - (bits mod 8) zero bits: a whole zero
    /// byte when the stream is already aligned.
    @inlinable
    static func finishConverterStyle(_ writer: inout BitWriter) -> [UInt8] {
        let padding = 8 - writer.bitCount % 8
        writer.write(0, width: padding)
        return writer.finish()
    }
}
