import ArgumentParser
import Foundation
import LabelKitFormats
import LabelKitJSON
import LabelKitOperations

/// `labelkit duplicate`: copy regions with fresh ids.
struct DuplicateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicate",
        abstract: "Duplicate Label Studio regions with fresh ids (JSON list of new results on stdout).",
        discussion: """
            REGIONS.json is a list of Label Studio results (or {"regions": [...]} /
            {"result": [...]}). With --id, that region (every item with the id) is copied,
            moved by --dx/--dy (pixels, or percent with --percent), or repeated on a
            --grid RxC. Without --id, every region is copied ("copy all"); with
            --paste-width/--paste-height, onto an image of that size, keeping percent
            (--keep percent) or pixels (--keep pixels, --clip to cut at the border).
            New ids never collide with existing ones; --link-parent records parentID.

            Examples:
              labelkit duplicate regions.json --id a1b2c3d4e5 --dx 10 --dy 0
              labelkit duplicate regions.json --id a1b2c3d4e5 --grid 2x3 --dx 5 --dy 5 --percent
              labelkit duplicate regions.json --paste-width 1920 --paste-height 1080 --keep pixels --clip
            """
    )

    /// How pasted regions keep their place.
    enum Keep: String, ExpressibleByArgument, CaseIterable {
        case percent, pixels
    }

    @Option(help: "The region id to duplicate (omit to copy all regions).")
    var id: String?

    @Option(help: "Horizontal offset of the copy (pixels, or percent with --percent).")
    var dx: Double = 0

    @Option(help: "Vertical offset of the copy (pixels, or percent with --percent).")
    var dy: Double = 0

    @Flag(help: "Offsets are percent of the image size instead of pixels.")
    var percent = false

    @Option(help: "Copies on a grid, ROWSxCOLUMNS (offsets give the spacing).")
    var grid: String?

    @Flag(help: "Record the original's id as parentID on each copy.")
    var linkParent = false

    @Option(help: "Paste onto an image of this width (with --paste-height).")
    var pasteWidth: Int?

    @Option(help: "Paste onto an image of this height (with --paste-width).")
    var pasteHeight: Int?

    @Option(help: "When pasting: keep percent or pixels.")
    var keep: Keep = .percent

    @Flag(help: "When pasting with --keep pixels: clip to the image, dropping regions outside.")
    var clip = false

    @Argument(help: "The regions JSON file.")
    var input: String

    func run() async throws {
        let bytes = Data(try Input.bytes(input))
        let root: Any
        do {
            root = try ExactJSON.parse(bytes)
        } catch {
            throw CommandFailure(message: "\(input): \(error)")
        }
        let offset: RegionDuplicator.Offset = percent ? .percent(dx: dx, dy: dy) : .pixels(dx: dx, dy: dy)
        let output: OperationOutput
        do throws(FormatsError) {
            let action: DuplicateRequest.Action
            if let id {
                if let grid {
                    let (rows, columns) = try RegionDuplicator.grid(grid)
                    action = .grid(regionID: id, rows: rows, columns: columns, spacing: offset, linkParent: linkParent)
                } else {
                    action = .copy(regionID: id, offset: offset, linkParent: linkParent)
                }
            } else if let pasteWidth, let pasteHeight {
                action = .paste(
                    width: pasteWidth, height: pasteHeight, mode: keep == .percent ? .keepPercent : .keepPixels(clip: clip))
            } else {
                action = .copyAll
            }
            output = try DuplicateRequest(results: try DuplicateRequest.results(of: root), action: action).run()
        } catch {
            throw CommandFailure(message: "\(input): \(error.message)")
        }
        try Output.write(output, png: nil)
    }
}
