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
        let text = try store.run { store -> String in
            let info = try store.task(task)
            var label = FramesJSON.object(try store.labelStatus(task: task))
            if let user { label["remaining_for_user"] = try store.remainingUnits(task: task, user: user) }
            return "{\"label\":\(FramesJSON.text(label)),\"task\":\(FramesJSON.text(info))}"
        }
        Output.line(text)
    }
}
