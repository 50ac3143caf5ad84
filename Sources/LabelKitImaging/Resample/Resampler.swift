/// High-quality separable resizing, the libvips `resize` recipe: an integer box
/// shrink (block average) for all but about the last 2x of a large reduction,
/// then Lanczos3 for the rest, whose kernel widens with the remaining scale.
///
///     let small = try Resampler.resize(image, width: 256, height: 171)
///
/// Images with alpha (2 or 4 channels) are resampled premultiplied, so
/// transparent pixels do not bleed their colour into the edges. Works on 8-bit
/// samples with 14-bit fixed-point weights; upsizing uses the plain Lanczos3 kernel.
public enum Resampler {
    /// The integer box-shrink factor libvips picks for a reduction by `factor`:
    /// `rint(factor / 2)`, at least 1, leaving between 1.33x and 2.67x for Lanczos3.
    public static func boxFactor(for factor: Double) -> Int {
        guard factor >= 2 else { return 1 }
        return max(1, Int((factor / 2).rounded(.toNearestOrEven)))
    }

    /// The image resized to exactly `width x height` (aspect ratio as given).
    ///
    /// - Throws: `.invalidArgument` for a size below 1 pixel or above 2^31 pixels.
    /// - Complexity: O(input pixels) for the box shrink plus O(output pixels x
    ///   kernel width) for the Lanczos passes.
    public static func resize(_ image: Image, width: Int, height: Int) throws(ImagingError) -> Image {
        guard width >= 1, height >= 1, width.multipliedReportingOverflow(by: height).partialValue < 1 << 31,
            width <= 1 << 24, height <= 1 << 24
        else {
            throw ImagingError(.invalidArgument, "cannot resize to \(width)x\(height)")
        }
        if width == image.width && height == image.height { return image }
        let c = image.channels
        let factorX = Double(image.width) / Double(width)
        let factorY = Double(image.height) / Double(height)
        let boxX = min(boxFactor(for: factorX), 1 << 16)
        let boxY = min(boxFactor(for: factorY), 1 << 16)
        let premultiplied = image.hasAlpha

        // Stage 1: box shrink (premultiplying on the way), or a premultiplied copy.
        var stage = image
        if boxX > 1 || boxY > 1 {
            let size = BoxShrink.outputSize(width: image.width, height: image.height, boxX: boxX, boxY: boxY)
            let out = [UInt8](unsafeUninitializedCapacity: size.width * size.height * c) { dst, count in
                image.pixels.withUnsafeBufferPointer { src in
                    BoxShrink.shrink(
                        src, width: image.width, height: image.height, channels: c, boxX: boxX, boxY: boxY,
                        premultiply: premultiplied, into: dst)
                }
                count = dst.count
            }
            stage = Image(width: size.width, height: size.height, channels: c, pixels: out)
        } else if premultiplied {
            stage.pixels.withUnsafeMutableBufferPointer { Premultiplication.premultiply($0, channels: c) }
        }

        // Stage 2: Lanczos3 on each axis that still changes, cheaper order first.
        let needsX = stage.width != width, needsY = stage.height != height
        var result = stage
        if needsX || needsY {
            let wx = needsX ? LanczosWeights(inSize: stage.width, outSize: width, factor: factorX, box: boxX) : nil
            let wy = needsY ? LanczosWeights(inSize: stage.height, outSize: height, factor: factorY, box: boxY) : nil
            let tapsX = Double(wx?.taps ?? 0), tapsY = Double(wy?.taps ?? 0)
            let horizontalFirst =
                Double(stage.height) * Double(width) * tapsX + Double(height) * Double(width) * tapsY
                <= Double(height) * Double(stage.width) * tapsY + Double(height) * Double(width) * tapsX
            if horizontalFirst {
                if let wx { result = horizontal(result, wx) }
                if let wy { result = vertical(result, wy) }
            } else {
                if let wy { result = vertical(result, wy) }
                if let wx { result = horizontal(result, wx) }
            }
        }
        if premultiplied {
            result.pixels.withUnsafeMutableBufferPointer { Premultiplication.unpremultiply($0, channels: c) }
        }
        return result
    }

    private static func horizontal(_ image: Image, _ weights: LanczosWeights) -> Image {
        let c = image.channels, outWidth = weights.outSize
        let out = [UInt8](unsafeUninitializedCapacity: outWidth * image.height * c) { dst, count in
            image.pixels.withUnsafeBufferPointer { src in
                LanczosPass.horizontal(
                    src, inWidth: image.width, rows: image.height, channels: c, weights: weights, into: dst)
            }
            count = dst.count
        }
        return Image(width: outWidth, height: image.height, channels: c, pixels: out)
    }

    private static func vertical(_ image: Image, _ weights: LanczosWeights) -> Image {
        let c = image.channels, outHeight = weights.outSize
        let out = [UInt8](unsafeUninitializedCapacity: image.width * outHeight * c) { dst, count in
            image.pixels.withUnsafeBufferPointer { src in
                LanczosPass.vertical(src, rowBytes: image.width * c, weights: weights, into: dst)
            }
            count = dst.count
        }
        return Image(width: image.width, height: outHeight, channels: c, pixels: out)
    }
}
