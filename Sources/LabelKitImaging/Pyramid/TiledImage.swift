import Foundation

/// An image kept as its Deep Zoom tiles (a tile store): a region is rendered by
/// decoding only the tiles of the chosen level that it touches, so memory
/// follows the request, not the image.
///
///     let image = TiledImage(zoom: DeepZoom(width: 40000, height: 40000)) { level, column, row in
///         try store.tile(level: level, column: column, row: row)
///     }
///     let view = try image.render(x: 0, y: 0, width: 40000, height: 40000, outWidth: 1000, outHeight: 1000)
///
/// The pixels are those of ``SourceImage/render(x:y:width:height:outWidth:outHeight:)``
/// on the decoded source, up to the tiles' JPEG loss.
public struct TiledImage: RegionSource, Sendable {
    /// The tile geometry; `zoom.maxLevel` is full size.
    public let zoom: DeepZoom
    /// The most pixels of one level a render reads: a request that would read
    /// more (a distorted size) reads a coarser level.
    public let maxCropPixels: Int
    private let cancellation: CancellationFlag?
    private let fetch: @Sendable (_ level: Int, _ column: Int, _ row: Int) throws(ImagingError) -> [UInt8]

    /// An image over `fetch`, which returns the encoded tile at a Deep Zoom
    /// level, column and row; `cancellation` is checked before each tile.
    public init(
        zoom: DeepZoom, cancellation: CancellationFlag? = nil, maxCropPixels: Int = .max,
        fetch: @escaping @Sendable (_ level: Int, _ column: Int, _ row: Int) throws(ImagingError) -> [UInt8]
    ) {
        self.zoom = zoom
        self.maxCropPixels = maxCropPixels
        self.cancellation = cancellation
        self.fetch = fetch
    }

    public var width: Int { zoom.width }
    public var height: Int { zoom.height }

    public func render(x: Int, y: Int, width w: Int, height h: Int, outWidth: Int, outHeight: Int) throws(ImagingError)
        -> Image
    {
        let plan = LevelCrop(
            x: x, y: y, width: w, height: h, outWidth: outWidth, outHeight: outHeight, imageWidth: width,
            imageHeight: height, maxPixels: maxCropPixels)
        return try plan.finish(try region(level: plan.level, x: plan.x, y: plan.y, width: plan.width, height: plan.height))
    }

    /// The rectangle (x, y, w, h) of pyramid level `k` (0 is full size), copied
    /// from the interiors of the tiles it touches.
    ///
    /// - Throws: the fetch's error, a tile's decoding error, `.invalidImage` when
    ///   a tile's size or channels differ from the geometry, `.invalidArgument`
    ///   for a rectangle outside the level, `.cancelled`.
    public func region(level k: Int, x: Int, y: Int, width w: Int, height h: Int) throws(ImagingError) -> Image {
        let level = zoom.maxLevel - k
        guard (0...zoom.maxLevel).contains(level) else {
            throw ImagingError(.invalidArgument, "no level \(k) in a \(zoom.width)x\(zoom.height) pyramid")
        }
        let size = zoom.size(level: level)
        guard x >= 0, y >= 0, w >= 1, h >= 1, x + w <= size.width, y + h <= size.height else {
            throw ImagingError(
                .invalidArgument,
                "(\(x), \(y), \(w), \(h)) is outside level \(k) (\(size.width)x\(size.height)) of the stored pyramid")
        }
        let t = zoom.tileSize
        var pixels: [UInt8] = []
        var channels = 0
        for row in (y / t)...((y + h - 1) / t) {
            for column in (x / t)...((x + w - 1) / t) {
                try cancellation?.check()
                let rect = zoom.tileRect(level: level, column: column, row: row)!
                let tile = try ImageCodec.decode(try fetch(level, column, row), cancellation: cancellation)
                guard tile.width == rect.width, tile.height == rect.height, channels == 0 || tile.channels == channels
                else {
                    throw ImagingError(
                        .invalidImage,
                        "stored tile \(level)/\(column)_\(row) is \(tile.width)x\(tile.height), not \(rect.width)x\(rect.height)")
                }
                if channels == 0 {
                    channels = tile.channels
                    pixels = [UInt8](repeating: 0, count: w * h * channels)
                }
                // The part of the region inside this tile's interior.
                let x0 = max(x, column * t), x1 = min(x + w, (column + 1) * t)
                let y0 = max(y, row * t), y1 = min(y + h, (row + 1) * t)
                let span = (x1 - x0) * channels
                tile.pixels.withUnsafeBufferPointer { source in
                    pixels.withUnsafeMutableBufferPointer { target in
                        for yy in y0..<y1 {
                            let from = ((yy - rect.y) * rect.width + (x0 - rect.x)) * channels
                            let to = ((yy - y) * w + (x0 - x)) * channels
                            (target.baseAddress! + to).update(from: source.baseAddress! + from, count: span)
                        }
                    }
                }
            }
        }
        return Image(width: w, height: h, channels: channels, pixels: pixels)
    }
}
