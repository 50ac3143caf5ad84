/// Integer block averaging (libvips `shrink`): each output pixel is the mean of
/// a `boxX x boxY` block of input pixels (the blocks at the right and bottom edges
/// may be partial and average what they cover). With `premultiply`, the last
/// channel is alpha and colours are averaged weighted by it, giving
/// premultiplied output.
enum BoxShrink {
    /// The output size: each side divided by its factor and rounded up.
    static func outputSize(width: Int, height: Int, boxX: Int, boxY: Int) -> (width: Int, height: Int) {
        ((width + boxX - 1) / boxX, (height + boxY - 1) / boxY)
    }

    /// Shrinks `src` (`width x height x channels`) into `dst`, sized by ``outputSize(width:height:boxX:boxY:)``.
    static func shrink(
        _ src: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int, boxX: Int, boxY: Int,
        premultiply: Bool, into dst: UnsafeMutableBufferPointer<UInt8>
    ) {
        let (outWidth, outHeight) = outputSize(width: width, height: height, boxX: boxX, boxY: boxY)
        let rowBytes = width * channels
        precondition(src.count >= rowBytes * height && dst.count >= outWidth * outHeight * channels)
        // One row of column sums; boxY <= 2^16 keeps them below 2^32 (255 * 255 * 2^16).
        let sums = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: rowBytes)
        defer { sums.deallocate() }
        let acc = sums.baseAddress!, s = src.baseAddress!, d = dst.baseAddress!
        let colors = channels - 1
        for oy in 0..<outHeight {
            let y0 = oy * boxY, y1 = min(y0 + boxY, height)
            acc.update(repeating: 0, count: rowBytes)
            for y in y0..<y1 {
                let row = s + y &* rowBytes
                if premultiply {
                    var i = 0
                    while i < rowBytes {
                        let a = UInt32(row[i &+ colors])
                        for k in 0..<colors { acc[i &+ k] &+= UInt32(row[i &+ k]) &* a }
                        acc[i &+ colors] &+= a &* 255
                        i &+= channels
                    }
                } else {
                    for i in 0..<rowBytes { acc[i] &+= UInt32(row[i]) }
                }
            }
            let rowsIn = UInt64(y1 - y0)
            var out = d + oy &* outWidth &* channels
            for ox in 0..<outWidth {
                let x0 = ox &* boxX, x1 = min(x0 &+ boxX, width)
                let n = UInt64(x1 &- x0) &* rowsIn &* (premultiply ? 255 : 1)
                for k in 0..<channels {
                    var total: UInt64 = 0
                    var i = x0 &* channels &+ k
                    for _ in x0..<x1 {
                        total &+= UInt64(acc[i])
                        i &+= channels
                    }
                    out[k] = UInt8(truncatingIfNeeded: (total &+ n / 2) / n)
                }
                out += channels
            }
        }
    }
}
