import LabelKitCore

/// An 8-bit image: `channels` interleaved bytes per pixel (1 gray, 2 gray + alpha,
/// 3 RGB, 4 RGBA), row-major.
public struct Image: Hashable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Bytes per pixel: 1, 2, 3 or 4.
    public let channels: Int
    /// Interleaved pixel bytes, `width * height * channels` of them.
    public var pixels: [UInt8]

    /// Creates an image over existing bytes.
    ///
    /// - Precondition: `pixels.count == width * height * channels`, channels in 1...4.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition((1...4).contains(channels) && pixels.count == width * height * channels)
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The image as one luma byte per pixel, with Pillow's `convert("L")` rule:
    /// `L = (19595 R + 38470 G + 7471 B + 32768) >> 16`; alpha is ignored.
    ///
    /// - Complexity: O(width * height).
    public func luma() -> Mask {
        var mask = Mask(width: width, height: height)
        let n = width * height
        pixels.withUnsafeBufferPointer { src in
            mask.bytes.withUnsafeMutableBufferPointer { dst in
                switch channels {
                case 1:
                    dst.baseAddress!.update(from: src.baseAddress!, count: n)
                case 2:
                    for i in 0..<n { dst[i] = src[2 &* i] }
                default:
                    let c = channels
                    for i in 0..<n {
                        let p = i &* c
                        let r = UInt32(src[p]), g = UInt32(src[p &+ 1]), b = UInt32(src[p &+ 2])
                        dst[i] = UInt8(truncatingIfNeeded: (19595 &* r &+ 38470 &* g &+ 7471 &* b &+ 32768) >> 16)
                    }
                }
            }
        }
        return mask
    }
}
