import Foundation
import LabelKitCore
import LabelKitJSON

/// The files of a static tile pyramid (what `labelkit tiles` writes and a plain
/// web server serves): every tile as a crop of one ``SourceImage`` level, with
/// its path, plus the descriptor file of the layout.
///
///     let pyramid = StaticPyramid(layout: .deepZoom, width: 1000, height: 700, name: "photo")
///     pyramid.tiles.count                 // 25: levels 0...8 one tile each, 9: 2x2, 10: 4x3
///     pyramid.tiles.last?.path            // "photo_files/10/3_2.jpg"
///     pyramid.descriptor.path             // "photo.dzi"
///
/// Layouts (paths relative to the output folder):
///
///     deepZoom  NAME.dzi + NAME_files/{level}/{col}_{row}.jpg   (libvips dzsave --layout dz,
///               depth onepixel: levels 0...maxLevel, tile rects of ``DeepZoom``)
///     xyz       {z}/{x}/{y}.png                                 (``XYZTiles``; partial edge tiles)
///     iiif      info.json + {x},{y},{w},{h}/{w'},{h'}/0/default.jpg  (IIIF 3.0 level 0 as
///               libvips dzsave --layout iiif3 names it: scale factors 1, 2, 4, ... down to the
///               first level that fits in one tile)
public struct StaticPyramid: Hashable, Sendable {
    /// The layouts.
    public enum Layout: String, Hashable, Sendable, CaseIterable {
        /// Deep Zoom (`.dzi`), as OpenSeadragon and libvips `dzsave` read and write it.
        case deepZoom = "dzi"
        /// XYZ / slippy-map tiles for Leaflet's `L.CRS.Simple`.
        case xyz
        /// IIIF Image API 3.0, level 0 (static files).
        case iiif
    }

    /// One tile: the rectangle of level `level` of the ``SourceImage`` it is cut
    /// from (level 0 is full size) and its path.
    public struct Tile: Hashable, Sendable {
        /// Index into ``SourceImage/levels``.
        public var level: Int
        /// Position in the level's grid, from the top left.
        public var column: Int, row: Int
        public var x: Int, y: Int, width: Int, height: Int
        /// Path relative to the output folder, '/'-separated.
        public var path: String
    }

    /// A text file of the pyramid (descriptor or `info.json`).
    public struct TextFile: Hashable, Sendable {
        public var path: String
        public var contents: String
    }

    public let layout: Layout
    public let width: Int, height: Int
    /// Tile side without overlap.
    public let tileSize: Int
    /// Overlap on inner tile edges (Deep Zoom only).
    public let overlap: Int
    /// Tile file extension: "jpg" or "png".
    public let format: String
    /// Every tile, largest level first, rows top to bottom, columns left to right.
    public let tiles: [Tile]
    /// The descriptor: `NAME.dzi`, `info.json`, or nil for XYZ.
    public let descriptor: TextFile?
    /// Number of levels that hold tiles.
    public let levelCount: Int

    /// Plans the pyramid of a `width x height` image.
    ///
    /// - Parameters:
    ///   - name: the image name in Deep Zoom paths (`NAME.dzi`, `NAME_files`).
    ///   - tileSize: default 254 for Deep Zoom, 256 for XYZ and IIIF.
    ///   - overlap: Deep Zoom only (default 1); must be 0 for the other layouts.
    ///   - baseURL: the IIIF `id` (no trailing slash).
    /// - Precondition: sides >= 1, tileSize >= 1, 0 <= overlap < tileSize.
    public init(
        layout: Layout, width: Int, height: Int, name: String = "image", tileSize: Int? = nil, overlap: Int? = nil,
        format: String = "jpg", baseURL: String = "http://localhost:8080/iiif/3/image"
    ) {
        let tileSize = tileSize ?? Self.defaultTileSize(layout)
        let overlap = overlap ?? (layout == .deepZoom ? 1 : 0)
        precondition(width >= 1 && height >= 1 && tileSize >= 1 && overlap >= 0 && overlap < tileSize)
        precondition(layout == .deepZoom || overlap == 0, "overlap is a Deep Zoom option")
        self.layout = layout
        self.width = width
        self.height = height
        self.tileSize = tileSize
        self.overlap = overlap
        self.format = format
        var tiles: [Tile] = []
        switch layout {
        case .deepZoom:
            let zoom = DeepZoom(width: width, height: height, tileSize: tileSize, overlap: overlap)
            for level in stride(from: zoom.maxLevel, through: 0, by: -1) {
                let (columns, rows) = zoom.grid(level: level)
                for row in 0..<rows {
                    for column in 0..<columns {
                        let r = zoom.tileRect(level: level, column: column, row: row)!
                        tiles.append(
                            Tile(
                                level: zoom.maxLevel - level, column: column, row: row, x: r.x, y: r.y, width: r.width, height: r.height,
                                path: "\(name)_files/\(level)/\(column)_\(row).\(format)"))
                    }
                }
            }
            levelCount = zoom.maxLevel + 1
            descriptor = TextFile(path: "\(name).dzi", contents: zoom.descriptor(format: format))
        case .xyz:
            let grid = XYZTiles(width: width, height: height, tileSize: tileSize)
            for z in stride(from: grid.maxZoom, through: 0, by: -1) {
                let k = grid.maxZoom - z
                let (w, h) = Self.levelSize(width: width, height: height, level: k)
                for y in 0..<(h + tileSize - 1) / tileSize {
                    for x in 0..<(w + tileSize - 1) / tileSize {
                        let x0 = x * tileSize, y0 = y * tileSize
                        tiles.append(
                            Tile(
                                level: k, column: x, row: y, x: x0, y: y0, width: min(tileSize, w - x0),
                                height: min(tileSize, h - y0),
                                path: "\(z)/\(x)/\(y).\(format)"))
                    }
                }
            }
            levelCount = grid.maxZoom + 1
            descriptor = nil
        case .iiif:
            let factors = IIIFInfo.scaleFactors(width: width, height: height, tileSize: tileSize)
            for (k, s) in factors.enumerated() {
                let (w, h) = Self.levelSize(width: width, height: height, level: k)
                for m in 0..<(h + tileSize - 1) / tileSize {
                    for n in 0..<(w + tileSize - 1) / tileSize {
                        // Spec 1.10: region in full-size pixels, size = the level's pixels.
                        let x0 = n * tileSize, y0 = m * tileSize
                        let tw = min(tileSize, w - x0), th = min(tileSize, h - y0)
                        let rx = x0 * s, ry = y0 * s
                        let rw = min(tileSize * s, width - rx), rh = min(tileSize * s, height - ry)
                        tiles.append(
                            Tile(
                                level: k, column: n, row: m, x: x0, y: y0, width: tw, height: th,
                                path: "\(rx),\(ry),\(rw),\(rh)/\(tw),\(th)/0/default.\(format)"))
                    }
                }
            }
            levelCount = factors.count
            descriptor = TextFile(
                path: "info.json",
                contents: Self.iiifInfo(
                    id: baseURL, width: width, height: height, tileSize: tileSize, scaleFactors: factors,
                    format: format))
        }
        self.tiles = tiles
    }

    /// 254 for Deep Zoom (256 with the overlap), 256 otherwise.
    public static func defaultTileSize(_ layout: Layout) -> Int { layout == .deepZoom ? 254 : 256 }

    /// The size of ``SourceImage`` level `level`: each side halved `level` times, rounding up.
    public static func levelSize(width: Int, height: Int, level: Int) -> (width: Int, height: Int) {
        let scale = 1 << level
        return ((width + scale - 1) / scale, (height + scale - 1) / scale)
    }

    /// The folders to create before writing, parents before children.
    public var directories: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for tile in tiles {
            var parts = tile.path.split(separator: "/").dropLast()
            var prefixes: [String] = []
            while !parts.isEmpty {
                prefixes.append(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
            for p in prefixes.reversed() where seen.insert(p).inserted { result.append(p) }
        }
        return result
    }

    /// The level-0 `info.json` (Image API 3.0) of a static pyramid.
    static func iiifInfo(id: String, width: Int, height: Int, tileSize: Int, scaleFactors: [Int], format: String)
        -> String
    {
        let factors = scaleFactors.map(String.init).joined(separator: ", ")
        return """
            {
              "@context": "http://iiif.io/api/image/3/context.json",
              "id": \(JSONText.quoted(id)),
              "type": "ImageService3",
              "protocol": "http://iiif.io/api/image",
              "profile": "level0",
              "width": \(width),
              "height": \(height),
              "tiles": [{"width": \(tileSize), "height": \(tileSize), "scaleFactors": [\(factors)]}],
              "preferredFormats": ["\(format)"]\(format == "jpg" ? "" : ",\n  \"extraFormats\": [\"\(format)\"]")
            }

            """
    }
}
