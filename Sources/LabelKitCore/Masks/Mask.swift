/// A binary (or 8-bit) raster mask: one byte per pixel, row-major, `width x height`.
///
/// A pixel is inside the mask when its byte is non-zero. Codecs write 255 for
/// inside when they need a visible value (PNG, Label Studio brush RLE) and read any
/// non-zero byte as inside.
///
///     var mask = Mask(width: 4, height: 2)
///     mask[1, 0] = 255        // column 1, row 0
///     mask.area               // 1
///
/// Layout of ``bytes``:
///
///     index = row * width + column
///     +-------- row 0 --------+-------- row 1 --------+ ...
///     | c0 | c1 | ... | cW-1  | c0 | c1 | ... | cW-1  |
@frozen
public struct Mask: Hashable, Sendable {
    /// Width in pixels (number of columns).
    public let width: Int
    /// Height in pixels (number of rows).
    public let height: Int
    /// The pixel bytes, row-major; `bytes.count == width * height`.
    public var bytes: [UInt8]

    /// Creates an empty (all-zero) mask.
    ///
    /// - Precondition: `width >= 0`, `height >= 0`. Use ``init(validatingWidth:height:)``
    ///   for sizes that come from untrusted input.
    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "mask dimensions must not be negative")
        self.width = width
        self.height = height
        self.bytes = [UInt8](repeating: 0, count: width * height)
    }

    /// Creates a mask over existing row-major bytes.
    ///
    /// - Throws: ``CoreError`` with code `.invalidDimensions` when a dimension is
    ///   negative or `bytes.count != width * height`.
    public init(width: Int, height: Int, bytes: [UInt8]) throws(CoreError) {
        guard width >= 0, height >= 0 else {
            throw CoreError(.invalidDimensions, "mask size \(width)x\(height) is negative")
        }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, bytes.count == count else {
            throw CoreError(
                .invalidDimensions,
                "mask of \(width)x\(height) needs \(width &* height) bytes, got \(bytes.count)")
        }
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// Creates an empty mask after checking that the size is positive and its pixel
    /// count fits `limit`.
    ///
    /// - Throws: ``CoreError`` `.invalidDimensions` for a zero, negative or oversized mask.
    public init(validatingWidth width: Int, height: Int, limit: Int = 1 << 31) throws(CoreError) {
        try Mask.validate(width: width, height: height, limit: limit)
        self.init(width: width, height: height)
    }

    /// Checks that `width x height` is a positive size whose pixel count is at most `limit`.
    ///
    /// - Throws: ``CoreError`` `.invalidDimensions` naming the size at fault.
    public static func validate(width: Int, height: Int, limit: Int = 1 << 31) throws(CoreError) {
        guard width > 0, height > 0 else {
            throw CoreError(.invalidDimensions, "mask size \(width)x\(height) must be positive")
        }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= limit else {
            throw CoreError(
                .invalidDimensions, "mask size \(width)x\(height) exceeds the limit of \(limit) pixels")
        }
    }

    /// Number of pixels, `width * height`.
    @inlinable
    public var pixelCount: Int { width * height }

    /// The byte at column `x`, row `y`.
    @inlinable
    public subscript(x: Int, y: Int) -> UInt8 {
        get { bytes[y * width + x] }
        set { bytes[y * width + x] = newValue }
    }
}
