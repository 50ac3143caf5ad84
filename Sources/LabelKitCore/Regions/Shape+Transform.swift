extension Shape {
    /// The shape moved by `(dx, dy)` pixels. Masks move by whole pixels
    /// (`dx`, `dy` rounded), pixels pushed outside are dropped.
    public func translated(dx: Double, dy: Double) -> Shape {
        func move(_ p: Point) -> Point { Point(x: p.x + dx, y: p.y + dy) }
        switch self {
        case .rectangle(var r):
            r.origin = move(r.origin)
            return .rectangle(r)
        case .ellipse(var e):
            e.center = move(e.center)
            return .ellipse(e)
        case .polygon(let p):
            return .polygon(Polygon(points: p.points.map(move), holes: p.holes.map { $0.map(move) }))
        case .polyline(var l):
            l.points = l.points.map(move)
            return .polyline(l)
        case .keypoint(var d):
            d.center = move(d.center)
            return .keypoint(d)
        case .strokes(let strokes):
            return .strokes(strokes.map { BrushStroke(points: $0.points.map(move), size: $0.size, mode: $0.mode) })
        case .mask(let m):
            return .mask(m.shifted(dx: Int(dx.rounded()), dy: Int(dy.rounded())))
        }
    }
}

extension Mask {
    /// The mask moved by whole pixels; pixels moved outside are dropped and the
    /// uncovered area is zero.
    ///
    /// - Complexity: O(width * height).
    public func shifted(dx: Int, dy: Int) -> Mask {
        var out = Mask(width: width, height: height)
        let x0 = Swift.max(0, dx), x1 = Swift.min(width, width + dx)
        guard x0 < x1 else { return out }
        bytes.withUnsafeBufferPointer { source in
            out.bytes.withUnsafeMutableBufferPointer { destination in
                for y in 0..<height {
                    let sy = y - dy
                    guard sy >= 0 && sy < height else { continue }
                    (destination.baseAddress! + y * width + x0)
                        .update(from: source.baseAddress! + sy * width + (x0 - dx), count: x1 - x0)
                }
            }
        }
        return out
    }

    /// The mask placed at the top-left of a `width x height` canvas: cropped where
    /// it is larger, zero-padded where it is smaller.
    public func resizedCanvas(width newWidth: Int, height newHeight: Int) -> Mask {
        var out = Mask(width: newWidth, height: newHeight)
        let w = Swift.min(width, newWidth), h = Swift.min(height, newHeight)
        guard w > 0, h > 0 else { return out }
        for y in 0..<h {
            for x in 0..<w { out.bytes[y * newWidth + x] = bytes[y * width + x] }
        }
        return out
    }
}

extension Mask {
    /// The mask scaled to `width x height` by nearest-neighbour sampling of pixel
    /// centres.
    public func resampledNearest(width newWidth: Int, height newHeight: Int) -> Mask {
        var out = Mask(width: newWidth, height: newHeight)
        guard width > 0, height > 0 else { return out }
        for y in 0..<newHeight {
            let sy = Swift.min(height - 1, Int((Double(y) + 0.5) * Double(height) / Double(newHeight)))
            for x in 0..<newWidth {
                let sx = Swift.min(width - 1, Int((Double(x) + 0.5) * Double(width) / Double(newWidth)))
                out.bytes[y * newWidth + x] = bytes[sy * width + sx]
            }
        }
        return out
    }
}

extension Shape {
    /// The shape scaled by `factor` about the origin (a uniform scale keeps
    /// rectangles and ellipses what they are). Masks are resampled to the scaled
    /// size by nearest neighbour.
    public func scaled(by factor: Double) -> Shape {
        func scale(_ p: Point) -> Point { Point(x: p.x * factor, y: p.y * factor) }
        switch self {
        case .rectangle(var r):
            r.origin = scale(r.origin)
            r.width *= factor
            r.height *= factor
            return .rectangle(r)
        case .ellipse(var e):
            e.center = scale(e.center)
            e.radiusX *= factor
            e.radiusY *= factor
            return .ellipse(e)
        case .polygon(let p):
            return .polygon(Polygon(points: p.points.map(scale), holes: p.holes.map { $0.map(scale) }))
        case .polyline(var l):
            l.points = l.points.map(scale)
            l.strokeWidth *= factor
            return .polyline(l)
        case .keypoint(var d):
            d.center = scale(d.center)
            d.radius *= factor
            return .keypoint(d)
        case .strokes(let strokes):
            return .strokes(strokes.map { BrushStroke(points: $0.points.map(scale), size: $0.size * factor, mode: $0.mode) })
        case .mask(let m):
            let width = Swift.max(1, Int((Double(m.width) * factor).rounded()))
            let height = Swift.max(1, Int((Double(m.height) * factor).rounded()))
            return .mask(m.resampledNearest(width: width, height: height))
        }
    }
}
