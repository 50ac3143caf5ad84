extension Image {
    /// The `width x height` rectangle whose top-left pixel is (`x`, `y`).
    ///
    /// - Precondition: the rectangle lies inside the image and is not empty.
    /// - Complexity: O(width * height of the result).
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) -> Image {
        precondition(
            x >= 0 && y >= 0 && cropWidth > 0 && cropHeight > 0 && x + cropWidth <= width && y + cropHeight <= height,
            "crop rectangle outside the image")
        if x == 0 && y == 0 && cropWidth == width && cropHeight == height { return self }
        let rowBytes = cropWidth * channels
        let out = [UInt8](unsafeUninitializedCapacity: rowBytes * cropHeight) { dst, count in
            pixels.withUnsafeBufferPointer { src in
                for row in 0..<cropHeight {
                    let from = src.baseAddress! + ((y + row) * width + x) * channels
                    (dst.baseAddress! + row * rowBytes).initialize(from: from, count: rowBytes)
                }
            }
            count = rowBytes * cropHeight
        }
        return Image(width: cropWidth, height: cropHeight, channels: channels, pixels: out)
    }
}
