/// One brush or eraser stroke: a polyline painted with round caps and joins, as
/// the Label Studio frontend draws it (`lineCap = round`, `lineJoin = round`).
public struct BrushStroke: Hashable, Sendable {
    /// Whether the stroke paints or erases.
    public enum Mode: String, Hashable, Sendable {
        /// Paints the covered pixels (`source-over`).
        case add
        /// Clears the covered pixels (`destination-out`).
        case erase
    }

    /// The stroke's points in pixels; one point (or two equal points) is a dot.
    public var points: [Point]
    /// The brush diameter (line width) in pixels.
    public var size: Double
    /// Paint or erase.
    public var mode: Mode

    /// Creates a stroke.
    public init(points: [Point], size: Double, mode: Mode = .add) {
        self.points = points
        self.size = size
        self.mode = mode
    }

    /// The stroke as a polyline of width `size`.
    public var polyline: Polyline { Polyline(points: points, strokeWidth: size) }
}
