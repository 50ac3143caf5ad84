/// How the stored pixels must be turned to display upright: the EXIF
/// `Orientation` tag (0x0112), values 1 to 8.
///
/// The case names say what to do to the stored image; the raw value is the tag.
public enum ImageOrientation: Int, Hashable, Sendable, CaseIterable {
    /// Stored upright. EXIF 1.
    case identity = 1
    /// Mirror left-right. EXIF 2.
    case flipHorizontal = 2
    /// Rotate 180 degrees. EXIF 3.
    case rotate180 = 3
    /// Mirror top-bottom. EXIF 4.
    case flipVertical = 4
    /// Mirror across the main diagonal (output (x, y) = stored (y, x)). EXIF 5.
    case transpose = 5
    /// Rotate 90 degrees clockwise. EXIF 6.
    case rotate90 = 6
    /// Mirror across the anti-diagonal. EXIF 7.
    case transverse = 7
    /// Rotate 90 degrees counter-clockwise (270 clockwise). EXIF 8.
    case rotate270 = 8

    /// True when the upright image has width and height swapped (EXIF 5 to 8).
    public var swapsDimensions: Bool { rawValue >= 5 }
}
