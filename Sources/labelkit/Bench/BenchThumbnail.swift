import ArgumentParser
import LabelKitImaging

/// `labelkit bench thumbnail`: time making a thumbnail from encoded bytes in memory.
struct BenchThumbnail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Time a thumbnail of a JPEG or PNG already read into memory (decode + resize).",
        discussion: """
            Each run goes from the file's bytes to the thumbnail's pixels, as
            `labelkit thumbnail` does (shrink-on-load for JPEG, box shrink + Lanczos3,
            EXIF orientation); reading the file happens once, before timing. With
            --encode the thumbnail is also encoded (JPEG at quality 85, or PNG).

            Examples:
              labelkit bench thumbnail photo.jpg --size 256 --runs 50
              labelkit bench thumbnail scan.png --size 256 --fit fill
              labelkit bench thumbnail photo.jpg --size 256 --encode jpg
            """
    )

    /// `--encode` values.
    enum Encoding: String, ExpressibleByArgument, CaseIterable {
        case jpg, png
    }

    @Option(help: "Target box side in pixels (--size 256).")
    var size: Int

    @Option(help: "fit, fill or force (--fit fill).")
    var fit: ThumbnailFit = .fit

    @Option(help: "Also encode the thumbnail: jpg (quality 85) or png (--encode jpg).")
    var encode: Encoding?

    @OptionGroup var timing: TimedRuns

    @Argument(help: "The JPEG or PNG image.")
    var input: String

    func validate() throws {
        guard (1...65500).contains(size) else { throw ValidationError("--size must be 1...65500, not \(size)") }
    }

    func run() async throws {
        let data = try Input.bytes(input)
        let thumbnailer: Thumbnailer
        do {
            thumbnailer = try Thumbnailer(width: size, height: size, fit: fit)
            _ = try thumbnailer.thumbnail(data)
        } catch {
            throw CommandFailure(message: "\(input): \(error.message)")
        }
        let encode = self.encode
        let op = "thumbnail.\(size)" + (encode.map { ".\($0.rawValue)" } ?? "")
        let result = try Stopwatch.measure(op: op, input: input, runs: timing.runs) { () throws -> [UInt8] in
            let image = try thumbnailer.thumbnail(data)
            switch encode {
            case nil: return image.pixels
            case .jpg?: return try ImageCodec.encode(image, as: .jpeg, quality: 85)
            case .png?: return try ImageCodec.encode(image, as: .png)
            }
        }
        Output.line(result.json)
    }
}
