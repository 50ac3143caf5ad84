import ArgumentParser
import LabelKitCore
import LabelKitFormats

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
        let mask: Mask
        switch format {
        case .ls:
            let document = try Input.brush(input, width: width, height: height)
            mask = try Input.core(input) { () throws(CoreError) in
                try LabelStudioRLE.decodeMask(document.rle, width: document.width, height: document.height)
            }
        case .coco:
            let rle = try Input.coco(input)
            guard rle.width > 0, rle.height > 0 else {
                throw CommandFailure(message: "\(input): COCO size [\(rle.height), \(rle.width)] is empty")
            }
            mask = rle.decode()
        }
        try Output.png(mask, to: output)
    }
}
