/// Makes thumbnails the libvips way: read the header, refuse oversized sources,
/// shrink on load (JPEG DCT scaling, keeping at least 2x for the filter), reduce
/// with box shrink + Lanczos3, turn upright by the EXIF orientation, crop for
/// ``ThumbnailFit/fill``.
///
///     let thumbnailer = try Thumbnailer(width: 256, height: 256, fit: .fit)
///     let image = try thumbnailer.thumbnail(jpegBytes)        // 256 x 171 for a 6000 x 4000 photo
///     let jpg = try ImageCodec.encode(image, as: .jpeg, quality: 85)
///
/// Target sizes refer to the upright image (EXIF orientation applied).
public struct Thumbnailer: Hashable, Sendable {
    /// The default source limit: 50 megapixels (imgproxy's `MAX_SRC_RESOLUTION`).
    public static let defaultMaxSourcePixels = 50_000_000
    /// The default output limit: 50 megapixels.
    public static let defaultMaxOutputPixels = 50_000_000

    /// Target width, or nil to follow the height and the aspect ratio.
    public let width: Int?
    /// Target height, or nil to follow the width and the aspect ratio.
    public let height: Int?
    /// How the thumbnail meets the box (used when both sides are given).
    public let fit: ThumbnailFit
    /// The largest source `width * height` accepted, checked from the header before decoding.
    public let maxSourcePixels: Int
    /// The largest thumbnail `width * height` accepted (upscaling is allowed up to it).
    public let maxOutputPixels: Int
    /// The most scans a JPEG source may have; a scan bomb is refused at the first
    /// scan over it (see ``JPEGCodec/defaultMaxScans``).
    public let maxScans: Int

    /// Creates a thumbnailer for a target box.
    ///
    /// - Throws: `.invalidArgument` when neither side is given, a side is below 1, or a limit is below 1.
    public init(
        width: Int?, height: Int?, fit: ThumbnailFit = .fit, maxSourcePixels: Int = defaultMaxSourcePixels,
        maxOutputPixels: Int = defaultMaxOutputPixels, maxScans: Int = JPEGCodec.defaultMaxScans
    ) throws(ImagingError) {
        guard width != nil || height != nil else {
            throw ImagingError(.invalidArgument, "a thumbnail needs a target width, height or both")
        }
        guard (width ?? 1) >= 1, (height ?? 1) >= 1, (width ?? 1) <= 1 << 20, (height ?? 1) <= 1 << 20 else {
            throw ImagingError(
                .invalidArgument, "thumbnail sides must be 1...\(1 << 20), not \(width ?? 0)x\(height ?? 0)")
        }
        guard maxSourcePixels >= 1, maxOutputPixels >= 1 else {
            throw ImagingError(.invalidArgument, "pixel limits must be at least 1")
        }
        guard maxScans >= 1 else { throw ImagingError(.invalidArgument, "the JPEG scan limit must be at least 1") }
        self.width = width
        self.height = height
        self.fit = fit
        self.maxSourcePixels = maxSourcePixels
        self.maxOutputPixels = maxOutputPixels
        self.maxScans = maxScans
    }

    /// The sizes of the thumbnail of an upright `sourceWidth x sourceHeight` image.
    public func geometry(sourceWidth: Int, sourceHeight: Int) -> ThumbnailGeometry {
        ThumbnailGeometry(
            sourceWidth: sourceWidth, sourceHeight: sourceHeight, targetWidth: width, targetHeight: height, fit: fit)
    }

    /// The thumbnail of PNG or JPEG bytes (8-bit, the source's channels: gray,
    /// gray + alpha, RGB or RGBA), upright.
    ///
    /// `cancellation` is checked before each stage (decode, resize, rotate) and
    /// polled by the JPEG decoder while it runs.
    ///
    /// - Throws: `.tooLarge` when the header announces more than ``maxSourcePixels``
    ///   pixels (before any pixel is decoded) or the result would exceed
    ///   ``maxOutputPixels``; `.scanLimit` for a JPEG with more than ``maxScans``
    ///   scans; `.cancelled` once `cancellation` is raised; `.unsupported` for other
    ///   formats; `.invalidImage` for corrupt or truncated data.
    /// - Complexity: O(bytes) for the entropy decoding, plus O(decoded pixels); a JPEG
    ///   is decoded at 1/2, 1/4 or 1/8 of its size when that still leaves 2x for the filter.
    public func thumbnail(_ data: [UInt8], cancellation: CancellationFlag? = nil) throws(ImagingError) -> Image {
        let header = try ImageHeader(data)
        try header.check(maxPixels: maxSourcePixels)
        let geometry = geometry(sourceWidth: header.orientedWidth, sourceHeight: header.orientedHeight)
        try checkOutput(geometry)
        // The resize runs on the stored pixels; rotating the small result is cheaper.
        let swaps = header.orientation.swapsDimensions
        let resizeWidth = swaps ? geometry.resizeHeight : geometry.resizeWidth
        let resizeHeight = swaps ? geometry.resizeWidth : geometry.resizeHeight
        let decoded: Image
        switch header.format {
        case .jpeg:
            let denominator = JPEGCodec.scaleDenominator(
                width: header.width, height: header.height, atLeastWidth: 2 * resizeWidth,
                atLeastHeight: 2 * resizeHeight)
            decoded = try JPEGCodec.decode(
                data, scaleDenominator: denominator, maxPixels: maxSourcePixels, maxScans: maxScans,
                applyOrientation: false, cancellation: cancellation)
        case .png:
            try cancellation?.check()
            decoded = try PNGCodec.decode(data, maxPixels: maxSourcePixels)
        }
        try cancellation?.check()
        let resized = try Resampler.resize(decoded, width: resizeWidth, height: resizeHeight)
        try cancellation?.check()
        return crop(resized.oriented(header.orientation), geometry)
    }

    /// The thumbnail of an image already decoded (and upright).
    ///
    /// - Throws: `.tooLarge` when the result would exceed ``maxOutputPixels``;
    ///   `.cancelled` when `cancellation` is raised before the resize.
    public func thumbnail(of image: Image, cancellation: CancellationFlag? = nil) throws(ImagingError) -> Image {
        let geometry = geometry(sourceWidth: image.width, sourceHeight: image.height)
        try checkOutput(geometry)
        try cancellation?.check()
        let resized = try Resampler.resize(image, width: geometry.resizeWidth, height: geometry.resizeHeight)
        return crop(resized, geometry)
    }

    private func checkOutput(_ geometry: ThumbnailGeometry) throws(ImagingError) {
        let pixels = geometry.resizeWidth.multipliedReportingOverflow(by: geometry.resizeHeight)
        guard !pixels.overflow, pixels.partialValue <= maxOutputPixels else {
            throw ImagingError(
                .tooLarge,
                "a thumbnail of \(geometry.resizeWidth)x\(geometry.resizeHeight) exceeds the output limit of \(maxOutputPixels) pixels"
            )
        }
    }

    private func crop(_ image: Image, _ geometry: ThumbnailGeometry) -> Image {
        image.cropped(x: geometry.cropX, y: geometry.cropY, width: geometry.width, height: geometry.height)
    }
}
