import Foundation

/// Opening an image file for reading strip by strip, when it allows it.
public enum RowSources {
    /// A reader for `path` when it can be read top to bottom in strips: a
    /// baseline, upright JPEG (a file of several scans has all its coefficients
    /// held by libjpeg; turning needs the whole image) or a non-interlaced PNG.
    /// Nil for other files, which are decoded whole.
    ///
    /// - Throws: the reader's error for a file that claims to be a JPEG or PNG
    ///   but has a bad header (`.io` when it cannot be opened, `.scanLimit`).
    public static func open(path: String, maxScans: Int = JPEGCodec.defaultMaxScans) throws(ImagingError)
        -> (any RowSource)?
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImagingError(.io, "cannot open \(path)")
        }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        if magic.starts(with: [0xFF, 0xD8, 0xFF]) {
            guard JPEGRowReader.orientation(ofFile: path) == .identity else { return nil }
            let reader = try JPEGRowReader(path: path, maxScans: maxScans)
            return reader.progressive ? nil : reader
        }
        if magic == Data([0x89, 0x50, 0x4E, 0x47]) {
            let reader = try PNGRowReader(path: path)
            return reader.interlaced ? nil : reader
        }
        return nil
    }
}

/// The rows of a source with alpha (gray + alpha, RGBA) composited over white,
/// as ``Image/removingAlpha(background:)`` does for a whole image: for JPEG tiles.
public final class AlphaFlattenedRows: RowSource {
    private let source: any RowSource
    private var strip: [UInt8] = []
    public var width: Int { source.width }
    public var height: Int { source.height }
    public var channels: Int { source.channels - 1 }

    /// Flattens `source`, which has 2 or 4 channels.
    public init(_ source: any RowSource) {
        precondition(source.channels == 2 || source.channels == 4, "only a source with alpha is flattened")
        self.source = source
    }

    public func read(into buffer: UnsafeMutablePointer<UInt8>, rows: Int) throws(ImagingError) -> Int {
        let wanted = min(rows, 16)
        let rowBytes = source.width * source.channels
        if strip.count < rowBytes * wanted { strip = [UInt8](repeating: 0, count: rowBytes * wanted) }
        let got = try strip.withUnsafeMutableBufferPointer { b throws(ImagingError) in
            try source.read(into: b.baseAddress!, rows: wanted)
        }
        guard got > 0 else { return 0 }
        let flat = Image(
            width: source.width, height: got, channels: source.channels, pixels: Array(strip.prefix(rowBytes * got))
        ).removingAlpha(background: 255)
        flat.pixels.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: $0.count) }
        return got
    }
}
