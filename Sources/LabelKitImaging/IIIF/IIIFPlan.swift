/// An IIIF request applied to an image of known size: the pixels to crop, the
/// size to scale them to, and what to do after; plus the canonical form of the
/// request, used as the cache key.
public struct IIIFPlan: Hashable, Sendable {
    /// Crop origin and size in full-image pixels.
    public var cropX: Int, cropY: Int, cropWidth: Int, cropHeight: Int
    /// Size after scaling, before rotation.
    public var width: Int, height: Int
    /// Flip horizontally before rotating.
    public var mirror: Bool
    /// Clockwise quarter turns (0...3).
    public var quarterTurns: Int
    /// The quality.
    public var quality: IIIFRequest.Quality
    /// The format.
    public var format: IIIFRequest.Format

    /// `{region}/{size}/{rotation}/{quality}.{format}` in canonical form (Image API 3.0 §4.7).
    public var canonical: String {
        let region = "\(cropX),\(cropY),\(cropWidth),\(cropHeight)"
        let upscaled = width > cropWidth || height > cropHeight
        let size = (width == cropWidth && height == cropHeight) ? "max" : (upscaled ? "^" : "") + "\(width),\(height)"
        return "\(region)/\(size)/\(mirror ? "!" : "")\(quarterTurns * 90)/\(quality.rawValue).\(format.rawValue)"
    }

    /// Output size after rotation.
    public var outputWidth: Int { quarterTurns % 2 == 0 ? width : height }
    /// Output size after rotation.
    public var outputHeight: Int { quarterTurns % 2 == 0 ? height : width }
}

extension IIIFRequest {
    /// Applies the request to a `width` x `height` image.
    ///
    /// - Throws: ``IIIFError`` 400 for a region outside the image, a size larger
    ///   than the region without `^`, or over the limits; 501 for rotations other
    ///   than multiples of 90 degrees.
    public func resolve(width: Int, height: Int, limits: IIIFLimits) throws(IIIFError) -> IIIFPlan {
        // Region.
        var x = 0, y = 0, w = width, h = height
        switch region {
        case .full: break
        case .square:
            let side = min(width, height)
            (x, y, w, h) = ((width - side) / 2, (height - side) / 2, side, side)
        case .pixels(let px, let py, let pw, let ph):
            (x, y, w, h) = (px, py, pw, ph)
        case .percent(let px, let py, let pw, let ph):
            x = Int((px * Double(width) / 100).rounded())
            y = Int((py * Double(height) / 100).rounded())
            w = Int((pw * Double(width) / 100).rounded())
            h = Int((ph * Double(height) / 100).rounded())
        }
        guard x < width, y < height, w > 0, h > 0 else {
            throw .bad("the region lies outside the \(width)x\(height) image")
        }
        w = min(w, width - x)
        h = min(h, height - y)
        // Size.
        var outW: Int, outH: Int
        func scaled(_ value: Int, _ factor: Double) -> Int { max(1, Int((Double(value) * factor).rounded())) }
        switch size {
        case .max:
            (outW, outH) = (w, h)
            if upscale || w * h > limits.maxArea || w > limits.maxWidth || h > limits.maxHeight {
                var factor = upscale ? Double.infinity : 1
                factor = min(factor, (Double(limits.maxArea) / Double(w * h)).squareRoot())
                factor = min(factor, Double(limits.maxWidth) / Double(w), Double(limits.maxHeight) / Double(h))
                (outW, outH) = (max(1, Int(Double(w) * factor)), max(1, Int(Double(h) * factor)))
            }
        case .width(let tw):
            (outW, outH) = (tw, scaled(h, Double(tw) / Double(w)))
        case .height(let th):
            (outW, outH) = (scaled(w, Double(th) / Double(h)), th)
        case .percent(let n):
            (outW, outH) = (scaled(w, n / 100), scaled(h, n / 100))
        case .exact(let tw, let th):
            (outW, outH) = (tw, th)
        case .confined(let bw, let bh):
            var factor = min(Double(bw) / Double(w), Double(bh) / Double(h))
            if !upscale && factor > 1 {
                if limits.strictConfined { throw .bad("size \"!\(bw),\(bh)\" is larger than the region; use ^!w,h") }
                factor = 1
            }
            (outW, outH) = (scaled(w, factor), scaled(h, factor))
            if factor >= 1 && !upscale { (outW, outH) = (w, h) }
        }
        guard outW >= 1, outH >= 1 else { throw .bad("the requested size is smaller than one pixel") }
        if !upscale && (outW > w || outH > h) {
            throw .bad("size \(outW)x\(outH) is larger than the \(w)x\(h) region; prefix the size with ^ to upscale")
        }
        guard outW <= limits.maxWidth, outH <= limits.maxHeight, outW * outH <= limits.maxArea else {
            throw .bad("size \(outW)x\(outH) exceeds the limits (\(limits.maxWidth)x\(limits.maxHeight), \(limits.maxArea) pixels)")
        }
        // Rotation.
        let turns = rotation / 90
        guard turns == turns.rounded() else {
            throw IIIFError(501, "rotation by \(rotation) degrees is not implemented (multiples of 90 are)")
        }
        return IIIFPlan(
            cropX: x, cropY: y, cropWidth: w, cropHeight: h, width: outW, height: outH, mirror: mirror,
            quarterTurns: Int(turns) % 4, quality: quality, format: format)
    }
}
