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

    /// The full-resolution rectangle (x, y, w, h) scaled to `outWidth` x `outHeight`:
    /// the ``LevelCrop`` of its level, resampled with Lanczos3 when the size still differs.
    public func render(x: Int, y: Int, width w: Int, height h: Int, outWidth: Int, outHeight: Int) throws(ImagingError) -> Image {
        let plan = LevelCrop(
            x: x, y: y, width: w, height: h, outWidth: outWidth, outHeight: outHeight, imageWidth: width,
            imageHeight: height)
        let crop = levels[plan.level].cropped(x: plan.x, y: plan.y, width: plan.width, height: plan.height)
        return try plan.finish(crop)
    }
}

extension SourceImage: RegionSource {}
