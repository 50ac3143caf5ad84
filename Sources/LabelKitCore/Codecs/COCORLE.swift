/// A COCO run-length encoding (pycocotools `maskApi` semantics).
///
/// Runs are taken over the **column-major** flattening of an `height x width` mask
/// (index = x * height + y), alternate background/foreground, and always start
/// with a background run (0 when pixel (0, 0) is set). Foreground is any non-zero
/// byte.
///
///     let rle = COCORLE(encoding: mask)
///     rle.compressedCounts   // "522000OO2"
///     rle.area               // 7
///     rle.boundingBox        // [1, 0, 4, 3]
///
/// Every operation gives the same values as pycocotools 2.0.x: ``compressedCounts``
/// (`encode`), ``decode(foreground:)``, ``area``, ``boundingBox`` (`toBbox`),
/// ``merge(_:intersect:)``, ``iou(_:_:isCrowd:)`` and the polygon/box rasterizer
/// ``init(polygon:height:width:)`` (`frPyObjects`).
public struct COCORLE: Hashable, Sendable {
    /// Mask height in pixels (`size[0]`).
    public let height: Int
    /// Mask width in pixels (`size[1]`).
    public let width: Int
    /// Run lengths, alternating background/foreground, starting with background.
    public let counts: [UInt32]

    /// Creates an RLE from an uncompressed counts list, as found in COCO JSON.
    ///
    /// - Throws: `.invalidDimensions` for a negative size or one above 2^32 - 1
    ///   pixels; `.invalidCounts` when the counts do not add up to `height * width`.
    public init(height: Int, width: Int, counts: [UInt32]) throws(CoreError) {
        try COCORLE.validate(height: height, width: width)
        var sum = 0
        for c in counts { sum &+= Int(c) }
        guard sum == height * width else {
            throw CoreError(
                .invalidCounts,
                "COCO counts add up to \(sum) pixels, but size [\(height), \(width)] has \(height * width)")
        }
        self.init(unchecked: height, width, counts)
    }

    @usableFromInline
    init(unchecked height: Int, _ width: Int, _ counts: [UInt32]) {
        self.height = height
        self.width = width
        self.counts = counts
    }

    static func validate(height: Int, width: Int) throws(CoreError) {
        guard height >= 0, width >= 0 else {
            throw CoreError(.invalidDimensions, "COCO size [\(height), \(width)] is negative")
        }
        let (pixels, overflow) = height.multipliedReportingOverflow(by: width)
        guard !overflow, pixels <= Int(UInt32.max) else {
            throw CoreError(.invalidDimensions, "COCO size [\(height), \(width)] exceeds 2^32 - 1 pixels")
        }
    }

    /// Number of foreground pixels: the sum of the odd-index counts.
    ///
    /// - Complexity: O(runs).
    public var area: Int {
        var total: UInt32 = 0
        var j = 1
        while j < counts.count {
            total &+= counts[j]
            j &+= 2
        }
        return Int(total)
    }

    /// The tight box `[x, y, width, height]` of the foreground, `[0, 0, 0, 0]` when
    /// empty, computed exactly as pycocotools `toBbox` (including its use of only
    /// the first even number of counts).
    ///
    /// - Complexity: O(runs).
    public var boundingBox: [Double] {
        let m = counts.count / 2 * 2
        guard m > 0, height > 0 else { return [0, 0, 0, 0] }
        let h = UInt32(truncatingIfNeeded: height)
        var xs = UInt32(truncatingIfNeeded: width), ys = h
        var xe: UInt32 = 0, ye: UInt32 = 0
        var cc: UInt32 = 0
        var xp: UInt32 = 0
        for j in 0..<m {
            cc &+= counts[j]
            let t = cc &- UInt32(j & 1)
            let y = t % h
            let x = (t &- y) / h
            if j & 1 == 0 {
                xp = x
            } else if xp < x {
                ys = 0
                ye = h &- 1
            }
            xs = min(xs, x)
            xe = max(xe, x)
            ys = min(ys, y)
            ye = max(ye, y)
        }
        return [Double(xs), Double(ys), Double(xe &- xs &+ 1), Double(ye &- ys &+ 1)]
    }
}
