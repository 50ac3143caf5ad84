extension Image {
    /// Half the size (rounding up), each pixel the rounded mean of the 2x2 block
    /// above it (an odd last row or column is paired with itself): the next level
    /// of a pyramid, as Deep Zoom levels are sized.
    ///
    /// - Complexity: O(width * height); two passes per output row, a vertical sum
    ///   of two contiguous rows (vectorised) and a horizontal pairing.
    public func halved() -> Image {
        let w = (width + 1) / 2, h = (height + 1) / 2, c = channels
        let srcW = width, srcH = height, rowBytes = width * channels, outRow = w * c
        let sums = UnsafeMutablePointer<UInt16>.allocate(capacity: rowBytes)
        defer { sums.deallocate() }
        let out = [UInt8](unsafeUninitializedCapacity: outRow * h) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, d = dst.baseAddress!
                for y in 0..<h {
                    let r0 = s + (2 &* y) &* rowBytes, r1 = s + min(2 &* y &+ 1, srcH &- 1) &* rowBytes
                    Self.halveRow(r0, r1, sourceWidth: srcW, channels: c, sums: sums, into: d + y &* outRow)
                }
            }
            count = outRow * h
        }
        return Image(width: w, height: h, channels: c, pixels: out)
    }

    /// One row of ``halved()``: the output row of source rows `r0` and `r1` (the
    /// same row for an odd last row), through `sums` (scratch for
    /// `sourceWidth * channels` values). Strip-built pyramids
    /// (``StripPyramidWriter``) halve with it too, so their levels equal the
    /// whole image's.
    @inline(__always)
    static func halveRow(
        _ r0: UnsafePointer<UInt8>, _ r1: UnsafePointer<UInt8>, sourceWidth srcW: Int, channels c: Int,
        sums: UnsafeMutablePointer<UInt16>, into o: UnsafeMutablePointer<UInt8>
    ) {
        let rowBytes = srcW &* c, pairs = srcW / 2  // output pixels with two source columns
        for i in 0..<rowBytes { sums[i] = UInt16(r0[i]) &+ UInt16(r1[i]) }
        switch c {
        case 3: pairColumns(sums, pairs: pairs, into: o, channels: 3)
        case 1: pairColumns(sums, pairs: pairs, into: o, channels: 1)
        case 4: pairColumns(sums, pairs: pairs, into: o, channels: 4)
        default: pairColumns(sums, pairs: pairs, into: o, channels: 2)
        }
        if srcW & 1 == 1 {  // the last column pairs with itself
            let last = (srcW &- 1) &* c, at = pairs &* c
            for k in 0..<c { o[at &+ k] = UInt8(truncatingIfNeeded: (2 &* sums[last &+ k] &+ 2) >> 2) }
        }
    }

    /// Output pixel x = the rounded mean of the column sums of source pixels 2x and 2x + 1.
    @inline(__always)
    private static func pairColumns(
        _ sums: UnsafeMutablePointer<UInt16>, pairs: Int, into o: UnsafeMutablePointer<UInt8>, channels c: Int
    ) {
        for x in 0..<pairs {
            let a = sums + 2 &* x &* c, q = o + x &* c
            for k in 0..<c { q[k] = UInt8(truncatingIfNeeded: (a[k] &+ a[k &+ c] &+ 2) >> 2) }
        }
    }

    /// Flipped left to right.
    public func mirrored() -> Image {
        let c = channels, w = width
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = y * w * c
                    for x in 0..<w {
                        let s = row + x * c, d = row + (w - 1 - x) * c
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return Image(width: w, height: height, channels: c, pixels: out)
    }

    /// Rotated clockwise by `turns` quarter turns.
    public func rotated(quarterTurns turns: Int) -> Image {
        let t = ((turns % 4) + 4) % 4
        if t == 0 { return self }
        let c = channels, w = width, h = height
        let outW = t == 2 ? w : h, outH = t == 2 ? h : w
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        let (dx, dy): (Int, Int)
                        switch t {
                        case 1: (dx, dy) = (h - 1 - y, x)
                        case 2: (dx, dy) = (w - 1 - x, h - 1 - y)
                        default: (dx, dy) = (y, w - 1 - x)
                        }
                        let s = (y * w + x) * c, d = (dy * outW + dx) * c
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return Image(width: outW, height: outH, channels: c, pixels: out)
    }

    /// One luma byte per pixel (alpha dropped).
    public func grayscale() -> Image {
        if channels == 1 { return self }
        return Image(width: width, height: height, channels: 1, pixels: luma().bytes)
    }

    /// Black and white: luma at or above 128 becomes 255, below becomes 0.
    public func bitonal() -> Image {
        var gray = grayscale()
        gray.pixels.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = buffer[i] >= 128 ? 255 : 0 }
        }
        return gray
    }
}
