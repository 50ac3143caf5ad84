import LabelKitCore

/// One visible region of an overlay, ready to rasterize band by band: its
/// shape in view pixels (or, for a brush, its mask's row runs and the mapping
/// to view pixels), its box clipped to the view, and its colour.
struct OverlayLayer {
    /// How the region is drawn.
    enum Geometry {
        /// A shape in view pixels.
        case shape(Shape)
        /// A brush mask, sampled nearest-neighbour: view pixel (vx, vy) shows mask
        /// pixel (floor((x0 + (vx + 0.5) * step) / toImage), ...) in each axis.
        case mask(MaskRuns, maskHeight: Int, origin: (x: Double, y: Double), step: (x: Double, y: Double), toImage: Double)
    }

    let geometry: Geometry
    /// Columns and rows of the view the region may cover (clipped, non-empty).
    let columns: Range<Int>
    let rows: Range<Int>
    /// The label's colour.
    let colour: (UInt8, UInt8, UInt8)

    /// The layer of `region` on a view of `viewWidth x viewHeight` pixels showing
    /// the image rectangle at (`x`, `y`) of `width x height` pixels; nil when the
    /// region does not reach the view.
    init?(
        _ region: Region, colour: (UInt8, UInt8, UInt8), toImage: Double, x: Int, y: Int, width: Int, height: Int,
        viewWidth: Int, viewHeight: Int
    ) {
        let scale = Double(viewWidth) / Double(width)
        let box: Box
        if case .mask(let mask) = region.shape {
            let fore = mask.foregroundBox
            guard fore.maxX > fore.minX else { return nil }
            let sx = Double(width) / Double(viewWidth), sy = Double(height) / Double(viewHeight)
            // Image edges of the mask's box, then view edges.
            box = Box(
                minX: (fore.minX * toImage - Double(x)) / sx, minY: (fore.minY * toImage - Double(y)) / sy,
                maxX: (fore.maxX * toImage - Double(x)) / sx, maxY: (fore.maxY * toImage - Double(y)) / sy)
            geometry = .mask(
                mask.rowRuns(), maskHeight: mask.height, origin: (Double(x), Double(y)),
                step: (sx, sy), toImage: toImage)
        } else {
            let shape = region.shape.scaled(by: toImage).translated(dx: -Double(x), dy: -Double(y)).scaled(by: scale)
            box = shape.boundingBox
            geometry = .shape(shape)
        }
        guard let columns = Self.clip(box.minX, box.maxX, to: viewWidth),
            let rows = Self.clip(box.minY, box.maxY, to: viewHeight)
        else { return nil }
        self.columns = columns
        self.rows = rows
        self.colour = colour
    }

    /// The pixels whose centres may lie in [low, high], within 0..<limit; nil when none.
    static func clip(_ low: Double, _ high: Double, to limit: Int) -> Range<Int>? {
        guard low.isFinite || high.isFinite, !(low.isNaN || high.isNaN), high >= 0, low <= Double(limit) else {
            return nil
        }
        let first = Int(max(0, min(Double(limit), (low - 0.5).rounded(.down))))
        let end = Int(max(0, min(Double(limit), (high + 0.5).rounded(.up))))
        return first < end ? first..<end : nil
    }

    /// Emits the layer's spans in view rows `band` (already intersected with
    /// ``rows``) into `sink` (offsets 0), whose row 0 is view row `bandStart`;
    /// the sink's ``CoverageSink/covered`` counts the pixels it took.
    func rasterize(band: Range<Int>, bandStart: Int, into sink: inout CoverageSink) {
        switch geometry {
        case .shape(let shape):
            // Only this box's part of the band: strokes composite into a scratch of that size.
            let local = shape.translated(dx: -Double(columns.lowerBound), dy: -Double(band.lowerBound))
            var offset = CoverageSink(
                coverage: sink.coverage, next: sink.next, width: sink.width, rowOffset: band.lowerBound - bandStart,
                columnOffset: columns.lowerBound, value: sink.value)
            Rasterizer.rasterize(local, width: columns.count, height: band.count, into: &offset)
            sink.covered &+= offset.covered
        case .mask(let runs, let maskHeight, let origin, let step, let toImage):
            for vy in band {
                let my = Int(((origin.y + (Double(vy) + 0.5) * step.y) / toImage).rounded(.down))
                guard my >= 0, my < maskHeight else { continue }
                var mx = 0
                for k in runs.rowStart[my]..<runs.rowStart[my + 1] {
                    let end = mx + runs.lengths[k]
                    if runs.values[k] != 0, let span = viewColumns(from: mx, to: end, origin: origin.x, step: step.x, toImage: toImage) {
                        sink.span(row: vy - bandStart, columns: span)
                    }
                    mx = end
                }
            }
        }
    }

    /// The view columns whose sample falls in mask columns [from, to), clipped to the layer's columns.
    private func viewColumns(from: Int, to: Int, origin: Double, step: Double, toImage: Double) -> Range<Int>? {
        // vx samples mask column floor((origin + (vx + 0.5) * step) / toImage).
        let first = ((Double(from) * toImage - origin) / step - 0.5).rounded(.up)
        let end = ((Double(to) * toImage - origin) / step - 0.5).rounded(.up)
        let lower = Int(max(Double(columns.lowerBound), min(Double(columns.upperBound), first)))
        let upper = Int(max(Double(columns.lowerBound), min(Double(columns.upperBound), end)))
        return lower < upper ? lower..<upper : nil
    }
}
