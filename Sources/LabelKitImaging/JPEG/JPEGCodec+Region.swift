import CJPEG

extension JPEGCodec {
    /// Encodes the `width x height` rectangle at (`x`, `y`) of a gray or RGB image
    /// as a baseline 4:2:0 JPEG, reading the rows in place (no cropped copy):
    /// what tile pyramids do for every tile.
    ///
    ///     let tile = try JPEGCodec.encode(level, x: 253, y: 0, width: 256, height: 255, quality: 85)
    ///
    /// - Parameters:
    ///   - quality: 1...100 (libjpeg's `jpeg_set_quality`).
    ///   - optimizeCoding: optimised Huffman tables (a few % smaller, about a fifth
    ///     slower to encode); false writes libjpeg's standard tables, as libvips'
    ///     `dzsave` and `jpegsave` do by default.
    /// - Throws: `.invalidArgument` for a quality out of range or a rectangle not
    ///   inside the image; `.unsupported` for 2 or 4 channels.
    /// - Complexity: O(width * height).
    public static func encode(
        _ image: Image, x: Int, y: Int, width: Int, height: Int, quality: Int = 85, optimizeCoding: Bool = true
    ) throws(ImagingError) -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw ImagingError(.invalidArgument, "JPEG quality must be 1...100, not \(quality)")
        }
        guard x >= 0, y >= 0, width > 0, height > 0, x + width <= image.width, y + height <= image.height,
            width <= 65500, height <= 65500
        else {
            throw ImagingError(
                .invalidArgument,
                "cannot write the \(width)x\(height) rectangle at (\(x), \(y)) of a \(image.width)x\(image.height) image as JPEG"
            )
        }
        guard image.channels == 1 || image.channels == 3 else {
            throw ImagingError(.unsupported, "JPEG holds gray or RGB, not \(image.channels) channels")
        }
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let c = image.channels, stride = image.width * image.channels
        let ok = image.pixels.withUnsafeBufferPointer { src in
            cjpeg_encode_rows(
                src.baseAddress! + y * stride + x * c, UInt32(width), UInt32(height), stride, Int32(c), Int32(quality),
                optimizeCoding ? 1 : 0, &out, &size, &message, 256)
        }
        guard ok == 1, let out else {
            throw ImagingError(.invalidImage, "JPEG encoding failed: \(PNGCodec.string(message))")
        }
        defer { cjpeg_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
