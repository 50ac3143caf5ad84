import CPNG
import LabelKitCore

/// PNG reading and writing over the system libpng (its simplified `png_image` API,
/// which contains libpng's `setjmp` error handling in C).
///
///     let image = try PNGCodec.decode(bytes)            // palette, tRNS, 16-bit, interlace converted
///     let mask = try PNGCodec.decodeMask(bytes)         // luma, one byte per pixel
///     let png = try PNGCodec.encode(mask)               // 8-bit gray
public enum PNGCodec {
    /// Pixel count above which ``decode(_:maxPixels:)`` refuses an image by default.
    public static let defaultMaxPixels = 1 << 28

    /// Width and height from the header, without decoding pixels.
    ///
    /// - Throws: `.invalidImage` with libpng's message.
    public static func dimensions(of data: [UInt8]) throws(ImagingError) -> (width: Int, height: Int) {
        let header = try readHeader(data)
        return (Int(header.width), Int(header.height))
    }

    /// Decodes a PNG into 8-bit channels, keeping its colour model (gray, gray +
    /// alpha, RGB, RGBA) with libpng's transforms: palettes expanded to RGB, a tRNS
    /// chunk to an alpha channel, gray below 8 bits scaled up, 16-bit samples reduced
    /// to their high byte (as Pillow's `RGB;16B` and libvips' cast do), Adam7
    /// deinterlaced. Sample values are kept as stored: no gamma conversion.
    ///
    /// - Throws: `.tooLarge` when the header announces more than `maxPixels` pixels
    ///   (checked before anything is allocated); `.invalidImage` for corrupt or
    ///   truncated data.
    /// - Complexity: O(bytes + pixels).
    public static func decode(_ data: [UInt8], maxPixels: Int = defaultMaxPixels) throws(ImagingError) -> Image {
        let header = try readHeader(data)
        let width = Int(header.width), height = Int(header.height), channels = Int(header.channels)
        try ImageHeader(format: .png, width: width, height: height, channels: channels, orientation: .identity)
            .check(maxPixels: maxPixels)
        var message = [CChar](repeating: 0, count: 256)
        var ok: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
            ok = data.withUnsafeBufferPointer { src in
                cpng_decode_8bit(src.baseAddress, src.count, buffer.baseAddress, buffer.count, &message, 256)
            }
            // Initialise on failure as well, so the array never holds undefined bytes.
            if ok != 1, let base = buffer.baseAddress { base.initialize(repeating: 0, count: buffer.count) }
            count = buffer.count
        }
        guard ok == 1 else { throw ImagingError(.invalidImage, "invalid PNG: \(string(message))") }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Decodes a PNG as a mask: its luma (Pillow `convert("L")`), one byte per pixel.
    ///
    /// - Throws: as ``decode(_:maxPixels:)``.
    public static func decodeMask(_ data: [UInt8], maxPixels: Int = defaultMaxPixels) throws(ImagingError) -> Mask {
        try decode(data, maxPixels: maxPixels).luma()
    }

    /// Encodes a mask as an 8-bit grayscale PNG, bytes as they are.
    ///
    /// Masks of shapes (few runs) are written straight from their runs by
    /// ``RunPNGWriter`` in O(runs); speckled masks through libpng with zlib's
    /// run-length strategy at level 1 and no row filter, several times faster than
    /// the default settings and usually smaller on masks.
    ///
    /// - Throws: `.invalidImage` for an empty mask.
    public static func encode(_ mask: Mask) throws(ImagingError) -> [UInt8] {
        guard mask.width > 0, mask.height > 0 else {
            throw ImagingError(.invalidImage, "cannot write an empty \(mask.width)x\(mask.height) PNG")
        }
        let runs = mask.rowRuns()
        if runs.count * 32 <= mask.pixelCount { return RunPNGWriter.encode(mask, runs: runs) }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let ok = mask.bytes.withUnsafeBufferPointer { src in
            cpng_encode_fast(
                src.baseAddress, UInt32(mask.width), UInt32(mask.height), CPNG_GRAY, 1, 3 /* Z_RLE */, 1, &out, &size,
                &message, 256)
        }
        guard ok == 1, let out else { throw ImagingError(.invalidImage, "PNG encoding failed: \(string(message))") }
        defer { cpng_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    /// Encodes a `width x height` 8-bit gray mask given as row runs, when it has
    /// few runs (at most one per 32 pixels); nil otherwise, so the caller can build
    /// the mask and use ``encode(_:)-(Mask)``.
    public static func encodeMask(runs: MaskRuns, width: Int, height: Int) -> [UInt8]? {
        guard width > 0, height > 0, runs.rowStart.count == height + 1, runs.count * 32 <= width * height else {
            return nil
        }
        return RunPNGWriter.encode(width: width, height: height, runs: runs)
    }

    /// Encodes an 8-bit image as PNG in its own colour model (gray, gray + alpha,
    /// RGB or RGBA) with libpng's default settings (zlib level 6, adaptive filters).
    ///
    /// - Throws: `.invalidImage` for an empty image or a libpng failure.
    public static func encode(_ image: Image) throws(ImagingError) -> [UInt8] {
        guard image.width > 0, image.height > 0 else {
            throw ImagingError(.invalidImage, "cannot write an empty \(image.width)x\(image.height) PNG")
        }
        guard (1...4).contains(image.channels) else {
            throw ImagingError(.unsupported, "PNG images have 1 to 4 channels, not \(image.channels)")
        }
        let layout = cpng_layout(rawValue: UInt32(image.channels))
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let ok = image.pixels.withUnsafeBufferPointer { src in
            cpng_encode(src.baseAddress, UInt32(image.width), UInt32(image.height), layout, &out, &size, &message, 256)
        }
        guard ok == 1, let out else { throw ImagingError(.invalidImage, "PNG encoding failed: \(string(message))") }
        defer { cpng_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    /// Encodes an 8-bit image as PNG in its own colour model at zlib level
    /// `compressionLevel` (0 = stored, 1 = fastest, 9 = smallest), adaptive row filters.
    ///
    /// - Throws: `.invalidArgument` for a level outside 0...9 or an empty image.
    public static func encode(_ image: Image, compressionLevel: Int) throws(ImagingError) -> [UInt8] {
        guard (0...9).contains(compressionLevel) else {
            throw ImagingError(.invalidArgument, "PNG compression level must be 0...9, not \(compressionLevel)")
        }
        guard image.width > 0, image.height > 0 else {
            throw ImagingError(.invalidArgument, "cannot write an empty \(image.width)x\(image.height) PNG")
        }
        let layout = cpng_layout(rawValue: UInt32(image.channels))
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let ok = image.pixels.withUnsafeBufferPointer { src in
            cpng_encode_fast(
                src.baseAddress, UInt32(image.width), UInt32(image.height), layout, Int32(compressionLevel),
                0 /* Z_DEFAULT_STRATEGY */, 0, &out, &size, &message, 256)
        }
        guard ok == 1, let out else { throw ImagingError(.invalidImage, "PNG encoding failed: \(string(message))") }
        defer { cpng_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    static func readHeader(_ data: [UInt8]) throws(ImagingError) -> cpng_header {
        var header = cpng_header()
        var message = [CChar](repeating: 0, count: 256)
        let ok = data.withUnsafeBufferPointer { cpng_read_header($0.baseAddress, $0.count, &header, &message, 256) }
        guard ok == 1 else { throw ImagingError(.invalidImage, "invalid PNG: \(string(message))") }
        return header
    }

    static func string(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
