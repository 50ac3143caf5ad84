import CJPEG

/// JPEG reading and writing over the system libjpeg-turbo, with DCT-domain
/// shrink-on-load (libjpeg's `scale_num = 1`, `scale_denom` = 1, 2, 4 or 8).
///
///     let d = JPEGCodec.scaleDenominator(width: 6000, height: 4000, atLeastWidth: 512, atLeastHeight: 342)  // 8
///     let small = try JPEGCodec.decode(bytes, scaleDenominator: d)   // 750 x 500, upright
///     let jpg = try JPEGCodec.encode(small, quality: 85)
///
/// libjpeg's `setjmp` error handling stays in the C shim (`CJPEG`); failures
/// arrive here as ``ImagingError`` with libjpeg's message.
public enum JPEGCodec {
    /// The denominators libjpeg-turbo decodes with SIMD: full size, 1/2, 1/4, 1/8.
    public static let scaleDenominators = [1, 2, 4, 8]

    /// Pixel count above which ``decode(_:scaleDenominator:maxPixels:maxScans:applyOrientation:cancellation:)``
    /// refuses an image by default (the full-size count, checked from the header).
    public static let defaultMaxPixels = 1 << 28

    /// Scan count above which ``decode(_:scaleDenominator:maxPixels:maxScans:applyOrientation:cancellation:)``
    /// refuses a JPEG by default, the value libjpeg-turbo suggests for djpeg's
    /// `-maxscans` and TurboJPEG's `TJPARAM_SCANLIMIT` (both unlimited unless set).
    ///
    /// Normal progressive files have about 10 scans (libjpeg's default script has
    /// 10, mozjpeg's a few more), baseline files 1 to 4. Each scan walks every block
    /// of its components however few bytes it holds, so a 250 KB file of 2,000 nearly
    /// empty scans can cost seconds of CPU: a scan bomb.
    public static let defaultMaxScans = 500

    /// The size libjpeg decodes a `width x height` image to at `1/denominator`:
    /// each side divided and rounded up.
    public static func scaledSize(width: Int, height: Int, denominator: Int) -> (width: Int, height: Int) {
        ((width + denominator - 1) / denominator, (height + denominator - 1) / denominator)
    }

    /// The largest denominator (8, 4, 2 or 1) whose decoded image is still at least
    /// `atLeastWidth x atLeastHeight`: the smallest decode that serves that size.
    ///
    /// A thumbnailer passes twice its target size so that a proper filter does at
    /// least the final 2x (DCT scaling alone aliases like block averaging).
    public static func scaleDenominator(width: Int, height: Int, atLeastWidth: Int, atLeastHeight: Int) -> Int {
        for denominator in scaleDenominators.reversed() {
            let size = scaledSize(width: width, height: height, denominator: denominator)
            if size.width >= atLeastWidth && size.height >= atLeastHeight { return denominator }
        }
        return 1
    }

    /// Decodes a JPEG into 8-bit gray (1 channel) or RGB (3 channels) at
    /// `1/scaleDenominator` of its size; CMYK and YCCK files become RGB.
    ///
    ///     let flag = CancellationFlag()
    ///     let image = try JPEGCodec.decode(bytes, maxScans: 100, cancellation: flag)
    ///
    /// - Parameters:
    ///   - scaleDenominator: 1, 2, 4 or 8; the result is `ceil(width / d) x ceil(height / d)`.
    ///   - maxPixels: the largest full-size `width * height` accepted; checked from
    ///     the header before any pixel buffer is allocated.
    ///   - maxScans: the most scans accepted (at least 1, default ``defaultMaxScans``);
    ///     decoding stops as soon as scan `maxScans + 1` is read.
    ///   - applyOrientation: turn the result upright by its EXIF orientation (1 to 8).
    ///   - cancellation: polled once per block row of every scan while a progressive
    ///     file is read, and once per 16 output rows.
    /// - Throws: `.invalidArgument` for another denominator or `maxScans` below 1;
    ///   `.tooLarge` naming size and limit; `.scanLimit` naming the limit;
    ///   `.cancelled` once `cancellation` is raised; `.invalidImage` with libjpeg's
    ///   message for corrupt or truncated data.
    /// - Complexity: O(bytes + decoded pixels + scans x blocks); the entropy decoding
    ///   still reads every coefficient, the inverse DCT and colour conversion run at
    ///   the reduced size.
    public static func decode(
        _ data: [UInt8], scaleDenominator: Int = 1, maxPixels: Int = defaultMaxPixels,
        maxScans: Int = defaultMaxScans, applyOrientation: Bool = true, cancellation: CancellationFlag? = nil
    ) throws(ImagingError) -> Image {
        guard scaleDenominators.contains(scaleDenominator) else {
            throw ImagingError(.invalidArgument, "JPEG scale denominator must be 1, 2, 4 or 8, not \(scaleDenominator)")
        }
        guard maxScans >= 1 else {
            throw ImagingError(.invalidArgument, "JPEG scan limit must be at least 1, not \(maxScans)")
        }
        try cancellation?.check()
        let info = try readInfo(data, scaleDenominator: scaleDenominator)
        let header = ImageHeader(
            format: .jpeg, width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
            orientation: .identity)
        try header.check(maxPixels: maxPixels)
        let width = Int(info.output_width), height = Int(info.output_height), channels = Int(info.channels)
        var message = [CChar](repeating: 0, count: 256)
        var result = CJPEG_RESULT_INVALID
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
            withLimits(maxScans: maxScans, cancellation: cancellation) { limits in
                result = data.withUnsafeBufferPointer { src in
                    cjpeg_decode(
                        src.baseAddress, src.count, Int32(scaleDenominator), limits, buffer.baseAddress, buffer.count,
                        &message, 256)
                }
            }
            // Initialise on failure as well, so the array never holds undefined bytes.
            if result != CJPEG_RESULT_OK, let base = buffer.baseAddress {
                base.initialize(repeating: 0, count: buffer.count)
            }
            count = buffer.count
        }
        switch result {
        case CJPEG_RESULT_OK: break
        case CJPEG_RESULT_SCAN_LIMIT: throw ImagingError(.scanLimit, PNGCodec.string(message))
        case CJPEG_RESULT_STOPPED:
            try cancellation?.check()
            throw ImagingError(.cancelled, "JPEG decoding was stopped")
        default: throw ImagingError(.invalidImage, "invalid JPEG: \(PNGCodec.string(message))")
        }
        let image = Image(width: width, height: height, channels: channels, pixels: pixels)
        guard applyOrientation else { return image }
        return image.oriented(EXIFOrientationReader.orientation(inJPEG: data))
    }

    /// Encodes a gray (1 channel) or RGB (3 channels) image as a baseline JPEG with
    /// 4:2:0 chroma and optimised Huffman tables; images with alpha are rejected
    /// (drop it with ``Image/removingAlpha(background:)`` first).
    ///
    /// - Parameter quality: 1...100 (libjpeg's `jpeg_set_quality`).
    /// - Throws: `.invalidArgument` for a quality out of range or an empty image;
    ///   `.unsupported` for 2 or 4 channels.
    public static func encode(_ image: Image, quality: Int = 85) throws(ImagingError) -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw ImagingError(.invalidArgument, "JPEG quality must be 1...100, not \(quality)")
        }
        guard image.width > 0, image.height > 0, image.width <= 65500, image.height <= 65500 else {
            throw ImagingError(.invalidArgument, "cannot write a \(image.width)x\(image.height) JPEG (1...65500 per side)")
        }
        guard image.channels == 1 || image.channels == 3 else {
            throw ImagingError(.unsupported, "JPEG holds gray or RGB, not \(image.channels) channels")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let ok = image.pixels.withUnsafeBufferPointer { src in
            cjpeg_encode(
                src.baseAddress, UInt32(image.width), UInt32(image.height), Int32(image.channels), Int32(quality), &out,
                &size, &message, 256)
        }
        guard ok == 1, let out else { throw ImagingError(.invalidImage, "JPEG encoding failed: \(PNGCodec.string(message))") }
        defer { cjpeg_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    static func readInfo(_ data: [UInt8], scaleDenominator: Int) throws(ImagingError) -> cjpeg_info {
        var info = cjpeg_info()
        var message = [CChar](repeating: 0, count: 256)
        let ok = data.withUnsafeBufferPointer {
            cjpeg_read_info($0.baseAddress, $0.count, Int32(scaleDenominator), &info, &message, 256)
        }
        guard ok == 1 else { throw ImagingError(.invalidImage, "invalid JPEG: \(PNGCodec.string(message))") }
        return info
    }
}
