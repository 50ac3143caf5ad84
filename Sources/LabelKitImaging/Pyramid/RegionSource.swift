/// An image that renders any rectangle at any size: decoded whole
/// (``SourceImage``) or read from stored tiles (``TiledImage``). IIIF regions,
/// XYZ tiles and thumbnails are cut through it.
public protocol RegionSource {
    /// Full-resolution size.
    var width: Int { get }
    var height: Int { get }
    /// The full-resolution rectangle (x, y, w, h) scaled to `outWidth` x `outHeight`.
    func render(x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int) throws(ImagingError) -> Image
}

/// What a render reads: the pyramid level `k` with `2^k` at most the smaller
/// scale factor (level k is level k - 1 halved, rounding up, down to 1x1), and
/// the rectangle of that level covering the request (exact when the request is
/// aligned to `2^k`, as tiles are).
public struct LevelCrop: Hashable, Sendable {
    /// The level index (0 is full size).
    public let level: Int
    /// The rectangle in the level's pixels.
    public let x: Int, y: Int, width: Int, height: Int
    /// The size the crop is resampled to.
    public let outWidth: Int, outHeight: Int

    /// The crop for the full-resolution rectangle (x, y, w, h) of a
    /// `imageWidth x imageHeight` image, scaled to `outWidth x outHeight`,
    /// from a coarser level when the crop would have more than `maxPixels`.
    public init(
        x: Int, y: Int, width w: Int, height h: Int, outWidth: Int, outHeight: Int, imageWidth: Int, imageHeight: Int,
        maxPixels: Int = .max
    ) {
        let factor = min(Double(w) / Double(outWidth), Double(h) / Double(outHeight))
        let side = max(imageWidth, imageHeight)
        let top = side <= 1 ? 0 : Int.bitWidth - (side - 1).leadingZeroBitCount
        var k = 0
        while k < top && Double(1 << (k + 1)) <= factor + 1e-9 { k += 1 }
        // A distorted size (one side scaled far more than the other) would read
        // a large crop for a small output: read a coarser level instead.
        while k < top && Double(w >> k) * Double(h >> k) > Double(maxPixels) { k += 1 }
        let scale = 1 << k
        let (levelWidth, levelHeight) = StaticPyramid.levelSize(width: imageWidth, height: imageHeight, level: k)
        let lx = x / scale, ly = y / scale
        let lx1 = min(levelWidth, (x + w + scale - 1) / scale), ly1 = min(levelHeight, (y + h + scale - 1) / scale)
        self.level = k
        self.x = lx
        self.y = ly
        self.width = max(1, lx1 - lx)
        self.height = max(1, ly1 - ly)
        self.outWidth = outWidth
        self.outHeight = outHeight
    }

    /// The crop resampled to the output size (Lanczos3), or itself when it has it.
    public func finish(_ crop: Image) throws(ImagingError) -> Image {
        if crop.width == outWidth && crop.height == outHeight { return crop }
        return try Resampler.resize(crop, width: outWidth, height: outHeight)
    }
}
