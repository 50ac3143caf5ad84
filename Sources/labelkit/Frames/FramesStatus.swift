import ArgumentParser
import Foundation
import LabelKitFrames

/// `labelkit frames status`.
struct FramesStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a task's settings and label progress (JSON).",
        discussion: """
            Prints {"task": {...settings, seed...}, "label": {"units", "complete", "locked",
            "submitted", "skipped", "postponed", "annotators"}} and, with --user,
            "remaining_for_user": units that annotator could still be given.

            Example:
              labelkit frames status --db frames.sqlite --task review --user alice
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The task id, e.g. --task review.")
    var task: String

    @Option(help: "Also count the units left for this annotator, e.g. --user alice.")
    var user: String?

    func run() async throws {
        Output.line(try store.run { try TaskStatus.json(task: task, user: user, on: $0) })
    }
}
