/// Deep Zoom (DZI) pyramid geometry as OpenSeadragon reads it: level 0 is 1x1,
/// the top level is full size, each level halves the one above (rounding up),
/// tiles are `tileSize` plus `overlap` on each inner edge.
///
///     let dz = DeepZoom(width: 1000, height: 1000)     // T = 254, O = 1
///     dz.maxLevel                                       // 10
///     dz.tileRect(level: 10, column: 1, row: 0)         // x 253..<509
public struct DeepZoom: Hashable, Sendable {
    /// Full-resolution size.
    public let width: Int, height: Int
    /// Tile size without overlap.
    public let tileSize: Int
    /// Overlap on each inner tile edge.
    public let overlap: Int

    /// Geometry for an image; libvips `dzsave` defaults (254 + 1 overlap = 256 px inner tiles).
    public init(width: Int, height: Int, tileSize: Int = 254, overlap: Int = 1) {
        self.width = width
        self.height = height
        self.tileSize = tileSize
        self.overlap = overlap
    }

    /// `ceil(log2(max(width, height)))`.
    public var maxLevel: Int {
        let side = max(width, height)
        return side <= 1 ? 0 : Int.bitWidth - (side - 1).leadingZeroBitCount
    }

    /// The image size at `level`.
    public func size(level: Int) -> (width: Int, height: Int) {
        let shift = maxLevel - level
        let scale = 1 << shift
        return ((width + scale - 1) / scale, (height + scale - 1) / scale)
    }

    /// Columns and rows at `level`.
    public func grid(level: Int) -> (columns: Int, rows: Int) {
        let (w, h) = size(level: level)
        return ((w + tileSize - 1) / tileSize, (h + tileSize - 1) / tileSize)
    }

    /// The pixel rectangle of tile (column, row) in the level's image, overlap
    /// included; nil outside the grid.
    public func tileRect(level: Int, column: Int, row: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
        guard (0...maxLevel).contains(level) else { return nil }
        let (w, h) = size(level: level)
        let (columns, rows) = grid(level: level)
        guard (0..<columns).contains(column), (0..<rows).contains(row) else { return nil }
        let x0 = column * tileSize - (column > 0 ? overlap : 0)
        let y0 = row * tileSize - (row > 0 ? overlap : 0)
        let x1 = min(w, (column + 1) * tileSize + overlap)
        let y1 = min(h, (row + 1) * tileSize + overlap)
        return (x0, y0, x1 - x0, y1 - y0)
    }

    /// The `.dzi` descriptor.
    public func descriptor(format: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" TileSize="\(tileSize)" Overlap="\(overlap)" Format="\(format)"><Size Width="\(width)" Height="\(height)"/></Image>

        """
    }
}
