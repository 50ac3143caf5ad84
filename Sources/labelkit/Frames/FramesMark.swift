import ArgumentParser
import Foundation
import LabelKitFrames

/// `labelkit frames submit`.
struct FramesSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Record an annotator's annotation of a unit and release their lock.",
        discussion: """
            Refused (exit 2) when the annotator already submitted the unit, or their lock lapsed and
            other annotators now hold or finished it. Prints {"submitted": UNIT}.

            Example:
              labelkit frames submit --db frames.sqlite --task review --user alice --unit 17 --result result.json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "The unit, from `frames next --user`, e.g. --unit 17.")
    var unit: Int

    @Option(help: "A JSON file with the annotation to keep with the submission ('-' reads stdin), e.g. --result result.json.")
    var result: String?

    func run() async throws {
        var text: String?
        if let result {
            let data = Data(try Input.bytes(result))
            guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                throw CommandFailure(message: "\(result): not a JSON document")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        try annotator.run(.submit(user: annotator.user, unit: unit, result: text), store: store)
    }
}

/// `labelkit frames skip`.
struct FramesSkip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip",
        abstract: "Skip a unit (what that means is the task's --skip-mode) and release the lock.",
        discussion: """
            Prints {"skipped": UNIT}.

            Example:
              labelkit frames skip --db frames.sqlite --task review --user alice --unit 18
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "The unit, e.g. --unit 18.")
    var unit: Int

    func run() async throws {
        try annotator.run(.skip(user: annotator.user, unit: unit), store: store)
    }
}

/// `labelkit frames postpone`.
struct FramesPostpone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postpone",
        abstract: "Put a unit aside: it comes back to the same annotator after their main queue.",
        discussion: """
            Prints {"postponed": UNIT}.

            Example:
              labelkit frames postpone --db frames.sqlite --task review --user alice --unit 19
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "The unit, e.g. --unit 19.")
    var unit: Int

    func run() async throws {
        try annotator.run(.postpone(user: annotator.user, unit: unit), store: store)
    }
}

/// `labelkit frames heartbeat`.
struct FramesHeartbeat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heartbeat",
        abstract: "Extend an annotator's lock on a unit by the task's lock TTL.",
        discussion: """
            Refused (exit 2) when the lock already lapsed. Prints {"locked_until": SECONDS_SINCE_1970}.

            Example:
              labelkit frames heartbeat --db frames.sqlite --task review --user alice --unit 17
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var annotator: AnnotatorOptions

    @Option(help: "The locked unit, e.g. --unit 17.")
    var unit: Int

    func run() async throws {
        try annotator.run(.heartbeat(user: annotator.user, unit: unit), store: store)
    }
}
