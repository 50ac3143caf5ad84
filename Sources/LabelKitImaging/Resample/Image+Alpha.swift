extension Image {
    /// True for gray + alpha (2 channels) and RGBA (4 channels): alpha is the last channel.
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// The image without its alpha channel, composited over a uniform `background`
    /// level (255 = white): `c * a / 255 + background * (255 - a) / 255`, rounded.
    /// Gray + alpha becomes gray, RGBA becomes RGB; images without alpha come back as they are.
    ///
    /// - Complexity: O(width * height).
    public func removingAlpha(background: UInt8 = 255) -> Image {
        guard hasAlpha else { return self }
        let c = channels, colors = c - 1, n = width * height
        let bg = UInt32(background)
        let out = [UInt8](unsafeUninitializedCapacity: n * colors) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                for i in 0..<n {
                    let a = UInt32(src[i &* c &+ colors])
                    for k in 0..<colors {
                        let t = UInt32(src[i &* c &+ k]) &* a &+ bg &* (255 &- a) &+ 128
                        dst[i &* colors &+ k] = UInt8(truncatingIfNeeded: (t &+ (t >> 8)) >> 8)
                    }
                }
            }
            count = n * colors
        }
        return Image(width: width, height: height, channels: colors, pixels: out)
    }
}

/// Alpha premultiplication on interleaved 8-bit pixels whose last channel is alpha.
enum Premultiplication {
    /// `c = round(c * a / 255)` for the colour channels, in place.
    static func premultiply(_ pixels: UnsafeMutableBufferPointer<UInt8>, channels: Int) {
        let colors = channels - 1
        var i = 0
        while i < pixels.count {
            let a = UInt32(pixels[i &+ colors])
            if a != 255 {
                for k in 0..<colors {
                    let t = UInt32(pixels[i &+ k]) &* a &+ 128
                    pixels[i &+ k] = UInt8(truncatingIfNeeded: (t &+ (t >> 8)) >> 8)
                }
            }
            i &+= channels
        }
    }

    /// `c = min(255, round(c * 255 / a))` for the colour channels (0 where `a` is 0), in place.
    static func unpremultiply(_ pixels: UnsafeMutableBufferPointer<UInt8>, channels: Int) {
        let colors = channels - 1
        var i = 0
        while i < pixels.count {
            let a = UInt32(pixels[i &+ colors])
            if a == 0 {
                for k in 0..<colors { pixels[i &+ k] = 0 }
            } else if a != 255 {
                for k in 0..<colors {
                    let v = (UInt32(pixels[i &+ k]) &* 255 &+ a / 2) / a
                    pixels[i &+ k] = UInt8(truncatingIfNeeded: min(v, 255))
                }
            }
            i &+= channels
        }
    }
}
