import ArgumentParser
import LabelKitCore
import LabelKitFormats
import LabelKitOperations

/// `labelkit rle decode`: RLE JSON to a mask PNG.
struct RLEDecode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode Label Studio or COCO RLE JSON into an 8-bit gray mask PNG.",
        discussion: """
            --format ls reads {"rle":[...],"width":W,"height":H}, a Label Studio brush
            result (value.rle, original_width, original_height) or a bare [...] array
            with --width/--height; the PNG holds the alpha channel as stored.
            --format coco reads {"size":[H,W],"counts":...} with compressed or list
            counts; the PNG holds 255 inside, 0 outside.

            Examples:
              labelkit rle decode --format ls brush.json -o mask.png
              labelkit rle decode --format ls --width 640 --height 480 rle-array.json -o mask.png
              labelkit rle decode --format coco coco.json -o mask.png
            """
    )

    @Option(help: "Input format: ls (Label Studio brush RLE) or coco (COCO RLE).")
    var format: RLEFormat

    @Option(help: "Image width, for a bare RLE array (ls only).")
    var width: Int?

    @Option(help: "Image height, for a bare RLE array (ls only).")
    var height: Int?

    @Option(name: .shortAndLong, help: "The mask PNG to write (written atomically).")
    var output: String

    @Argument(help: "The RLE JSON file ('-' for stdin).")
    var input: String

    func run() async throws {
        let source: MaskSource =
            format == .ls ? .ls(try Input.brush(input, width: width, height: height)) : .coco(try Input.coco(input))
        let png = try Input.formats { () throws(FormatsError) in try RLEOperations.decode(source, what: input) }
        try Output.write(png, png: output)
    }
}
