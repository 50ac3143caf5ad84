/// One connected foreground component of a mask as polygons along pixel edges:
/// the outer boundary (clockwise on screen) and its holes (counter-clockwise).
///
/// Vertices sit on pixel corners (integer coordinates) where the boundary turns,
/// so rasterizing ``polygon`` (even-odd or non-zero) gives back exactly the
/// component's pixels.
public struct MaskContour: Hashable, Sendable {
    /// The outer boundary, clockwise on screen (y down).
    public var outer: [Point]
    /// The holes, counter-clockwise on screen.
    public var holes: [[Point]]

    /// Creates a contour.
    public init(outer: [Point], holes: [[Point]] = []) {
        self.outer = outer
        self.holes = holes
    }

    /// The contour as a polygon with holes.
    public var polygon: Polygon { Polygon(points: outer, holes: holes) }

    /// The contour simplified with Douglas-Peucker: no vertex moves the outline
    /// by more than `tolerance` pixels; rings keep at least 3 vertices.
    public func simplified(tolerance: Double) -> MaskContour {
        MaskContour(
            outer: DouglasPeucker.simplify(ring: outer, tolerance: tolerance),
            holes: holes.map { DouglasPeucker.simplify(ring: $0, tolerance: tolerance) })
    }

    /// The contour in Label Studio percent coordinates of a `width x height` image.
    public func percent(width: Int, height: Int) -> MaskContour {
        let sx = 100 / Double(width), sy = 100 / Double(height)
        func convert(_ ring: [Point]) -> [Point] { ring.map { Point(x: $0.x * sx, y: $0.y * sy) } }
        return MaskContour(outer: convert(outer), holes: holes.map(convert))
    }
}

extension Mask {
    /// The boundaries of the foreground (non-zero pixels), one ``MaskContour`` per
    /// 8-connected component, ordered by each component's first pixel in raster
    /// order; what OpenCV's `findContours(RETR_CCOMP, CHAIN_APPROX_SIMPLE)` gives,
    /// but on pixel edges, so the polygons rasterize back to the mask exactly.
    ///
    /// - Complexity: O(width * height / 8 + boundary length).
    public func contours() -> [MaskContour] {
        ContourTracer(mask: self).trace()
    }
}
