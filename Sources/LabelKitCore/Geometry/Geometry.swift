/// Shared numeric conventions of the geometry code.
public enum Geometry {
    /// A pixel centre within this distance of a boundary counts as inside (1e-9,
    /// the tolerance of the reference fixtures; for ellipses it applies to the
    /// normalised value `(u/rx)^2 + (v/ry)^2`).
    public static let tolerance = 1e-9

    /// Degrees to radians exactly as the references compute it: `deg * pi / 180`.
    @inlinable
    public static func radians(_ degrees: Double) -> Double { degrees * Double.pi / 180 }

    /// Cosine and sine of a rotation given in degrees.
    static func cosSin(degrees: Double) -> (Double, Double) {
        let theta = radians(degrees)
        return (CMath.cos(theta), CMath.sin(theta))
    }
}

/// How a self-intersecting or nested polygon is filled.
public enum FillRule: String, Hashable, Sendable, CaseIterable {
    /// Inside when a ray crosses the outline an odd number of times.
    case evenOdd = "evenodd"
    /// Inside when the winding number is not zero.
    case nonZero = "nonzero"
}
