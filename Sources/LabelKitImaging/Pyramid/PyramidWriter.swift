import Foundation
import Synchronization

/// Writes the files of a ``StaticPyramid`` of one decoded image: folders, every
/// tile (JPEG or PNG) and the descriptor, encoding on `jobs` threads. Thread 0
/// builds the levels (each the one above halved) while the others already encode
/// full-size tiles; a thread that reaches a level not built yet waits for it.
public final class PyramidWriter: @unchecked Sendable {  // levels are guarded by `levels`; the rest is atomic or immutable
    /// The files to write.
    public let pyramid: StaticPyramid
    /// JPEG quality 1...100.
    public let quality: Int
    /// JPEG with optimised Huffman tables.
    public let optimizeCoding: Bool
    private let progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
    private let levels = NSCondition()
    private var built: [Image]
    private let next = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let failure = Mutex<ImagingError?>(nil)

    /// A writer for `image` (level 0 of `pyramid`; without alpha for JPEG tiles).
    /// `progress` is called from the encoding threads after each tile.
    public init(
        pyramid: StaticPyramid, image: Image, quality: Int = 85, optimizeCoding: Bool = false,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) {
        self.pyramid = pyramid
        self.quality = quality
        self.optimizeCoding = optimizeCoding
        self.progress = progress
        self.built = [image]
    }

    /// Writes the pyramid's folders, tiles and descriptor under `root` (a staging
    /// folder from ``PyramidTarget/makeStaging()``).
    ///
    /// - Throws: ``ImagingError`` `.io` for a failed write, or the encoder's error;
    ///   the first error stops every thread.
    public func write(into root: String, jobs: Int) throws(ImagingError) {
        for directory in pyramid.directories {
            try TileFiles.makeDirectory(root + "/" + directory)
        }
        let workers = max(1, min(jobs, pyramid.tiles.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            if worker == 0 { buildLevels() }
            encodeTiles(root: root)
        }
        if let error = failure.withLock({ $0 }) { throw error }
        if let descriptor = pyramid.descriptor {
            try TileFiles.write(Array(descriptor.contents.utf8), to: root + "/" + descriptor.path)
        }
    }

    private func buildLevels() {
        levels.lock()
        var last = built[0]
        levels.unlock()
        for _ in 1..<max(1, pyramid.levelCount) {
            last = last.halved()
            levels.lock()
            built.append(last)
            levels.broadcast()
            levels.unlock()
        }
    }

    private func level(_ k: Int) -> Image {
        levels.lock()
        defer { levels.unlock() }
        while built.count <= k { levels.wait() }
        return built[k]
    }

    private func encodeTiles(root: String) {
        let tiles = pyramid.tiles
        let png = pyramid.format == "png"
        while failure.withLock({ $0 == nil }) {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < tiles.count else { return }
            let tile = tiles[i]
            do throws(ImagingError) {
                let source = level(tile.level)
                let bytes =
                    png
                    ? try PNGCodec.encode(source.cropped(x: tile.x, y: tile.y, width: tile.width, height: tile.height))
                    : try JPEGCodec.encode(
                        source, x: tile.x, y: tile.y, width: tile.width, height: tile.height, quality: quality,
                        optimizeCoding: optimizeCoding)
                try TileFiles.write(bytes, to: root + "/" + tile.path)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                return
            }
            let count = done.wrappingAdd(1, ordering: .relaxed).newValue
            progress?(count, tiles.count)
        }
    }
}
