import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// Draws the regions of a Label Studio annotation over a rendered view of an
/// image: each region filled with its label's colour at `fillAlpha` and outlined
/// opaquely, rasterized by the geometry core at the view's own resolution.
///
/// The cost is bounded by the view, not by the regions: regions are culled by
/// their boxes, and the view is painted in bands of ``bandRows`` rows into one
/// coverage buffer (``CoverageSink``), top-most region first, so every pixel is
/// written once whatever the number of regions over it, and the regions under
/// a band that is already covered are not drawn at all; then one pass blends
/// the band. Where regions overlap, the top-most one (the last in the
/// annotation) shows, with its outline.
public struct OverlayPainter: Sendable {
    /// The regions, in the annotation's pixel space.
    public let document: RegionsDocument
    /// Opacity of the fill, 0...1.
    public var fillAlpha: Double = 0.35
    /// Rows painted at a time (the coverage buffers hold this many rows plus two).
    static let bandRows = 64
    /// Most regions one painter draws (coverage values are 16-bit).
    public static let maxRegions = Int(UInt16.max) - 1

    /// A painter for an annotation.
    public init(document: RegionsDocument) {
        self.document = document
    }

    /// The colour of a label: a fixed, well-separated palette indexed by FNV-1a of the name.
    public static func colour(of label: String) -> (UInt8, UInt8, UInt8) {
        let palette: [(UInt8, UInt8, UInt8)] = [
            (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180),
            (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (170, 110, 40),
        ]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return palette[Int(hash % UInt64(palette.count))]
    }

    /// Paints over `view`, which shows the rectangle (x, y, width, height) of a
    /// `imageWidth` x `imageHeight` image scaled to the view's size.
    ///
    /// - Throws: `.cancelled` when `cancellation` is raised (checked per band).
    /// - Complexity: O(view pixels + regions x rows they span in the view).
    public func paint(
        _ view: Image, x: Int, y: Int, width: Int, height: Int, imageWidth: Int, imageHeight: Int,
        cancellation: CancellationFlag? = nil
    ) throws(ImagingError) -> Image {
        // Annotation pixels -> image pixels -> view pixels.
        let toImage = Double(imageWidth) / Double(document.width)
        var layers: [OverlayLayer] = []
        for (i, region) in document.regions.prefix(Self.maxRegions).enumerated() where !region.isHidden {
            if i & 255 == 255 { try cancellation?.check() }
            if let layer = OverlayLayer(
                region, colour: Self.colour(of: region.labels.first ?? ""), toImage: toImage, x: x, y: y, width: width,
                height: height, viewWidth: view.width, viewHeight: view.height)
            {
                layers.append(layer)
            }
        }
        var out = view.channels >= 3 ? view : view.expandedToRGB()
        guard !layers.isEmpty else { return out }
        let w = out.width, h = out.height
        let bufferRows = Self.bandRows + 2
        var coverage = [UInt16](repeating: 0, count: bufferRows * w)
        var next = [Int32](repeating: 0, count: bufferRows * (w + 1))
        for bandStart in stride(from: 0, to: h, by: Self.bandRows) {
            try cancellation?.check()
            let bandEnd = min(h, bandStart + Self.bandRows)
            // One row of context on each side, for the outlines at the band's edges.
            let first = max(0, bandStart - 1), end = min(h, bandEnd + 1)
            coverage.withUnsafeMutableBufferPointer { cells in
                next.withUnsafeMutableBufferPointer { links in
                    Self.clear(cells.baseAddress!, links.baseAddress!, rows: end - first, width: w)
                    var uncovered = (end - first) * w
                    for index in layers.indices.reversed() where uncovered > 0 {
                        let layer = layers[index]
                        let top = max(first, layer.rows.lowerBound), bottom = min(end, layer.rows.upperBound)
                        guard top < bottom else { continue }
                        let rows = top..<bottom
                        var sink = CoverageSink(
                            coverage: cells.baseAddress!, next: links.baseAddress!, width: w, rowOffset: 0,
                            columnOffset: 0, value: UInt16(index + 1))
                        layer.rasterize(band: rows, bandStart: first, into: &sink)
                        uncovered -= sink.covered
                    }
                }
            }
            blend(&out, coverage: coverage, layers: layers, rows: bandStart..<bandEnd, bufferStart: first, bufferEnd: end)
        }
        return out
    }

    /// Marks every pixel of the first `rows` buffer rows uncovered.
    private static func clear(_ cells: UnsafeMutablePointer<UInt16>, _ links: UnsafeMutablePointer<Int32>, rows: Int, width: Int) {
        cells.update(repeating: 0, count: rows * width)
        for r in 0..<rows {
            let row = links + r * (width + 1)
            for x in 0...width { row[x] = Int32(truncatingIfNeeded: x) }
        }
    }

    /// Blends view rows `rows` from the coverage buffer (which holds view rows
    /// `bufferStart..<bufferEnd`): the fill at `fillAlpha`, the outline (a
    /// covered pixel whose 4-neighbour inside the view shows another region or
    /// none) opaque.
    private func blend(
        _ image: inout Image, coverage: [UInt16], layers: [OverlayLayer], rows: Range<Int>, bufferStart: Int,
        bufferEnd: Int
    ) {
        let w = image.width, c = image.channels
        let a = Int((fillAlpha * 256).rounded())
        coverage.withUnsafeBufferPointer { cells in
            image.pixels.withUnsafeMutableBufferPointer { pixels in
                for y in rows {
                    let row = (y - bufferStart) * w
                    let hasAbove = y - 1 >= bufferStart, hasBelow = y + 1 < bufferEnd
                    for x in 0..<w {
                        let v = cells[row + x]
                        guard v != 0 else { continue }
                        // View borders are tile seams, not region outlines.
                        let edge =
                            (x > 0 && cells[row + x - 1] != v) || (x < w - 1 && cells[row + x + 1] != v)
                            || (hasAbove && cells[row - w + x] != v) || (hasBelow && cells[row + w + x] != v)
                        let colour = layers[Int(v) - 1].colour
                        let o = (y * w + x) * c
                        if edge {
                            pixels[o] = colour.0
                            pixels[o + 1] = colour.1
                            pixels[o + 2] = colour.2
                        } else {
                            pixels[o] = Self.mix(pixels[o], colour.0, a)
                            pixels[o + 1] = Self.mix(pixels[o + 1], colour.1, a)
                            pixels[o + 2] = Self.mix(pixels[o + 2], colour.2, a)
                        }
                        if c == 4 { pixels[o + 3] = 255 }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func mix(_ old: UInt8, _ new: UInt8, _ alpha: Int) -> UInt8 {
        let o = Int(old)
        return UInt8(o + ((Int(new) - o) * alpha) >> 8)
    }
}

extension Image {
    /// Gray (+ alpha) widened to RGB (+ alpha).
    func expandedToRGB() -> Image {
        let outChannels = channels == 2 ? 4 : 3
        var out = [UInt8](repeating: 255, count: width * height * outChannels)
        for i in 0..<(width * height) {
            let g = pixels[i * channels]
            out[i * outChannels] = g
            out[i * outChannels + 1] = g
            out[i * outChannels + 2] = g
            if channels == 2 { out[i * outChannels + 3] = pixels[i * 2 + 1] }
        }
        return Image(width: width, height: height, channels: outChannels, pixels: out)
    }
}
