import LabelKitImaging

extension Image {
    /// Half the size (rounding up), each pixel the mean of the 2x2 block above it
    /// (1 or 2 pixels at odd edges): the next level of a pyramid, as Deep Zoom
    /// levels are sized.
    func halved() -> Image {
        let w = (width + 1) / 2, h = (height + 1) / 2, c = channels
        let srcW = width, srcH = height
        var out = [UInt8](repeating: 0, count: w * h * c)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let y0 = 2 * y, y1 = min(2 * y + 1, srcH - 1)
                    let row0 = y0 * srcW * c, row1 = y1 * srcW * c
                    for x in 0..<w {
                        let x0 = 2 * x, x1 = min(2 * x + 1, srcW - 1)
                        let o = (y * w + x) * c
                        for k in 0..<c {
                            let sum = Int(src[row0 + x0 * c + k]) + Int(src[row0 + x1 * c + k]) + Int(src[row1 + x0 * c + k])
                                + Int(src[row1 + x1 * c + k])
                            dst[o + k] = UInt8((sum + 2) >> 2)
                        }
                    }
                }
            }
        }
        return Image(width: w, height: h, channels: c, pixels: out)
    }

    /// Flipped left to right.
    func mirrored() -> Image {
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
    func rotated(quarterTurns turns: Int) -> Image {
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
    func grayscale() -> Image {
        if channels == 1 { return self }
        return Image(width: width, height: height, channels: 1, pixels: luma().bytes)
    }

    /// Black and white: luma at or above 128 becomes 255, below becomes 0.
    func bitonal() -> Image {
        var gray = grayscale()
        gray.pixels.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = buffer[i] >= 128 ? 255 : 0 }
        }
        return gray
    }
}
