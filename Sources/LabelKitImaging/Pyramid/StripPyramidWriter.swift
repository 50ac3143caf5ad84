import Dispatch
import Foundation
import Synchronization

/// Writes a ``StaticPyramid`` from rows that arrive top to bottom (a
/// ``JPEGRowReader``), holding a few tile rows per level instead of the image:
/// each level keeps a window of rows, passes every pair of rows down to the
/// next level as they arrive (``Image/halved()``'s arithmetic, so tiles equal
/// ``PyramidWriter``'s byte for byte), and encodes a row of tiles on `jobs`
/// threads as soon as its last row is in, then drops the rows no later tile needs.
///
///     let reader = try JPEGRowReader(path: "slide.jpg")
///     let pyramid = StaticPyramid(layout: .deepZoom, width: reader.width, height: reader.height, name: "slide")
///     let writer = StripPyramidWriter(pyramid: pyramid, channels: reader.channels)
///     try writer.write(into: staging, jobs: 2) { buffer, rows in try reader.read(into: buffer, rows: rows) }
///
/// Memory: per level, (tallest tile + 2) rows of the level's width, so about
/// `2 * (tileSize + 2) * width * channels` bytes in all (about 62 MB for a
/// 40,000-pixel-wide RGB image with 254-pixel Deep Zoom tiles), whatever the height.
public final class StripPyramidWriter {
    /// The files to write.
    public let pyramid: StaticPyramid
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    /// JPEG quality 1...100.
    public let quality: Int
    /// JPEG with optimised Huffman tables.
    public let optimizeCoding: Bool
    private let progress: ((_ done: Int, _ total: Int) -> Void)?
    private var levels: [Level] = []
    private var done = 0

    /// Bytes the levels' row windows hold (set by ``write(into:jobs:source:)``):
    /// what the writer keeps of the image, whatever its height.
    public private(set) var windowBytes = 0

    /// One level: its size, the window of rows it holds and the tiles still to cut.
    private struct Level {
        let width: Int, height: Int
        /// Rows `top ..< top + held` of the level, `width * channels` bytes each.
        var window: [UInt8]
        var top = 0
        var held = 0
        /// The tiles of the level not written yet, in row order.
        var tiles: ArraySlice<StaticPyramid.Tile>
        var received: Int { top + held }
    }

    /// A writer for the pyramid of an image with `channels` channels (without
    /// alpha for JPEG tiles). `progress` is called after each row of tiles.
    public init(
        pyramid: StaticPyramid, channels: Int, quality: Int = 85, optimizeCoding: Bool = false,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) {
        self.pyramid = pyramid
        self.channels = channels
        self.quality = quality
        self.optimizeCoding = optimizeCoding
        self.progress = progress
    }

    /// Writes the pyramid's folders, tiles and descriptor under `root` (a staging
    /// folder from ``PyramidTarget/makeStaging()``), reading level 0 through
    /// `source`, which fills up to `rows` rows and returns how many (0 at the end).
    ///
    /// - Throws: ``ImagingError``: the source's error (a truncated file), `.io`
    ///   for a failed write, `.invalidImage` when the source ends early or runs
    ///   long, or the encoder's error.
    public func write(
        into root: String, jobs: Int,
        source: (_ buffer: UnsafeMutablePointer<UInt8>, _ rows: Int) throws(ImagingError) -> Int
    ) throws(ImagingError) {
        for directory in pyramid.directories {
            try TileFiles.makeDirectory(root + "/" + directory)
        }
        try write(to: TileFolder(root: root), jobs: jobs, source: source)
        if let descriptor = pyramid.descriptor {
            try TileFiles.write(Array(descriptor.contents.utf8), to: root + "/" + descriptor.path)
        }
    }

    /// Writes the pyramid's tiles to `sink` (no descriptor), reading level 0
    /// through `source` as ``write(into:jobs:source:)`` does.
    ///
    /// - Throws: ``ImagingError``: the source's or the sink's error, `.invalidImage`
    ///   when the source ends early or runs long, or the encoder's error.
    public func write(
        to sink: any TileSink, jobs: Int,
        source: (_ buffer: UnsafeMutablePointer<UInt8>, _ rows: Int) throws(ImagingError) -> Int
    ) throws(ImagingError) {
        levels = (0..<max(1, pyramid.levelCount)).map { k in
            let (w, h) = StaticPyramid.levelSize(width: pyramid.width, height: pyramid.height, level: k)
            let tiles = pyramid.tiles.filter { $0.level == k }
            return Level(
                width: w, height: h,
                window: [UInt8](repeating: 0, count: Self.windowRows(height: h, tiles: tiles) * w * channels),
                tiles: ArraySlice(tiles.sorted { ($0.y, $0.x) < ($1.y, $1.x) }))
        }
        windowBytes = levels.reduce(0) { $0 + $1.window.count }
        let rowBytes = pyramid.width * channels
        let strip = 16
        var buffer = [UInt8](repeating: 0, count: rowBytes * strip)
        let sums = UnsafeMutablePointer<UInt16>.allocate(capacity: rowBytes)
        // One halved row per level below the top: the row being passed down.
        let halves = levels.dropFirst().map { UnsafeMutablePointer<UInt8>.allocate(capacity: $0.width * channels) }
        defer {
            sums.deallocate()
            for half in halves { half.deallocate() }
        }
        var row = 0
        while row < pyramid.height {
            let got = try buffer.withUnsafeMutableBufferPointer { b throws(ImagingError) in
                try source(b.baseAddress!, min(strip, pyramid.height - row))
            }
            guard got > 0 else {
                throw ImagingError(.invalidImage, "the image ended at row \(row) of \(pyramid.height)")
            }
            for i in 0..<got {
                try buffer.withUnsafeBufferPointer { b throws(ImagingError) in
                    try push(
                        b.baseAddress! + i * rowBytes, level: 0, sums: sums, halves: halves, sink: sink, jobs: jobs)
                }
            }
            row += got
        }
    }

    /// The bytes of rows a writer of `pyramid` holds for an image with
    /// `channels` channels (its ``windowBytes``), before reading any: to check
    /// a source against a memory budget.
    public static func windowBytes(for pyramid: StaticPyramid, channels: Int) -> Int {
        var tilesByLevel: [Int: [StaticPyramid.Tile]] = [:]
        for tile in pyramid.tiles { tilesByLevel[tile.level, default: []].append(tile) }
        return (0..<max(1, pyramid.levelCount)).reduce(0) { total, k in
            let (w, h) = StaticPyramid.levelSize(width: pyramid.width, height: pyramid.height, level: k)
            return total + windowRows(height: h, tiles: tilesByLevel[k] ?? []) * w * channels
        }
    }

    /// A level's window: its tallest tile and two rows (the row above, for
    /// halving, and the one arriving).
    private static func windowRows(height: Int, tiles: [StaticPyramid.Tile]) -> Int {
        min(height, tiles.map(\.height).max() ?? 1) + 2
    }

    /// Adds the next row of level `k`: halves it with the row above into level
    /// `k + 1` (on odd rows, and the last row of an odd height with itself),
    /// writes the tiles it completes and drops rows no tile needs any more.
    private func push(
        _ pixels: UnsafePointer<UInt8>, level k: Int, sums: UnsafeMutablePointer<UInt16>,
        halves: [UnsafeMutablePointer<UInt8>], sink: any TileSink, jobs: Int
    ) throws(ImagingError) {
        let rowBytes = levels[k].width * channels
        let y = levels[k].received
        guard y < levels[k].height else { throw ImagingError(.invalidImage, "the image has more rows than its header") }
        precondition(levels[k].held < levels[k].window.count / rowBytes, "a level's window holds its tallest tile")
        let at = levels[k].held * rowBytes
        levels[k].window.withUnsafeMutableBufferPointer { w in
            (w.baseAddress! + at).update(from: pixels, count: rowBytes)
        }
        levels[k].held += 1
        if k + 1 < levels.count, y & 1 == 1 || y == levels[k].height - 1 {
            let width = levels[k].width
            let above = y & 1 == 1 ? at - rowBytes : at
            levels[k].window.withUnsafeBufferPointer { w in
                Image.halveRow(
                    w.baseAddress! + above, w.baseAddress! + at, sourceWidth: width, channels: channels, sums: sums,
                    into: halves[k])
            }
            try push(halves[k], level: k + 1, sums: sums, halves: halves, sink: sink, jobs: jobs)
        }
        try writeReadyTiles(level: k, sink: sink, jobs: jobs)
    }

    /// Writes every tile of level `k` whose rows are all in, a row of tiles at
    /// a time on `jobs` threads, then drops the rows above the next tile.
    private func writeReadyTiles(level k: Int, sink: any TileSink, jobs: Int) throws(ImagingError) {
        while let first = levels[k].tiles.first, first.y + first.height <= levels[k].received {
            let row = levels[k].tiles.prefix { $0.y == first.y && $0.height == first.height }
            levels[k].tiles.removeFirst(row.count)
            let level = levels[k]
            let image = Image(
                width: level.width, height: level.window.count / (level.width * channels), channels: channels,
                pixels: level.window)
            let failure = Mutex<ImagingError?>(nil)
            let tiles = Array(row)
            let png = pyramid.format == "png"
            let (quality, optimizeCoding) = (self.quality, self.optimizeCoding)
            DispatchQueue.concurrentPerform(iterations: min(max(1, jobs), tiles.count)) { worker in
                var i = worker
                while i < tiles.count, failure.withLock({ $0 == nil }) {
                    let tile = tiles[i]
                    do throws(ImagingError) {
                        let y = tile.y - level.top
                        let bytes =
                            png
                            ? try PNGCodec.encode(
                                image.cropped(x: tile.x, y: y, width: tile.width, height: tile.height))
                            : try JPEGCodec.encode(
                                image, x: tile.x, y: y, width: tile.width, height: tile.height, quality: quality,
                                optimizeCoding: optimizeCoding)
                        try sink.put(tile, bytes: bytes)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                    i += max(1, jobs)
                }
            }
            if let error = failure.withLock({ $0 }) { throw error }
            try sink.endRow()
            done += tiles.count
            progress?(done, pyramid.tiles.count)
        }
        let keep = min(levels[k].tiles.first?.y ?? levels[k].received, levels[k].received - 1)
        if keep > levels[k].top { dropRows(level: k, keepingFrom: keep) }
    }

    /// Moves rows `from ..< received` of level `k` to the front of its window.
    private func dropRows(level k: Int, keepingFrom from: Int) {
        let rowBytes = levels[k].width * channels
        let start = max(from, levels[k].top)
        let kept = levels[k].received - start
        let offset = (start - levels[k].top) * rowBytes
        if offset > 0 && kept > 0 {
            levels[k].window.withUnsafeMutableBufferPointer { w in
                _ = memmove(w.baseAddress!, w.baseAddress! + offset, kept * rowBytes)
            }
        }
        levels[k].top = start
        levels[k].held = kept
    }
}
