import CPNG
import LabelKitCore

/// PNG reading and writing over the system libpng (its simplified `png_image` API,
/// which contains libpng's `setjmp` error handling in C).
///
///     let image = try PNGCodec.decode(bytes)            // palette, 16-bit, interlace converted
///     let mask = try PNGCodec.decodeMask(bytes)         // luma, one byte per pixel
///     let png = try PNGCodec.encode(mask)               // 8-bit gray
public enum PNGCodec {
    /// Pixel count above which ``decode(_:maxPixels:)`` refuses an image by default.
    public static let defaultMaxPixels = 1 << 28

    /// Width and height from the header, without decoding pixels.
    ///
    /// - Throws: `.invalidImage` with libpng's message.
    public static func dimensions(of data: [UInt8]) throws(ImagingError) -> (width: Int, height: Int) {
        let info = try readInfo(data)
        return (Int(info.width), Int(info.height))
    }

    /// Decodes a PNG into 8-bit channels, keeping its colour model (gray, gray +
    /// alpha, RGB, RGBA); palettes are expanded and 16-bit samples reduced.
    ///
    /// - Throws: `.tooLarge` when the header announces more than `maxPixels` pixels
    ///   (checked before anything is allocated); `.invalidImage` for corrupt data.
    public static func decode(_ data: [UInt8], maxPixels: Int = defaultMaxPixels) throws(ImagingError) -> Image {
        let info = try readInfo(data)
        let width = Int(info.width), height = Int(info.height)
        guard width * height <= maxPixels else {
            throw ImagingError(
                .tooLarge, "PNG of \(width)x\(height) exceeds the limit of \(maxPixels) pixels")
        }
        let channels = Int(info.layout.rawValue)
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        var message = [CChar](repeating: 0, count: 256)
        let ok = data.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                cpng_decode(src.baseAddress, src.count, info.layout, dst.baseAddress, dst.count, &message, 256)
            }
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

    /// Encodes an 8-bit image as PNG in its own colour model.
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

    static func readInfo(_ data: [UInt8]) throws(ImagingError) -> cpng_info {
        var info = cpng_info()
        var message = [CChar](repeating: 0, count: 256)
        let ok = data.withUnsafeBufferPointer { cpng_read_info($0.baseAddress, $0.count, &info, &message, 256) }
        guard ok == 1 else { throw ImagingError(.invalidImage, "invalid PNG: \(string(message))") }
        return info
    }

    static func string(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
