import ArgumentParser
import LabelKitCore
import LabelKitFormats
import LabelKitOperations

/// `labelkit rle convert`: Label Studio RLE to COCO RLE and back.
struct RLEConvert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert Label Studio brush RLE to COCO RLE or back (JSON on stdout).",
        discussion: """
            ls -> coco: foreground is alpha > 0 (anti-aliased edges count as inside).
            coco -> ls: inside pixels get R = G = B = A = 255, as mask2rle of a 0/255 mask.

            Examples:
              labelkit rle convert --from ls --to coco brush.json > coco.json
              labelkit rle convert --from coco --to ls coco.json > brush.json
            """
    )

    @Option(help: "Input format: ls or coco.")
    var from: RLEFormat

    @Option(help: "Output format: ls or coco.")
    var to: RLEFormat

    @Option(help: "Image width, for a bare Label Studio RLE array.")
    var width: Int?

    @Option(help: "Image height, for a bare Label Studio RLE array.")
    var height: Int?

    @Argument(help: "The RLE JSON file ('-' for stdin).")
    var input: String

    func run() async throws {
        guard from != to else { throw CommandFailure(message: "--from and --to name the same format (\(from.rawValue))") }
        let source: MaskSource =
            from == .ls ? .ls(try Input.brush(input, width: width, height: height)) : .coco(try Input.coco(input))
        try Output.write(
            try Input.formats { () throws(FormatsError) in try RLEOperations.convert(source, to: to, what: input) },
            png: nil)
    }
}
