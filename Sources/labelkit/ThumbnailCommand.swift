import ArgumentParser
import LabelKitImaging

/// `labelkit thumbnail`: a JPEG or PNG thumbnail of a JPEG or PNG image.
struct ThumbnailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Write a JPEG or PNG thumbnail of a JPEG or PNG image (the libvips recipe).",
        discussion: """
            The header is read first and oversized sources are refused before any pixel
            is decoded; a JPEG with more scans than --max-jpeg-scans (a scan bomb) is
            refused at the first scan over the limit. JPEGs are decoded at 1/2, 1/4 or
            1/8 scale in the DCT domain when that still leaves at least 2x for the
            filter, then reduced with a box shrink and Lanczos3 (alpha premultiplied)
            and turned upright by their EXIF orientation; target sizes refer to the
            upright image. Sizes are rounded as libvips thumbnail rounds them (e.g.
            6000x4000 at --size 256 gives 256x171).
            The output format follows the extension of -o (.jpg, .jpeg or .png); alpha
            is composited over white in a JPEG.

            Examples:
              labelkit thumbnail photo.jpg --size 256 -o t.jpg          # fit in 256x256
              labelkit thumbnail photo.jpg --width 320 -o t.jpg         # height follows
              labelkit thumbnail photo.jpg --height 200 -o t.jpg        # width follows
              labelkit thumbnail photo.jpg --size 256 --height 128 -o t.jpg
              labelkit thumbnail photo.jpg --size 256 --fit fill -o t.jpg   # crop
              labelkit thumbnail photo.jpg --size 256 --fit force -o t.jpg  # stretch
              labelkit thumbnail photo.jpg --size 256 --quality 90 -o t.jpg
              labelkit thumbnail scan.png --size 512 --compression 9 -o t.png
              labelkit thumbnail big.png --size 256 --max-source-pixels 200000000 -o t.jpg
              labelkit thumbnail photo.jpg --size 256 --max-jpeg-scans 100 -o t.jpg
            """
    )

    @Option(help: "Target box side in pixels: the width, and the height unless --height is given (--size 256).")
    var size: Int?

    @Option(help: "Target width in pixels; alone, the height follows the aspect ratio (--width 320).")
    var width: Int?

    @Option(help: "Target height in pixels; alone, the width follows the aspect ratio (--height 200).")
    var height: Int?

    @Option(
        help: """
            fit: inside the box, aspect kept; fill: cover the box, then centre-crop to it; \
            force: exactly the box, aspect ignored (--fit fill).
            """)
    var fit: ThumbnailFit = .fit

    @Option(help: "JPEG quality 1...100 (--quality 90).")
    var quality: Int = 85

    @Option(help: "PNG zlib compression level 0...9 (--compression 9).")
    var compression: Int = 6

    @Option(help: "Refuse sources with more pixels than this, read from the header (--max-source-pixels 100000000).")
    var maxSourcePixels: Int = Thumbnailer.defaultMaxSourcePixels

    @Option(help: "Refuse JPEGs with more scans than this; normal files have 1 to about 10 (--max-jpeg-scans 100).")
    var maxJpegScans: Int = JPEGCodec.defaultMaxScans

    @Option(name: .shortAndLong, help: "The thumbnail to write, .jpg/.jpeg or .png, atomically (-o thumb.jpg).")
    var output: String

    @Argument(help: "The JPEG or PNG image ('-' for stdin).")
    var image: String

    /// The target width and height: --width and --height override --size.
    var target: (width: Int?, height: Int?) {
        (width ?? size, height ?? (width == nil ? size : nil))
    }

    func validate() throws {
        guard size != nil || width != nil || height != nil else {
            throw ValidationError("give --size, --width or --height")
        }
        for (name, value) in [("--size", size), ("--width", width), ("--height", height)] {
            if let value, !(1...65500).contains(value) {
                throw ValidationError("\(name) must be 1...65500, not \(value)")
            }
        }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1...100, not \(quality)") }
        guard (0...9).contains(compression) else {
            throw ValidationError("--compression must be 0...9, not \(compression)")
        }
        guard maxSourcePixels >= 1 else { throw ValidationError("--max-source-pixels must be at least 1") }
        guard maxJpegScans >= 1 else {
            throw ValidationError("--max-jpeg-scans must be at least 1, not \(maxJpegScans)")
        }
        guard ImageFormat(pathExtension: output) != nil else {
            throw ValidationError("-o must end in .jpg, .jpeg or .png: \(output)")
        }
    }

    func run() async throws {
        let format = ImageFormat(pathExtension: output) ?? .jpeg
        let data = try Input.bytes(image)
        let bytes: [UInt8]
        do {
            let thumbnailer = try Thumbnailer(
                width: target.width, height: target.height, fit: fit, maxSourcePixels: maxSourcePixels,
                maxScans: maxJpegScans)
            let thumbnail = try thumbnailer.thumbnail(data)
            bytes = try ImageCodec.encode(thumbnail, as: format, quality: quality, compressionLevel: compression)
        } catch {
            let hint = error.code == .scanLimit ? " (--max-jpeg-scans raises the limit)" : ""
            throw CommandFailure(message: "\(image): \(error.message)\(hint)")
        }
        do {
            // Atomic but not fsynced: a thumbnail is derived data, cheap to remake, and
            // the fsync would cost more than making it.
            try FileIO.writeAtomically(bytes, to: output, durable: false)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
    }
}

extension ThumbnailFit: ExpressibleByArgument {}
