/// How a thumbnail meets its target box (imgproxy's and libvips' names).
public enum ThumbnailFit: String, Hashable, Sendable, CaseIterable {
    /// Scale to fit inside the box, aspect ratio kept: one side equals the box, the
    /// other is at most the box (libvips `thumbnail`'s default, imgproxy `fit`).
    case fit
    /// Scale to cover the box, aspect ratio kept, then crop the centre to exactly
    /// the box (libvips `crop: centre`, imgproxy `fill`).
    case fill
    /// Scale each side to exactly the box, aspect ratio ignored (libvips `size: force`).
    case force
}
