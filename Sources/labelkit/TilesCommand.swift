import ArgumentParser
import Dispatch
import Foundation
import LabelKitImaging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `labelkit tiles`: a static tile pyramid (Deep Zoom, XYZ or IIIF level 0) of one image.
struct TilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiles",
        abstract: "Write a static tile pyramid of a JPEG or PNG image: Deep Zoom, XYZ or IIIF 3.0 level 0.",
        discussion: """
            Layouts (paths under -o OUTDIR):
              dzi   NAME.dzi + NAME_files/{level}/{col}_{row}.jpg   like vips dzsave (layout dz,
                    depth onepixel): tile 254 + overlap 1, levels down to 1x1
              xyz   {z}/{x}/{y}.png                                 Leaflet L.CRS.Simple, 256 px,
                    partial edge tiles, z = 0 is one tile
              iiif  info.json + {x},{y},{w},{h}/{w},{h}/0/default.jpg   IIIF Image API 3.0 level 0,
                    named like vips dzsave --layout iiif3, 256 px, scale factors 1, 2, 4, ...
            The image is decoded once (turned upright by its EXIF orientation; a JPEG with
            more scans than --max-jpeg-scans, a scan bomb, is refused), each level
            is the one above halved (2x2 mean), and tiles are cut from the levels and
            encoded on --jobs threads. A baseline, upright JPEG or a non-interlaced PNG
            is read strip by strip: a few tile rows per level are held, so a
            40000x40000 image needs about 100 MB; other sources are decoded whole. Everything is written into a temporary folder
            next to the output and renamed into place at the end, so an interrupted run
            never leaves half a pyramid; an existing pyramid is replaced only with --force.

            Examples:
              labelkit tiles photo.jpg --layout dzi -o tiles/                    # tiles/photo.dzi
              labelkit tiles photo.jpg --layout xyz -o tiles/photo               # tiles/photo/{z}/{x}/{y}.png
              labelkit tiles photo.jpg --layout iiif -o iiif/photo --base-url https://example.org/iiif/photo
              labelkit tiles photo.jpg --layout dzi -o tiles/ --tile-size 510 --overlap 1
              labelkit tiles photo.jpg --layout dzi -o tiles/ --overlap 0
              labelkit tiles photo.jpg --layout dzi -o tiles/ --quality 90
              labelkit tiles photo.jpg --layout dzi -o tiles/ --optimize-coding
              labelkit tiles photo.jpg --layout dzi -o tiles/ --format png
              labelkit tiles photo.jpg --layout dzi -o tiles/ --name slide-1
              labelkit tiles photo.jpg --layout dzi -o tiles/ --jobs 4
              labelkit tiles photo.jpg --layout dzi -o tiles/ --force --quiet
              labelkit tiles scan.png --layout dzi -o tiles/ --max-source-pixels 500000000
              labelkit tiles photo.jpg --layout dzi -o tiles/ --max-jpeg-scans 100
            """
    )

    /// `--format` values.
    enum TileFormat: String, ExpressibleByArgument, CaseIterable {
        case jpg, png
    }

    @Option(help: "dzi, xyz or iiif (--layout dzi).")
    var layout: StaticPyramid.Layout

    @Option(
        name: .shortAndLong,
        help: "Output folder: dzi writes NAME.dzi and NAME_files/ into it; xyz and iiif fill it (-o tiles/).")
    var output: String

    @Option(help: "Tile side without overlap; default 254 for dzi, 256 for xyz and iiif (--tile-size 510).")
    var tileSize: Int?

    @Option(help: "Overlap on inner tile edges, dzi only; default 1 (--overlap 0).")
    var overlap: Int?

    @Option(help: "JPEG quality 1...100 (--quality 90).")
    var quality: Int = 85

    @Option(help: "Tile format jpg or png; default jpg for dzi and iiif, png for xyz (--format png).")
    var format: TileFormat?

    @Option(help: "Parallel encoders (default: all cores) (--jobs 4).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help:
            "Name in dzi paths (NAME.dzi, NAME_files); default the image's file name without extension (--name slide-1)."
    )
    var name: String?

    @Option(
        help:
            "iiif: the info.json id, no trailing slash; default http://localhost:8080/iiif/3/NAME (--base-url https://example.org/iiif/photo)."
    )
    var baseUrl: String?

    @Option(
        help:
            "Refuse sources with more pixels than this, read from the header; default 268435456 for sources decoded whole (progressive or rotated JPEGs, interlaced PNGs) and none for those tiled strip by strip, whose memory grows with their width only (--max-source-pixels 500000000)."
    )
    var maxSourcePixels: Int?

    @Option(help: "Refuse JPEGs with more scans than this; normal files have 1 to about 10 (--max-jpeg-scans 100).")
    var maxJpegScans: Int = JPEGCodec.defaultMaxScans

    @Flag(help: "JPEG: optimised Huffman tables, a few % smaller tiles, slower (--optimize-coding).")
    var optimizeCoding = false

    @Flag(help: "Replace an existing pyramid at the output (--force).")
    var force = false

    @Flag(help: "No progress output (--quiet).")
    var quiet = false

    @Argument(help: "The JPEG or PNG image.")
    var image: String

    /// The image name used in paths.
    var imageName: String {
        name ?? URL(fileURLWithPath: image).deletingPathExtension().lastPathComponent
    }

    var tileFormat: TileFormat { format ?? (layout == .xyz ? .png : .jpg) }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1...100, not \(quality)") }
        if let tileSize, !(1...8192).contains(tileSize) {
            throw ValidationError("--tile-size must be 1...8192, not \(tileSize)")
        }
        if let overlap {
            guard layout == .deepZoom || overlap == 0 else {
                throw ValidationError("--overlap applies to --layout dzi only")
            }
            let side = tileSize ?? StaticPyramid.defaultTileSize(layout)
            guard overlap >= 0, overlap < side else {
                throw ValidationError("--overlap must be 0...\(side - 1), not \(overlap)")
            }
        }
        if baseUrl != nil && layout != .iiif { throw ValidationError("--base-url applies to --layout iiif only") }
        if let baseUrl, baseUrl.isEmpty || baseUrl.hasSuffix("/") {
            throw ValidationError("--base-url must not be empty or end in '/': \(baseUrl)")
        }
        guard (maxSourcePixels ?? 1) >= 1 else { throw ValidationError("--max-source-pixels must be at least 1") }
        guard maxJpegScans >= 1 else {
            throw ValidationError("--max-jpeg-scans must be at least 1, not \(maxJpegScans)")
        }
        guard !imageName.isEmpty, !imageName.contains("/"), imageName != ".", imageName != ".." else {
            throw ValidationError("--name must be a plain file name, not \"\(imageName)\"")
        }
        guard !output.isEmpty else { throw ValidationError("-o must not be empty") }
        guard FileManager.default.fileExists(atPath: image) else { throw ValidationError("\(image): no such file") }
    }

    func run() async throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let target: PyramidTarget
        do {
            target = try PyramidTarget(layout: layout, output: output, name: imageName, force: force)
        } catch {
            throw CommandFailure(message: error.message, exitCode: error.code == .io ? 1 : 2)
        }
        if let reader = try streamableSource() {
            try writeStreamed(reader, target: target, started: started)
            return
        }
        let data = try Input.bytes(image)
        var decoded: Image
        do {
            decoded = try ImageCodec.decode(
                data, maxPixels: maxSourcePixels ?? JPEGCodec.defaultMaxPixels, maxScans: maxJpegScans)
        } catch {
            let hint = error.code == .scanLimit ? " (--max-jpeg-scans raises the limit)" : ""
            throw CommandFailure(message: "\(image): \(error.message)\(hint)")
        }
        if tileFormat == .jpg && decoded.hasAlpha { decoded = decoded.removingAlpha(background: 255) }
        let image = decoded
        try writePyramid(plan(width: image.width, height: image.height), target: target, started: started) {
            pyramid, staging, report throws(ImagingError) in
            try PyramidWriter(
                pyramid: pyramid, image: image, quality: quality, optimizeCoding: optimizeCoding, progress: report
            ).write(into: staging, jobs: jobs)
        } failure: { error in CommandFailure(message: error.message, exitCode: 1) }
    }

    /// Writes `pyramid` into a staging folder with `write` (given the folder and
    /// the progress callback), swaps it into place and prints the summary; an
    /// interrupted or failed run removes the staging folder.
    func writePyramid(
        _ pyramid: StaticPyramid, target: PyramidTarget, started: UInt64, strips: Bool = false,
        write: (StaticPyramid, String, (@Sendable (Int, Int) -> Void)?) throws(ImagingError) -> Void,
        failure: (ImagingError) -> CommandFailure
    ) throws {
        let staging: String
        do {
            staging = try target.makeStaging()
        } catch {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
        let interrupt = StagingCleanup(path: staging)
        defer { interrupt.cancel() }
        let progress = quiet ? nil : TilesProgress()
        var report: (@Sendable (Int, Int) -> Void)? = nil
        if let progress { report = { done, total in progress.update(done: done, total: total) } }
        do throws(ImagingError) {
            try write(pyramid, staging, report)
            progress?.finish()
            try target.commit(staging: staging)
        } catch {
            progress?.finish()
            try? FileManager.default.removeItem(atPath: staging)
            throw failure(error)
        }
        if !quiet {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let place = layout == .deepZoom ? "\(output)/\(imageName).dzi" : output
            FileHandle.standardError.write(
                Data(
                    (String(
                        format: "wrote %d tiles (%d levels, %dx%d) to %@ in %.2f s", pyramid.tiles.count,
                        pyramid.levelCount, pyramid.width, pyramid.height, place, seconds)
                        + (strips ? ", strip by strip\n" : "\n")).utf8))
        }
    }
}

extension TilesCommand {
    /// A reader for the source when it can be tiled strip by strip: a baseline,
    /// upright JPEG (a progressive file's coefficients are all held by libjpeg,
    /// turning needs the whole image) or a non-interlaced PNG, whose rows fit
    /// in ``streamBudget``. Other sources are decoded whole, within
    /// --max-source-pixels.
    func streamableSource() throws -> (any RowSource)? {
        let opened: (any RowSource)?
        do {
            opened = try RowSources.open(path: image, maxScans: maxJpegScans)
        } catch {
            let hint = error.code == .scanLimit ? " (--max-jpeg-scans raises the limit)" : ""
            throw CommandFailure(message: "\(image): \(error.message)\(hint)", exitCode: error.code == .io ? 1 : 2)
        }
        guard let source = opened else { return nil }
        if let maxSourcePixels, source.width * source.height > maxSourcePixels {
            throw CommandFailure(
                message:
                    "\(image): \(source.width)x\(source.height) is \(source.width * source.height) pixels, over --max-source-pixels \(maxSourcePixels)"
            )
        }
        let pyramid = plan(width: source.width, height: source.height)
        let bytes = StripPyramidWriter.windowBytes(for: pyramid, channels: source.channels)
        return bytes <= Self.streamBudget ? source : nil
    }

    /// The most row memory a strip-by-strip run may hold (a PNG wider than
    /// about 300,000 RGB pixels is decoded whole instead, within --max-source-pixels).
    static let streamBudget = 1 << 30

    /// The pyramid of a `width x height` source with the command's options.
    func plan(width: Int, height: Int) -> StaticPyramid {
        StaticPyramid(
            layout: layout, width: width, height: height, name: imageName, tileSize: tileSize, overlap: overlap,
            format: tileFormat.rawValue, baseURL: baseUrl ?? "http://localhost:8080/iiif/3/\(imageName)")
    }

    /// Writes the pyramid from `reader`'s rows (``StripPyramidWriter``): memory
    /// grows with the image's width, not its area. Alpha is composited over
    /// white for JPEG tiles, as for a source decoded whole.
    func writeStreamed(_ reader: any RowSource, target: PyramidTarget, started: UInt64) throws {
        let flatten = tileFormat == .jpg && (reader.channels == 2 || reader.channels == 4)
        let rows: any RowSource = flatten ? AlphaFlattenedRows(reader) : reader
        try writePyramid(
            plan(width: rows.width, height: rows.height), target: target, started: started, strips: true
        ) { pyramid, staging, report throws(ImagingError) in
            let writer = StripPyramidWriter(
                pyramid: pyramid, channels: rows.channels, quality: quality, optimizeCoding: optimizeCoding,
                progress: report)
            try writer.write(into: staging, jobs: jobs) { buffer, count throws(ImagingError) in
                try rows.read(into: buffer, rows: count)
            }
        } failure: { error in
            CommandFailure(message: "\(image): \(error.message)", exitCode: error.code == .io ? 1 : 2)
        }
    }
}

/// Removes the staging folder when the run is interrupted (SIGINT, SIGTERM).
final class StagingCleanup: @unchecked Sendable {  // the sources are set once in init and only cancelled in deinit
    private let sources: [any DispatchSourceSignal]

    init(path: String) {
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: path)
                _exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// The progress line of `labelkit tiles` on stderr: redrawn in place on a
/// terminal, one line every few seconds otherwise.
final class TilesProgress: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = DispatchTime.now().uptimeNanoseconds
    private let lastPrint = Mutex<Double>(-Double.infinity)

    func update(done: Int, total: Int) {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let interval = isTerminal ? 0.1 : 2.0
        let due = lastPrint.withLock { last -> Bool in
            guard elapsed - last >= interval else { return false }
            last = elapsed
            return true
        }
        guard due else { return }
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let text = String(
            format: "[%@] %3.0f%% %d/%d tiles, %.0f tiles/s, ETA %.0fs", bar, fraction * 100, done, total, rate, eta)
        FileHandle.standardError.write(Data((isTerminal ? "\r" + text : text + "\n").utf8))
    }

    func finish() {
        let printed = lastPrint.withLock { $0 > -Double.infinity }
        if isTerminal && printed { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

extension StaticPyramid.Layout: ExpressibleByArgument {}
