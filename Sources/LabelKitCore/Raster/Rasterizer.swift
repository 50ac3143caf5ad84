/// Turns any ``Shape`` into spans for a ``SpanSink``.
public enum Rasterizer {
    /// Emits the spans of every pixel whose centre is inside or on the boundary of
    /// `shape` (tolerance 1e-9), clipped to `width x height`.
    ///
    /// Brush strokes are applied in order, erasers included, so they are first
    /// composited into a scratch mask whose rows are then emitted; masks emit their
    /// non-zero runs.
    public static func rasterize<Sink: SpanSink>(
        _ shape: Shape, rule: FillRule = .evenOdd, width: Int, height: Int, into sink: inout Sink
    ) {
        let tol = Geometry.tolerance
        switch shape {
        case .rectangle(let r):
            let (c, s) = r.cosSin
            ConvexRasterizer.fill(
                RectTest(rect: r, cos: c, sin: s, tolerance: tol), bounds: r.boundingBox,
                width: width, height: height, into: &sink)
        case .ellipse(let e):
            guard e.radiusX > 0, e.radiusY > 0 else { return }
            let (c, s) = e.cosSin
            ConvexRasterizer.fill(
                EllipseTest(ellipse: e, cos: c, sin: s, tolerance: tol), bounds: e.boundingBox,
                width: width, height: height, into: &sink)
        case .polygon(let p):
            PolygonRasterizer.fill(p, rule: rule, width: width, height: height, into: &sink)
        case .keypoint(let d):
            ConvexRasterizer.fill(
                DiscTest(disc: d, tolerance: tol), bounds: d.boundingBox, width: width, height: height, into: &sink)
        case .polyline(let line):
            for capsule in line.capsules {
                ConvexRasterizer.fill(
                    CapsuleTest(capsule, tolerance: tol), bounds: capsule.boundingBox,
                    width: width, height: height, into: &sink)
            }
        case .strokes(let strokes):
            var scratch = Mask(width: width, height: height)
            for stroke in strokes {
                scratch.fill(.polyline(stroke.polyline), value: stroke.mode == .add ? 255 : 0)
            }
            emitRuns(of: scratch, into: &sink)
        case .mask(let m):
            guard m.width == width, m.height == height else { return }
            emitRuns(of: m, into: &sink)
        }
    }

    /// Emits the non-zero runs of a mask row by row (from ``Mask/rowRuns()``).
    static func emitRuns<Sink: SpanSink>(of mask: Mask, into sink: inout Sink) {
        let runs = mask.rowRuns()
        for y in 0..<mask.height {
            var x = 0
            for k in runs.rowStart[y]..<runs.rowStart[y + 1] {
                let end = x + runs.lengths[k]
                if runs.values[k] != 0 { sink.span(row: y, columns: x..<end) }
                x = end
            }
        }
    }
}
