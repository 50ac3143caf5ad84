/// A decoded source image with its pyramid: level k is level k-1 halved
/// (rounding up), down to one pixel, so Deep Zoom levels, IIIF scale factors and
/// XYZ zooms are crops of a level, and other sizes resample from the smallest
/// level still at least as large as the output.
public struct SourceImage: Sendable {
    /// Level 0 is full resolution.
    public let levels: [Image]

    /// Builds the pyramid of `image`.
    ///
    /// - Complexity: O(pixels); the levels add a third to the memory.
    public init(_ image: Image) {
        var levels = [image]
        while let last = levels.last, last.width > 1 || last.height > 1 { levels.append(last.halved()) }
        self.levels = levels
    }

    /// Full-resolution width.
    public var width: Int { levels[0].width }
    /// Full-resolution height.
    public var height: Int { levels[0].height }

    /// Bytes held (all levels).
    public var byteCount: Int { levels.reduce(0) { $0 + $1.pixels.count } }

    /// The full-resolution rectangle (x, y, w, h) scaled to `outWidth` x `outHeight`.
    ///
    /// Picks the level `k` with `2^k` at most the smaller scale factor, crops the
    /// rectangle in that level's pixels (exact when the rectangle is aligned to
    /// `2^k`, as tiles are) and resamples with Lanczos3 when the size still differs.
    public func render(x: Int, y: Int, width w: Int, height h: Int, outWidth: Int, outHeight: Int) throws(ImagingError) -> Image {
        let factor = min(Double(w) / Double(outWidth), Double(h) / Double(outHeight))
        var k = 0
        while k + 1 < levels.count && Double(1 << (k + 1)) <= factor + 1e-9 { k += 1 }
        let level = levels[k]
        let scale = 1 << k
        let lx = x / scale, ly = y / scale
        let lx1 = min(level.width, (x + w + scale - 1) / scale), ly1 = min(level.height, (y + h + scale - 1) / scale)
        let crop = level.cropped(x: lx, y: ly, width: max(1, lx1 - lx), height: max(1, ly1 - ly))
        if crop.width == outWidth && crop.height == outHeight { return crop }
        return try Resampler.resize(crop, width: outWidth, height: outHeight)
    }
}
