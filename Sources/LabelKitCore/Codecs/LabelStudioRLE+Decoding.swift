extension LabelStudioRLE {
    /// Decodes a brush stream into a mask: the alpha channel of the RGBA image.
    ///
    /// Values are kept as stored (anti-aliased alphas stay 1...254); treat any
    /// non-zero byte as inside. Colour channels are skipped while streaming, so the
    /// RGBA image is never built.
    ///
    ///     let mask = try LabelStudioRLE.decodeMask(result.rle, width: 1920, height: 1080)
    ///
    /// - Throws: `.invalidDimensions` for a non-positive size; `.countMismatch` when
    ///   the header's word count is not `4 * width * height` or a literal chunk runs
    ///   past it; `.truncatedStream` with the bit offset when the stream ends early;
    ///   `.valueOutOfRange` when a word does not fit a byte.
    /// - Complexity: O(chunks + width * height).
    public static func decodeMask(_ rle: [UInt8], width: Int, height: Int) throws(CoreError) -> Mask {
        let expected = try brushWordCount(width: width, height: height)
        return try withBytes(of: rle) { (raw) throws(CoreError) -> Mask in
            var reader = BitReader(raw)
            let header = try readBrushHeader(&reader, expected: expected, width: width, height: height)
            var mask = Mask(width: width, height: height)
            try withMutableBuffer(of: &mask.bytes) { (pixels) throws(CoreError) in
                var sink = AlphaSink(base: pixels.baseAddress!, count: pixels.count)
                try decodeChunks(&reader, header, into: &sink, maxValue: 255)
            }
            return mask
        }
    }

    /// Decodes a brush stream into its full RGBA image, `4 * width * height` bytes,
    /// row-major, channels R, G, B, A.
    ///
    /// - Throws: as ``decodeMask(_:width:height:)``.
    public static func decodeRGBA(_ rle: [UInt8], width: Int, height: Int) throws(CoreError) -> [UInt8] {
        let expected = try brushWordCount(width: width, height: height)
        return try withBytes(of: rle) { (raw) throws(CoreError) -> [UInt8] in
            var reader = BitReader(raw)
            let header = try readBrushHeader(&reader, expected: expected, width: width, height: height)
            var rgba = [UInt8](repeating: 0, count: expected)
            try withMutableBuffer(of: &rgba) { (bytes) throws(CoreError) in
                var sink = ByteSink(base: bytes.baseAddress!)
                try decodeChunks(&reader, header, into: &sink, maxValue: 255)
            }
            return rgba
        }
    }

    /// Decodes any `rle-pack` stream into its words, whatever its word size.
    ///
    /// - Parameter limit: the largest word count accepted (guards against headers
    ///   that announce billions of words).
    /// - Throws: `.countMismatch` when the header announces more than `limit` words,
    ///   or more than the stream could hold; `.truncatedStream` with the bit offset.
    public static func decodeWords(_ rle: [UInt8], limit: Int = 1 << 28) throws(CoreError) -> [UInt32] {
        try withBytes(of: rle) { (raw) throws(CoreError) -> [UInt32] in
            var reader = BitReader(raw)
            let header = try readHeader(&reader)
            guard header.wordCount <= limit else {
                throw CoreError(
                    .countMismatch, "RLE header announces \(header.wordCount) words, above the limit of \(limit)")
            }
            try checkPlausibleCount(header, reader)
            var words = [UInt32](repeating: 0, count: header.wordCount)
            try withMutableBuffer(of: &words) { (buffer) throws(CoreError) in
                guard let base = buffer.baseAddress else { return }
                var sink = WordSink(base: base)
                try decodeChunks(&reader, header, into: &sink, maxValue: UInt32.max)
            }
            return words
        }
    }

    /// Reads the header of a brush stream and checks it before anything of the image's
    /// size is allocated: the word count must be `4 * width * height`, and the bits after
    /// the header must be able to produce that many words. So a stream of a few bytes
    /// cannot make a decoder allocate a large image (16 bytes that announce 32767 x 32767
    /// pixels are refused at once instead of costing a 1 GiB mask); memory stays within
    /// what the stream can fill, at most 2^16 words per chunk.
    ///
    /// - Throws: `.truncatedStream` for a short header or a count the stream cannot hold;
    ///   `.countMismatch` for a count other than `expected`.
    static func readBrushHeader(_ reader: inout BitReader, expected: Int, width: Int, height: Int) throws(CoreError)
        -> Header
    {
        let header = try readHeader(&reader)
        try checkBrushCount(header, expected: expected, width: width, height: height)
        try checkPlausibleCount(header, reader)
        return header
    }

    static func checkBrushCount(_ header: Header, expected: Int, width: Int, height: Int) throws(CoreError) {
        guard header.wordCount == expected else {
            throw CoreError(
                .countMismatch,
                "RLE header announces \(header.wordCount) words, but a \(width)x\(height) RGBA brush needs \(expected)")
        }
    }

    /// Refuses a word count that the remaining bits could not produce even with the
    /// longest repeat chunks, before anything is allocated.
    static func checkPlausibleCount(_ header: Header, _ reader: BitReader) throws(CoreError) {
        let longest = header.runSizes.max() ?? 1
        let chunkBits = 3 + longest + header.wordSize
        let maximum = (reader.remaining / chunkBits + 1) << longest
        guard header.wordCount <= maximum else {
            throw CoreError(
                .truncatedStream,
                "truncated RLE stream: \(reader.remaining) bits after the header cannot hold \(header.wordCount) words")
        }
    }

    /// Walks the chunks after the header, handing runs and literal words to `sink`.
    @inlinable
    static func decodeChunks<Sink: RLEWordSink>(
        _ reader: inout BitReader, _ header: Header, into sink: inout Sink, maxValue: UInt32
    ) throws(CoreError) {
        let total = header.wordCount
        let wordSize = header.wordSize
        let s0 = header.runSizes[0], s1 = header.runSizes[1]
        let s2 = header.runSizes[2], s3 = header.runSizes[3]
        var produced = 0
        // A repeat chunk (tag, length, word) fits one 64-bit read when it is at
        // most 57 bits long: taken in one step while 8 bytes remain.
        let repeatBits = (s0, s1, s2, s3)
        let fastWordShift = UInt64(64 &- wordSize)
        while produced < total {
            if let bits = reader.peek57() {
                let tag = Int(truncatingIfNeeded: bits >> 61)
                let width: Int
                switch tag & 3 {
                case 0: width = repeatBits.0
                case 1: width = repeatBits.1
                case 2: width = repeatBits.2
                default: width = repeatBits.3
                }
                if tag & 4 != 0 && 3 &+ width &+ wordSize <= 57 {
                    let count = Int(truncatingIfNeeded: (bits << 3) >> UInt64(64 &- width)) &+ 1
                    let value = UInt32(truncatingIfNeeded: (bits << UInt64(3 &+ width)) >> fastWordShift)
                    if value > maxValue { throw valueError(value, at: reader.position &+ 3 &+ width) }
                    reader.position &+= 3 &+ width &+ wordSize
                    let n = min(count, total &- produced)  // repeats past the end are clamped
                    sink.fill(from: produced, count: n, value: value)
                    produced &+= n
                    continue
                }
            }
            let chunkStart = reader.position
            let tag = try reader.read(3, "a chunk tag")
            let width: Int
            switch tag & 3 {
            case 0: width = s0
            case 1: width = s1
            case 2: width = s2
            default: width = s3
            }
            let count = Int(try reader.read(width, "a run length")) &+ 1
            if tag & 4 != 0 {
                let valueStart = reader.position
                let value = try reader.read(wordSize, "a repeated word")
                if value > maxValue { throw valueError(value, at: valueStart) }
                let n = min(count, total &- produced)  // repeats past the end are clamped
                sink.fill(from: produced, count: n, value: value)
                produced &+= n
            } else {
                guard count <= total &- produced else {
                    throw CoreError(
                        .countMismatch,
                        "literal chunk at bit \(chunkStart) holds \(count) words, "
                            + "but only \(total &- produced) of \(total) remain")
                }
                guard reader.remaining >= count &* wordSize else {
                    throw CoreError(
                        .truncatedStream,
                        "truncated RLE stream: literal chunk at bit \(chunkStart) needs \(count &* wordSize) bits, "
                            + "\(reader.remaining) remain")
                }
                for k in 0..<count {
                    let valueStart = reader.position
                    let value = try reader.read(wordSize, "a literal word")
                    if value > maxValue { throw valueError(value, at: valueStart) }
                    sink.store(value, at: produced &+ k)
                }
                produced &+= count
            }
        }
    }

    @usableFromInline
    static func valueError(_ value: UInt32, at bit: Int) -> CoreError {
        CoreError(.valueOutOfRange, "RLE word \(value) at bit \(bit) does not fit a byte")
    }
}

/// Receives decoded words: runs of one value and single literal words.
@usableFromInline
protocol RLEWordSink {
    /// Writes `value` to words `start..<start + count`.
    mutating func fill(from start: Int, count: Int, value: UInt32)
    /// Writes `value` to word `index`.
    mutating func store(_ value: UInt32, at index: Int)
}

/// Keeps every fourth word (the alpha channel) as one mask byte.
@usableFromInline
struct AlphaSink: RLEWordSink {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    /// Pixels in the mask.
    @usableFromInline let count: Int

    @inlinable init(base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Words `start..<end` hold the alphas of pixels `start / 4 ..< end / 4`.
    /// Up to 8 pixels are one 8-byte store: the bytes it writes past the run
    /// are written again by the chunks after it, which fill in order.
    @inlinable @inline(__always)
    func fill(from start: Int, count n: Int, value: UInt32) {
        let first = start &>> 2
        let last = (start &+ n) &>> 2
        let pixels = last &- first
        guard pixels > 0 else { return }
        if pixels <= 8 && first &+ 8 <= count {
            let word = UInt64(UInt8(truncatingIfNeeded: value)) &* 0x0101_0101_0101_0101
            UnsafeMutableRawPointer(base + first).storeBytes(of: word, as: UInt64.self)
        } else {
            (base + first).update(repeating: UInt8(truncatingIfNeeded: value), count: pixels)
        }
    }

    @inlinable @inline(__always)
    func store(_ value: UInt32, at index: Int) {
        if index & 3 == 3 { base[index &>> 2] = UInt8(truncatingIfNeeded: value) }
    }
}

/// Writes every word as one byte.
@usableFromInline
struct ByteSink: RLEWordSink {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>

    @inlinable init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inlinable @inline(__always)
    func fill(from start: Int, count: Int, value: UInt32) {
        (base + start).update(repeating: UInt8(truncatingIfNeeded: value), count: count)
    }

    @inlinable @inline(__always)
    func store(_ value: UInt32, at index: Int) { base[index] = UInt8(truncatingIfNeeded: value) }
}

/// Writes every word as a `UInt32`.
@usableFromInline
struct WordSink: RLEWordSink {
    @usableFromInline let base: UnsafeMutablePointer<UInt32>

    @inlinable init(base: UnsafeMutablePointer<UInt32>) { self.base = base }

    @inlinable @inline(__always)
    func fill(from start: Int, count: Int, value: UInt32) {
        (base + start).update(repeating: value, count: count)
    }

    @inlinable @inline(__always)
    func store(_ value: UInt32, at index: Int) { base[index] = value }
}
