/// XYZ (Leaflet, `L.CRS.Simple`) tiles of a pixel image: 256 px, no overlap,
/// zoom `zmax = ceil(log2(max(W, H) / 256))` is full resolution and each zoom
/// below halves it; y grows down. Edge tiles are partial.
public struct XYZTiles: Hashable, Sendable {
    /// Full-resolution size.
    public let width: Int, height: Int
    /// Tile side.
    public let tileSize: Int

    /// Geometry for an image.
    public init(width: Int, height: Int, tileSize: Int = 256) {
        self.width = width
        self.height = height
        self.tileSize = tileSize
    }

    /// The zoom at which the image is at full resolution.
    public var maxZoom: Int {
        var z = 0
        while (tileSize << z) < max(width, height) { z += 1 }
        return z
    }

    /// The full-image rectangle a tile covers and the tile's pixel size; nil
    /// outside the image or the zoom range.
    public func tile(z: Int, x: Int, y: Int) -> (x: Int, y: Int, width: Int, height: Int, outWidth: Int, outHeight: Int)? {
        guard (0...maxZoom).contains(z), x >= 0, y >= 0 else { return nil }
        let scale = 1 << (maxZoom - z)
        let span = tileSize * scale
        // Compare by division: x * span could overflow for any x from a URL.
        guard x < (width + span - 1) / span, y < (height + span - 1) / span else { return nil }
        let x0 = x * span, y0 = y * span
        let w = min(span, width - x0), h = min(span, height - y0)
        return (x0, y0, w, h, max(1, (w + scale - 1) / scale), max(1, (h + scale - 1) / scale))
    }
}
