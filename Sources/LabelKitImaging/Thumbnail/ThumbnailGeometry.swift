/// The sizes of one thumbnail, computed from the upright source size: the image
/// is resized to `resizeWidth x resizeHeight`, then the `width x height`
/// rectangle at (`cropX`, `cropY`) is kept (the whole image unless the fit is
/// ``ThumbnailFit/fill``).
public struct ThumbnailGeometry: Hashable, Sendable {
    /// Width after resizing, before the crop.
    public var resizeWidth: Int
    /// Height after resizing, before the crop.
    public var resizeHeight: Int
    /// Left edge of the kept rectangle in the resized image.
    public var cropX: Int
    /// Top edge of the kept rectangle in the resized image.
    public var cropY: Int
    /// Final width.
    public var width: Int
    /// Final height.
    public var height: Int

    /// Computes the sizes the way libvips `thumbnail` does: shrink factors
    /// `sourceWidth / targetWidth` and `sourceHeight / targetHeight`; `fit` uses the
    /// larger for both axes, `fill` the smaller, `force` each its own; each factor is
    /// capped at its side's length (no side becomes 0); resized sides are
    /// `round(side / factor)` (halves up); `fill` crops the centre, the left/top
    /// offset rounded down. With only one target side, every fit scales to that side
    /// and keeps the aspect ratio.
    ///
    ///     ThumbnailGeometry(sourceWidth: 6000, sourceHeight: 4000, targetWidth: 256, targetHeight: 256, fit: .fit)
    ///     // 256 x 171
    ///
    /// - Precondition: source sides >= 1, at least one target side, targets >= 1.
    public init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int?, targetHeight: Int?, fit: ThumbnailFit) {
        precondition(sourceWidth >= 1 && sourceHeight >= 1, "empty source")
        precondition(targetWidth != nil || targetHeight != nil, "no target size")
        precondition((targetWidth ?? 1) >= 1 && (targetHeight ?? 1) >= 1, "target size below 1")
        let w = Double(sourceWidth), h = Double(sourceHeight)
        var hShrink: Double, vShrink: Double
        switch (targetWidth, targetHeight) {
        case let (tw?, th?):
            hShrink = w / Double(tw)
            vShrink = h / Double(th)
            switch fit {
            case .fit: (hShrink, vShrink) = (max(hShrink, vShrink), max(hShrink, vShrink))
            case .fill: (hShrink, vShrink) = (min(hShrink, vShrink), min(hShrink, vShrink))
            case .force: break
            }
        case let (tw?, nil):
            hShrink = w / Double(tw)
            vShrink = hShrink
        case let (nil, th?):
            vShrink = h / Double(th)
            hShrink = vShrink
        case (nil, nil):
            preconditionFailure("no target size")
        }
        hShrink = min(hShrink, w)
        vShrink = min(vShrink, h)
        // VIPS_ROUND_UINT(x) = (int)(x + 0.5); libvips resizes by 1 / shrink.
        resizeWidth = max(1, Int(w * (1 / hShrink) + 0.5))
        resizeHeight = max(1, Int(h * (1 / vShrink) + 0.5))
        if fit == .fill, let tw = targetWidth, let th = targetHeight {
            width = min(tw, resizeWidth)
            height = min(th, resizeHeight)
            cropX = (resizeWidth - width) / 2
            cropY = (resizeHeight - height) / 2
        } else {
            width = resizeWidth
            height = resizeHeight
            cropX = 0
            cropY = 0
        }
    }
}
