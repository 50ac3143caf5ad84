import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitJSON
import LabelKitOperations

/// `labelkit brush`: brush strokes to a mask.
struct BrushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brush",
        abstract: "Draw brush strokes (added and erased in order) into a mask: PNG, or Label Studio or COCO RLE.",
        discussion: """
            STROKES.json is the body of POST /v1/brush: {"width", "height", "strokes": [{"points",
            "size", "mode"}]}, each stroke's points a flat [x1, y1, ...] list (Label Studio's
            touches[].points), [[x, y], ...] or [{"x", "y"}, ...] in pixels, size the brush
            diameter, mode add or erase. With --base the strokes go over that mask.

            Examples:
              labelkit brush strokes.json -o mask.png
              labelkit brush strokes.json --format ls
              labelkit brush strokes.json --base old.png -o new.png
            """
    )

    @Argument(help: "The strokes document, e.g. strokes.json.")
    var input: String

    @Option(name: .shortAndLong, help: "The mask PNG to write (with --format png), e.g. -o mask.png.")
    var output: String?

    @Option(help: "png (needs -o), ls or coco (RLE JSON on stdout), e.g. --format ls.")
    var format: MaskFormat = .png

    @Option(help: "A mask PNG to draw over instead of an empty one, e.g. --base old.png.")
    var base: String?

    func validate() throws {
        if format == .png && output == nil { throw ValidationError("give -o MASK.png, or --format ls or coco") }
    }

    func run() async throws {
        let root: Any
        do {
            root = try ExactJSON.parse(Data(try Input.bytes(input)))
        } catch let error as JSONError {
            throw CommandFailure(message: "\(input): \(error)")
        }
        guard let object = root as? [String: Any], let list = object["strokes"] as? [Any] else {
            throw CommandFailure(message: "\(input): expected {\"width\", \"height\", \"strokes\": [...]}")
        }
        let mask: Mask
        if let base {
            mask = try Input.mask(base)
        } else {
            guard let width = JSONNumber.integer(object["width"]), let height = JSONNumber.integer(object["height"]),
                width > 0, height > 0
            else {
                throw CommandFailure(message: "\(input): \"width\" and \"height\" (positive integers) are required without --base")
            }
            mask = Mask(width: width, height: height)
        }
        let strokes: [BrushStroke]
        do {
            strokes = try BrushStrokesDocument.strokes(from: list)
        } catch {
            throw CommandFailure(message: "\(input): \(error.message)")
        }
        try Output.write(try BrushRequest(base: mask, strokes: strokes, format: format).run(), png: output)
    }
}
