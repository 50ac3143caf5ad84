import ArgumentParser
import Foundation

/// The `labelkit` command-line tool.
@main
struct LabelKit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labelkit",
        abstract: "Masks, RLE codecs, geometry and batch export for image-annotation work.",
        discussion: """
            Every command prints JSON on stdout (or writes the file given with -o) and
            reports bad input as one line on stderr with exit code 2.

            Examples:
              labelkit rle encode --format ls SampleImages/masks/chelsea_cat.png
              labelkit rle decode --format coco rle.json -o mask.png
              labelkit rasterize regions.json -o mask.png
              labelkit export SampleImages/annotations.json --to coco -o out/coco
              labelkit bench rle encode --format coco mask.png --runs 50
            """,
        subcommands: [
            RLECommand.self, RasterizeCommand.self, BrushCommand.self, HitTestCommand.self, VectorizeCommand.self, DuplicateCommand.self,
            ExportCommand.self, ExportMergeCommand.self, ImportCommand.self, ImportMasksCommand.self, FramesCommand.self, ThumbnailCommand.self, TilesCommand.self, ServeCommand.self,
            BenchCommand.self,
        ]
    )

    /// Parses, runs, and maps every failure to one stderr line: exit 2 for bad
    /// input and unusable arguments, 1 for anything else.
    static func main() async {
        do {
            let arguments = EnvironmentOptions.arguments(
                Array(CommandLine.arguments.dropFirst()), for: ServeCommand.self,
                environment: ProcessInfo.processInfo.environment)
            var command = try parseAsRoot(routingExportMerge(arguments))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CommandFailure {
            FileHandle.standardError.write(Data("labelkit: error: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                FileHandle.standardError.write(Data("labelkit: error: \(line) (see --help)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// `labelkit export merge ...` as `labelkit export-merge ...`: `export` takes an
/// input file and required options, so `merge` is routed here rather than parsed
/// as a subcommand of it (an input file named `merge` is written `./merge`).
func routingExportMerge(_ arguments: [String]) -> [String] {
    guard arguments.count >= 2, arguments[0] == "export", arguments[1] == "merge" else { return arguments }
    return [ExportMergeCommand.configuration.commandName ?? "export-merge"] + arguments.dropFirst(2)
}

/// A failure the tool reports as one line on stderr with its exit code.
struct CommandFailure: Error, CustomStringConvertible {
    /// The line printed after `labelkit: error: `.
    var message: String
    /// 2 for bad input, 1 for other failures.
    var exitCode: Int32 = 2

    var description: String { message }
}
