/// Where ``StripPyramidWriter`` puts encoded tiles: files in a folder
/// (``TileFolder``) or a single-file tile store.
public protocol TileSink: Sendable {
    /// Keeps one encoded tile; called from several encoding threads at once.
    func put(_ tile: StaticPyramid.Tile, bytes: [UInt8]) throws(ImagingError)
    /// Called on the writer's thread after each row of tiles is in: a sink
    /// that batches its writes stores the row here.
    func endRow() throws(ImagingError)
}

/// Tiles as files at their pyramid paths under `root` (folders made first).
public struct TileFolder: TileSink {
    /// The folder the pyramid's paths are relative to.
    public let root: String

    /// A sink writing under `root`.
    public init(root: String) { self.root = root }

    public func put(_ tile: StaticPyramid.Tile, bytes: [UInt8]) throws(ImagingError) {
        try TileFiles.write(bytes, to: root + "/" + tile.path)
    }

    public func endRow() throws(ImagingError) {}
}
