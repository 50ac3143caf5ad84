import CJPEG
import Foundation

/// A JPEG file decoded a few rows at a time through libjpeg's scanline API, so
/// an image far larger than memory passes through in strips (``StripPyramidWriter``).
/// Gray stays gray; everything else becomes RGB, as ``JPEGCodec/decode(_:scaleDenominator:maxPixels:maxScans:applyOrientation:cancellation:)``
/// decodes it (without the EXIF turn: rows arrive as stored).
///
///     let reader = try JPEGRowReader(path: "slide.jpg")
///     var strip = [UInt8](repeating: 0, count: reader.width * reader.channels * 16)
///     while try strip.withUnsafeMutableBufferPointer({ try reader.read(into: $0.baseAddress!, rows: 16) }) > 0 { ... }
public final class JPEGRowReader: RowSource {
    /// Size in pixels.
    public let width: Int, height: Int
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    /// Whether the file has several scans (progressive, or sequential in
    /// several): libjpeg then holds every coefficient (about 2 bytes a sample)
    /// before the first row comes out. Known from the header alone.
    public let progressive: Bool
    private let stream: OpaquePointer

    /// libjpeg's own memory cap by default: a progressive file needing more is refused.
    public static let defaultMaxMemory = 256 << 20

    /// Opens `path` and reads its header; decoding starts at the first ``read(into:rows:)``,
    /// which throws `.scanLimit` past `maxScans` and `.tooLarge` when libjpeg
    /// would need more than `maxMemory` bytes of its own (a large multi-scan file).
    ///
    /// - Throws: `.io` when the file cannot be opened; `.invalidImage` with
    ///   libjpeg's message for a bad header.
    public init(path: String, maxScans: Int = JPEGCodec.defaultMaxScans, maxMemory: Int = defaultMaxMemory)
        throws(ImagingError)
    {
        var info = cjpeg_info()
        var result = CJPEG_RESULT_INVALID
        var message = [CChar](repeating: 0, count: 256)
        var limits = cjpeg_limits()
        limits.max_scans = Int32(clamping: maxScans)
        let opened = cjpeg_stream_open(path, &limits, max(0, maxMemory), &info, &result, &message, 256)
        guard let opened else {
            let text = PNGCodec.string(message)
            if text == "cannot open the file" { throw ImagingError(.io, "cannot open \(path)") }
            throw Self.error(result, text)
        }
        stream = opened
        (width, height, channels) = (Int(info.output_width), Int(info.output_height), Int(info.channels))
        progressive = info.progressive != 0
    }

    deinit { cjpeg_stream_close(stream) }

    /// Decodes the next rows, at most `rows`, into `buffer` (rows of
    /// `width * channels` bytes).
    ///
    /// - Returns: the rows written; 0 once every row was read.
    /// - Throws: `.invalidImage` for a truncated or corrupt file, `.scanLimit`.
    public func read(into buffer: UnsafeMutablePointer<UInt8>, rows: Int) throws(ImagingError) -> Int {
        var result = CJPEG_RESULT_OK
        var message = [CChar](repeating: 0, count: 256)
        let got = cjpeg_stream_read(stream, buffer, Int32(clamping: rows), &result, &message, 256)
        if got < 0 { throw Self.error(result, PNGCodec.string(message)) }
        return Int(got)
    }

    private static func error(_ result: cjpeg_result, _ text: String) -> ImagingError {
        switch result {
        case CJPEG_RESULT_SCAN_LIMIT: return ImagingError(.scanLimit, text)
        default:
            if text.contains("Backing store") || text.contains("Insufficient memory") {
                return ImagingError(.tooLarge, "JPEG needs more decoder memory than allowed (\(text))")
            }
            return ImagingError(.invalidImage, "invalid JPEG: \(text)")
        }
    }
}

extension JPEGRowReader {
    /// The EXIF orientation of the JPEG file at `path`, read from its first
    /// 256 KiB (the EXIF segment comes right after the start of the file), so
    /// a huge file is not read to learn it.
    public static func orientation(ofFile path: String) -> ImageOrientation {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .identity }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256 << 10)) ?? Data()
        return EXIFOrientationReader.orientation(inJPEG: Array(head))
    }
}
