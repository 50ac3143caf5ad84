import ArgumentParser
import Foundation
import LabelKitFrames

/// `labelkit frames next`.
struct FramesNext: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Pull frames from a task's plain stream, or (with --user) the next unit for an annotator.",
        discussion: """
            Without --user: a JSON list of {"frame": {...}, "position", "unit", "offset", "epoch"}
            (empty at the end). The stream's position is saved with the frames it hands out, so a
            rerun continues; separate --stream names keep separate positions.

            With --user: the label stream. {"status": "unit", "unit", "locked_until", "reason",
            "frames": [...]} locks the unit for the annotator (asking again returns the same unit);
            {"status": "locked", "retry_at"} means the remaining units are held by other annotators'
            locks; {"status": "done"} means nothing is left for this annotator.

            Examples:
              labelkit frames next --db frames.sqlite --task TASK --count 10 --stream worker-1
              labelkit frames next --db frames.sqlite --task TASK --user alice
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The task id, e.g. --task review.")
    var task: String

    @Option(help: "The annotator (label stream), e.g. --user alice.")
    var user: String?

    @Option(help: "Plain stream: the stream name (one position per stream), e.g. --stream worker-1.")
    var stream: String = "default"

    @Option(help: "Plain stream: how many frames, e.g. --count 10.")
    var count: Int = 1

    func run() async throws {
        let call: FrameCall = user.map { .nextUnit(user: $0) } ?? .nextFrames(stream: stream, count: max(count, 0))
        Output.line(try store.run { try call.run(task: task, on: $0) })
    }
}
