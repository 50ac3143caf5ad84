import CPNG

/// A non-interlaced PNG file decoded a few rows at a time (libpng's
/// `png_read_row`), with ``PNGCodec``'s transforms (palettes expanded, tRNS to
/// alpha, 16-bit samples to their high byte), for ``StripPyramidWriter``.
public final class PNGRowReader: RowSource {
    public let width: Int, height: Int
    /// 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    public let channels: Int
    /// Whether the file is Adam7-interlaced: its rows do not arrive in order,
    /// so it cannot be read strip by strip.
    public let interlaced: Bool
    private let stream: OpaquePointer

    /// The most libpng allocates for any one chunk (text, ICC profile).
    public static let maxChunkBytes = 8 << 20

    /// Opens `path` and reads the chunks before the image data.
    ///
    /// - Throws: `.io` when the file cannot be opened; `.invalidImage` with
    ///   libpng's message (not a PNG, a bad or oversized chunk).
    public init(path: String) throws(ImagingError) {
        var header = cpng_header()
        var message = [CChar](repeating: 0, count: 256)
        guard let opened = cpng_stream_open(path, Self.maxChunkBytes, &header, &message, 256) else {
            let text = PNGCodec.string(message)
            if text == "cannot open the file" { throw ImagingError(.io, "cannot open \(path)") }
            throw ImagingError(.invalidImage, "invalid PNG: \(text)")
        }
        stream = opened
        (width, height, channels) = (Int(header.width), Int(header.height), Int(header.channels))
        interlaced = header.interlaced != 0
    }

    deinit { cpng_stream_close(stream) }

    public func read(into buffer: UnsafeMutablePointer<UInt8>, rows: Int) throws(ImagingError) -> Int {
        var message = [CChar](repeating: 0, count: 256)
        let got = cpng_stream_read(stream, buffer, Int32(clamping: rows), &message, 256)
        if got < 0 { throw ImagingError(.invalidImage, "invalid PNG: \(PNGCodec.string(message))") }
        return Int(got)
    }
}
