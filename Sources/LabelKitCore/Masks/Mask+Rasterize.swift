extension Mask {
    /// Paints a shape into the mask: every pixel whose centre is inside or on the
    /// boundary (tolerance 1e-9) gets `value`; the rest is untouched. Shapes are
    /// clipped to the mask.
    ///
    ///     var mask = Mask(width: 64, height: 48)
    ///     mask.fill(.ellipse(Ellipse(center: Point(x: 20.5, y: 20.5), radiusX: 5, radiusY: 5)))
    ///     mask.area   // 81
    ///
    /// - Parameter rule: the fill rule for polygons.
    /// - Parameter value: the byte to write (255 to add, 0 to erase).
    /// - Complexity: O(rows covered + pixels covered) for rectangles, ellipses,
    ///   discs and strokes; O(rows * active edges + pixels) for polygons.
    public mutating func fill(_ shape: Shape, rule: FillRule = .evenOdd, value: UInt8 = 255) {
        let (w, h) = (width, height)
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var painter = MaskPainter(base: base, width: w, value: value)
            Rasterizer.rasterize(shape, rule: rule, width: w, height: h, into: &painter)
        }
    }

    /// Foreground pixel count (non-zero bytes).
    ///
    /// - Complexity: O(width * height).
    public var area: Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for byte in buffer where byte != 0 { count &+= 1 }
            return count
        }
    }

    /// The box of the non-zero pixels in pixel edges (`[minX, maxX + 1) x [minY, maxY + 1)`),
    /// empty when the mask is.
    public var foregroundBox: Box {
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        bytes.withUnsafeBufferPointer { buffer in
            for y in 0..<height {
                let row = y * width
                for x in 0..<width where buffer[row + x] != 0 {
                    minX = Swift.min(minX, x)
                    maxX = Swift.max(maxX, x)
                    minY = Swift.min(minY, y)
                    maxY = y
                }
            }
        }
        guard maxX >= 0 else { return Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity) }
        return Box(minX: Double(minX), minY: Double(minY), maxX: Double(maxX + 1), maxY: Double(maxY + 1))
    }
}
