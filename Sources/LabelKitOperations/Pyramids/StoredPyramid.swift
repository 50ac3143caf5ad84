import Foundation
import LabelKitImaging
import LabelKitStore

/// The Deep Zoom pyramid of one image in a ``TileStore`` file: built strip by
/// strip from the source (``build(from:into:quality:jobs:metadata:cancellation:progress:)``),
/// read a tile at a time, and rendered at any region and size by decoding
/// only the tiles the region touches (``image(cancellation:)``).
///
///     let reader = try RowSources.open(path: "slide.jpg")!
///     try StoredPyramid.build(from: reader, into: "slide.tiles", quality: 85, jobs: 2)
///     let pyramid = try StoredPyramid(path: "slide.tiles")
///     let tile = try pyramid.tile(level: pyramid.zoom.maxLevel, column: 0, row: 0)
///     let view = try pyramid.image().render(x: 0, y: 0, width: 40000, height: 40000, outWidth: 512, outHeight: 512)
public struct StoredPyramid: Sendable {
    /// The geometry: Deep Zoom tiles of 254 pixels and 1 pixel of overlap.
    public let zoom: DeepZoom
    /// The tiles' format, "jpg" or "png".
    public let format: String
    /// The store's file.
    public let path: String
    /// The store's metadata.
    public var metadata: [String: String] { store.metadata }
    private let store: TileStore.Reader

    /// Opens the store at `path`.
    ///
    /// - Throws: ``ImagingError`` `.io` when it cannot be read, `.invalidImage`
    ///   when its metadata do not describe a Deep Zoom pyramid.
    public init(path: String) throws(ImagingError) {
        self.path = path
        do {
            store = try TileStore.Reader(path: path)
        } catch {
            throw ImagingError(.io, error.description)
        }
        let facts = store.metadata
        guard let width = facts["width"].flatMap(Int.init), let height = facts["height"].flatMap(Int.init),
            let tileSize = facts["tile_size"].flatMap(Int.init), let overlap = facts["overlap"].flatMap(Int.init),
            let format = facts["format"], width >= 1, height >= 1, tileSize >= 1, (0..<tileSize).contains(overlap)
        else { throw ImagingError(.invalidImage, "\(path) is not a finished Deep Zoom tile store") }
        zoom = DeepZoom(width: width, height: height, tileSize: tileSize, overlap: overlap)
        self.format = format
    }

    /// The encoded tile at a Deep Zoom level, column and row.
    ///
    /// - Throws: `.invalidArgument` outside the grid, `.invalidImage` when the
    ///   store lacks it, `.io` for a failed read.
    public func tile(level: Int, column: Int, row: Int) throws(ImagingError) -> [UInt8] {
        guard zoom.tileRect(level: level, column: column, row: row) != nil else {
            throw ImagingError(.invalidArgument, "no tile \(column)_\(row) at level \(level)")
        }
        let bytes: [UInt8]?
        do {
            bytes = try store.tile(level: level, column: column, row: row)
        } catch {
            throw ImagingError(.io, error.description)
        }
        guard let bytes else {
            throw ImagingError(.invalidImage, "\(store.path) lacks tile \(level)/\(column)_\(row)")
        }
        return bytes
    }

    /// The image, rendered from the tiles; `cancellation` is checked before
    /// each tile, and no render reads more than `maxCropPixels` of one level.
    public func image(cancellation: CancellationFlag? = nil, maxCropPixels: Int = .max) -> TiledImage {
        let store = self
        return TiledImage(zoom: zoom, cancellation: cancellation, maxCropPixels: maxCropPixels) {
            level, column, row throws(ImagingError) in
            try store.tile(level: level, column: column, row: row)
        }
    }

    /// Writes the Deep Zoom pyramid (254-pixel JPEG tiles, 1 pixel of overlap,
    /// tiles byte-identical to `labelkit tiles --layout dzi` with the same
    /// quality and `--optimize-coding`) of `source` into a
    /// new store at `path`, through ``StripPyramidWriter``: memory grows with the
    /// width, not the area. A source with alpha is composited over white.
    ///
    /// - Parameters:
    ///   - optimizeCoding: JPEG with optimised Huffman tables (as the service encodes).
    ///   - metadata: more facts to keep (the source's name and version).
    ///   - cancellation: checked between strips; a raised flag stops the build.
    ///   - progress: tiles done and in all, after each row of tiles.
    /// - Throws: ``ImagingError``: the source's (a truncated file), `.cancelled`,
    ///   `.io` for the store; nothing is left at `path` or beside it.
    public static func build(
        from source: any RowSource, into path: String, quality: Int, optimizeCoding: Bool = true, jobs: Int,
        metadata: [String: String] = [:],
        cancellation: CancellationFlag? = nil, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws(ImagingError) {
        let rows: any RowSource =
            source.channels == 2 || source.channels == 4 ? AlphaFlattenedRows(source) : source
        let pyramid = StaticPyramid(layout: .deepZoom, width: rows.width, height: rows.height)
        let zoom = DeepZoom(width: rows.width, height: rows.height)
        let writer: TileStore.Writer
        do {
            writer = try TileStore.Writer(path: path)
        } catch {
            throw ImagingError(.io, error.description)
        }
        do throws(ImagingError) {
            try StripPyramidWriter(
                pyramid: pyramid, channels: rows.channels, quality: quality, optimizeCoding: optimizeCoding,
                progress: progress
            )
                .write(to: StoreSink(writer: writer, maxLevel: zoom.maxLevel), jobs: jobs) {
                    buffer, count throws(ImagingError) in
                    try cancellation?.check()
                    return try rows.read(into: buffer, rows: count)
                }
            var facts = metadata
            facts["width"] = String(zoom.width)
            facts["height"] = String(zoom.height)
            facts["tile_size"] = String(zoom.tileSize)
            facts["overlap"] = String(zoom.overlap)
            facts["format"] = "jpg"
            facts["quality"] = String(quality)
            facts["optimize_coding"] = optimizeCoding ? "1" : "0"
            facts["channels"] = String(rows.channels)
            facts["tiles"] = String(pyramid.tiles.count)
            do {
                try writer.commit(metadata: facts)
            } catch {
                throw ImagingError(.io, error.description)
            }
        } catch {
            writer.discard()
            throw error
        }
    }
}

/// Hands a writer's tiles to a ``TileStore/Writer``, a row of tiles per transaction.
private struct StoreSink: TileSink {
    let writer: TileStore.Writer
    /// Deep Zoom's top level: a writer's level k is Deep Zoom level `maxLevel - k`.
    let maxLevel: Int

    func put(_ tile: StaticPyramid.Tile, bytes: [UInt8]) throws(ImagingError) {
        writer.add(level: maxLevel - tile.level, column: tile.column, row: tile.row, data: bytes)
    }

    func endRow() throws(ImagingError) {
        do {
            try writer.flush()
        } catch {
            throw ImagingError(.io, error.description)
        }
    }
}
