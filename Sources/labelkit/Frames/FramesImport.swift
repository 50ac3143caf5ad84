import ArgumentParser
import Foundation
import LabelKitFrames

/// `labelkit frames import`.
struct FramesImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add frames from JSON, JSON Lines, a Label Studio export, video frame lists or an image folder.",
        discussion: """
            Accepted files (detected from their content; .jsonl means JSON Lines):
              frame objects   [{"id", "context_id", "timestamp_ms", "source_frame", "source_uri",
                               "width", "height", "labels": [...], "metadata": {...}}]  (only id required;
                               the context defaults to the source URI)
              Label Studio    an exported task list (objects with "data"): id = task id, labels = one per
                               region of the latest annotation, scalar data fields become metadata
              video lists     [{"video": "drive1.mp4", "fps": 30, "frame_count": 900}] or with
                               "frames": [0, 5, {"frame": 10, "labels": ["car"]}]: id = video#frame
            A folder adds one frame per .jpg/.jpeg/.png file (id = file name). Frame ids must be new;
            a repeated id rejects the whole import. Prints {"imported": N}.

            Examples:
              labelkit frames import --db frames.sqlite frames.json
              labelkit frames import --db frames.sqlite export.json
              labelkit frames import --db frames.sqlite SampleImages
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The frames file or image folder.")
    var input: String

    func run() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw CommandFailure(message: "\(input): no such file or folder")
        }
        let frames: [Frame]
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []).sorted().filter {
                ["jpg", "jpeg", "png"].contains(($0 as NSString).pathExtension.lowercased())
            }
            frames = names.map { Frame(id: $0, contextID: "", sourceURI: input + "/" + $0) }
        } else {
            do {
                frames = try FrameDocument.frames(from: Data(try Input.bytes(input)), name: input)
            } catch {
                throw CommandFailure(message: "\(input): \(error)")
            }
        }
        let count = try store.run { try $0.importFrames(frames) }
        Output.line("{\"imported\":\(count)}")
    }
}
