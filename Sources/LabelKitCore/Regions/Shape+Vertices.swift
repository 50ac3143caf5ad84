extension Shape {
    /// The points an editor lets users drag: polygon and polyline points, rectangle
    /// corners (TL, TR, BR, BL), ellipse and keypoint centres, stroke points.
    public var vertices: [Point] {
        switch self {
        case .rectangle(let r): return r.corners
        case .ellipse(let e): return [e.center]
        case .polygon(let p): return p.points
        case .polyline(let l): return l.points
        case .keypoint(let d): return [d.center]
        case .strokes(let strokes): return strokes.flatMap(\.points)
        case .mask: return []
        }
    }
}
