extension Image {
    /// The image turned upright by an EXIF orientation: mirrored and/or rotated in
    /// multiples of 90 degrees, pixels moved exactly (no resampling).
    ///
    ///     image.oriented(.rotate90)   // a 300 x 200 image becomes 200 x 300
    ///
    /// - Complexity: O(width * height).
    public func oriented(_ orientation: ImageOrientation) -> Image {
        if orientation == .identity { return self }
        let w = width, h = height
        let (outWidth, outHeight) = orientation.swapsDimensions ? (h, w) : (w, h)
        // The stored pixel of output (x, y) is base + x * stepX + y * stepY (in pixels).
        let base: Int, stepX: Int, stepY: Int
        switch orientation {
        case .identity: (base, stepX, stepY) = (0, 1, w)
        case .flipHorizontal: (base, stepX, stepY) = (w - 1, -1, w)
        case .rotate180: (base, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
        case .flipVertical: (base, stepX, stepY) = ((h - 1) * w, 1, -w)
        case .transpose: (base, stepX, stepY) = (0, w, 1)
        case .rotate90: (base, stepX, stepY) = ((h - 1) * w, -w, 1)
        case .transverse: (base, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        case .rotate270: (base, stepX, stepY) = (w - 1, w, -1)
        }
        let c = channels
        let out = [UInt8](unsafeUninitializedCapacity: pixels.count) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, d = dst.baseAddress!
                var o = 0
                for y in 0..<outHeight {
                    var p = base &+ y &* stepY
                    switch c {
                    case 1:
                        for _ in 0..<outWidth {
                            d[o] = s[p]
                            o &+= 1
                            p &+= stepX
                        }
                    case 3:
                        for _ in 0..<outWidth {
                            let q = p &* 3
                            d[o] = s[q]
                            d[o &+ 1] = s[q &+ 1]
                            d[o &+ 2] = s[q &+ 2]
                            o &+= 3
                            p &+= stepX
                        }
                    default:
                        for _ in 0..<outWidth {
                            let q = p &* c
                            for k in 0..<c { d[o &+ k] = s[q &+ k] }
                            o &+= c
                            p &+= stepX
                        }
                    }
                }
            }
            count = pixels.count
        }
        return Image(width: outWidth, height: outHeight, channels: c, pixels: out)
    }
}
