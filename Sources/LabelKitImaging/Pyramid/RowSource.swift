/// An image read top to bottom a few rows at a time (``JPEGRowReader``,
/// ``PNGRowReader``), as ``StripPyramidWriter`` consumes it.
public protocol RowSource: AnyObject {
    /// Size in pixels.
    var width: Int { get }
    var height: Int { get }
    /// Interleaved channels per pixel (1...4).
    var channels: Int { get }
    /// Decodes the next rows, at most `rows`, into `buffer` (rows of
    /// `width * channels` bytes); returns how many, 0 at the end.
    func read(into buffer: UnsafeMutablePointer<UInt8>, rows: Int) throws(ImagingError) -> Int
}
