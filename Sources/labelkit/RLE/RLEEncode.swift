import ArgumentParser
import LabelKitCore
import LabelKitFormats

/// `labelkit rle encode`: a mask PNG to RLE JSON on stdout.
struct RLEEncode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode a mask PNG as Label Studio or COCO RLE (JSON on stdout).",
        discussion: """
            The PNG is read as luma (colour images with Pillow's convert("L") rule).
            --format ls writes {"rle":[...],"width":W,"height":H}, byte-identical with
            label-studio-converter mask2rle (values kept as they are; use --threshold
            for image2rle). --format coco writes {"size":[H,W],"counts":"..."},
            identical with pycocotools encode (foreground = non-zero).

            Examples:
              labelkit rle encode --format ls mask.png > brush.json
              labelkit rle encode --format ls --threshold 128 photo.png
              labelkit rle encode --format coco mask.png
            """
    )

    @Option(help: "Output format: ls (Label Studio brush RLE) or coco (COCO RLE).")
    var format: RLEFormat

    @Option(help: "Binarize first like image2rle: luma above this value becomes 255, the rest 0 (ls only).")
    var threshold: UInt8?

    @Argument(help: "The mask (or image) PNG to encode.")
    var mask: String

    func run() async throws {
        let input = try Input.mask(mask)
        switch format {
        case .ls:
            let rle = try Input.core(mask) { () throws(CoreError) in
                if let threshold { return try LabelStudioRLE.encode(grayImage: input, threshold: threshold) }
                return try LabelStudioRLE.encode(input)
            }
            Output.line(BrushRLEDocument(rle: rle, width: input.width, height: input.height).json())
        case .coco:
            Output.line(COCORLEDocument.json(COCORLE(encoding: input)))
        }
    }
}
