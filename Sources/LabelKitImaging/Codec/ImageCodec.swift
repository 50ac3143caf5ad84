/// Format-independent decoding and encoding: picks ``PNGCodec`` or ``JPEGCodec``
/// from the bytes' signature or the requested output format.
///
///     let image = try ImageCodec.decode(bytes)                  // PNG or JPEG, upright
///     let jpg = try ImageCodec.encode(image, as: .jpeg, quality: 85)
public enum ImageCodec {
    /// Decodes PNG or JPEG bytes into an 8-bit image; a JPEG is turned upright by
    /// its EXIF orientation unless `applyOrientation` is false.
    ///
    /// - Parameters:
    ///   - maxPixels: the largest `width * height` accepted, read from the header.
    ///   - maxScans: the most scans a JPEG may have (a scan bomb is refused at the
    ///     first scan over it); see ``JPEGCodec/defaultMaxScans``.
    ///   - cancellation: checked before decoding; a JPEG decode also polls it while
    ///     it runs (a PNG decode runs to its end).
    /// - Throws: `.unsupported` for other formats, `.tooLarge` above `maxPixels`
    ///   (from the header), `.scanLimit` above `maxScans`, `.cancelled` once
    ///   `cancellation` is raised, `.invalidImage` for corrupt data.
    public static func decode(
        _ data: [UInt8], maxPixels: Int = PNGCodec.defaultMaxPixels, maxScans: Int = JPEGCodec.defaultMaxScans,
        applyOrientation: Bool = true, cancellation: CancellationFlag? = nil
    ) throws(ImagingError) -> Image {
        switch ImageFormat(sniffing: data) {
        case .png:
            try cancellation?.check()
            return try PNGCodec.decode(data, maxPixels: maxPixels)
        case .jpeg:
            return try JPEGCodec.decode(
                data, maxPixels: maxPixels, maxScans: maxScans, applyOrientation: applyOrientation,
                cancellation: cancellation)
        case nil: throw ImagingError(.unsupported, "not a PNG or JPEG file (unknown signature)")
        }
    }

    /// Encodes an image as JPEG (alpha composited over white first) or PNG (the
    /// image's own colour model).
    ///
    /// - Parameters:
    ///   - quality: JPEG quality 1...100.
    ///   - compressionLevel: PNG zlib level 0...9.
    /// - Throws: `.invalidArgument` for a parameter out of range or an empty image.
    public static func encode(_ image: Image, as format: ImageFormat, quality: Int = 85, compressionLevel: Int = 6)
        throws(ImagingError) -> [UInt8]
    {
        switch format {
        case .jpeg: return try JPEGCodec.encode(image.removingAlpha(background: 255), quality: quality)
        case .png: return try PNGCodec.encode(image, compressionLevel: compressionLevel)
        }
    }
}
