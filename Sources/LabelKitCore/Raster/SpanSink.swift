/// Receives the horizontal runs of pixels a rasterizer covers.
///
/// Rasterizers are generic over their sink, so painting, counting or run-length
/// encoding happen inline, with no closure call per span.
public protocol SpanSink {
    /// Pixels `columns` of `row` are covered; the range is non-empty and already
    /// clipped to the image.
    mutating func span(row: Int, columns: Range<Int>)
}

/// Writes one byte value into every covered pixel of a mask buffer.
public struct MaskPainter: SpanSink {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    @usableFromInline let width: Int
    @usableFromInline let value: UInt8

    /// A painter over a row-major buffer of `width`-pixel rows.
    ///
    /// - Parameter value: the byte to write (255 to add, 0 to erase).
    public init(base: UnsafeMutablePointer<UInt8>, width: Int, value: UInt8) {
        self.base = base
        self.width = width
        self.value = value
    }

    /// Fills the span.
    @inlinable @inline(__always)
    public mutating func span(row: Int, columns: Range<Int>) {
        (base + (row &* width &+ columns.lowerBound)).update(repeating: value, count: columns.count)
    }
}

/// Counts covered pixels (spans from different shapes may overlap).
public struct PixelCounter: SpanSink {
    /// Pixels reported so far.
    public var count = 0

    /// Creates a counter at zero.
    public init() {}

    /// Adds the span's length.
    @inlinable
    public mutating func span(row: Int, columns: Range<Int>) { count += columns.count }
}
