/// Any region geometry LabelKit rasterizes, hit-tests and measures, in pixels.
public enum Shape: Hashable, Sendable {
    /// A rectangle rotated about its top-left corner.
    case rectangle(RotatedRect)
    /// An ellipse rotated about its centre.
    case ellipse(Ellipse)
    /// A filled polygon (fill rule chosen when testing or rasterizing).
    case polygon(Polygon)
    /// A stroked open polyline.
    case polyline(Polyline)
    /// A keypoint drawn as a disc.
    case keypoint(Disc)
    /// Brush strokes applied in order (add and erase).
    case strokes([BrushStroke])
    /// A ready mask of the image's size (a decoded brush RLE): inside = non-zero.
    case mask(Mask)

    /// The bounding box in pixels (for masks and strokes, of what they can cover).
    public var boundingBox: Box {
        switch self {
        case .rectangle(let r): return r.boundingBox
        case .ellipse(let e): return e.boundingBox
        case .polygon(let p): return p.boundingBox
        case .polyline(let l): return l.boundingBox
        case .keypoint(let d): return d.boundingBox
        case .strokes(let strokes):
            return strokes.filter { $0.mode == .add }.map(\.polyline.boundingBox)
                .reduce(Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)) { $0.union($1) }
        case .mask(let m): return m.foregroundBox
        }
    }

    /// True when `point` is inside or within `tolerance` of the boundary.
    public func contains(_ point: Point, rule: FillRule = .evenOdd, tolerance: Double = Geometry.tolerance) -> Bool {
        switch self {
        case .rectangle(let r): return r.contains(point, tolerance: tolerance)
        case .ellipse(let e): return e.contains(point, tolerance: tolerance)
        case .polygon(let p): return p.contains(point, rule: rule, tolerance: tolerance)
        case .polyline(let l): return l.contains(point, tolerance: tolerance)
        case .keypoint(let d): return d.contains(point, tolerance: tolerance)
        case .strokes(let strokes):
            var inside = false
            for stroke in strokes where stroke.polyline.contains(point, tolerance: tolerance) {
                inside = stroke.mode == .add
            }
            return inside
        case .mask(let m):
            let x = Int(clamping: point.x, limit: m.width), y = Int(clamping: point.y, limit: m.height)
            return x >= 0 && y >= 0 && x < m.width && y < m.height && m[x, y] != 0
        }
    }
}
