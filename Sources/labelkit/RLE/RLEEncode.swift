import ArgumentParser
import LabelKitCore
import LabelKitFormats
import LabelKitOperations

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
              labelkit rle encode --format coco --polygons polys.json

            With --polygons, POLYS.json is {"width", "height", "polygons": [[x1, y1, ...], ...]}
            in pixels, rasterized exactly as pycocotools frPyObjects (parts unioned).
            """
    )

    @Option(help: "Output format: ls (Label Studio brush RLE) or coco (COCO RLE).")
    var format: RLEFormat

    @Option(help: "Binarize first like image2rle: luma above this value becomes 255, the rest 0 (ls only).")
    var threshold: UInt8?

    @Option(help: "COCO polygons JSON to rasterize with pycocotools' algorithm instead of a mask PNG (coco only).")
    var polygons: String?

    @Argument(help: "The mask (or image) PNG to encode.")
    var mask: String?

    func validate() throws {
        if polygons != nil && format != .coco { throw ValidationError("--polygons needs --format coco") }
        if (polygons == nil) == (mask == nil) { throw ValidationError("give either a mask PNG or --polygons") }
    }

    func run() async throws {
        if let polygons {
            Output.line(COCORLEDocument.json(try Input.cocoPolygons(polygons).rleOrFailure(polygons)))
            return
        }
        guard let mask else { return }
        let input = MaskSource.mask(try Input.mask(mask))
        try Output.write(
            try Input.formats { () throws(FormatsError) in
                try RLEOperations.encode(input, as: format, threshold: threshold, what: mask)
            }, png: nil)
    }
}
