import ArgumentParser
import Foundation
import LabelKitFrames
import LabelKitPostgres

/// `labelkit frames`: the frame store, task streams and the label stream.
struct FramesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract:
            "Import frames, create tasks, pull frames from streams and serve annotators (SQLite or PostgreSQL store).",
        discussion: """
            Examples:
              labelkit frames import --db frames.sqlite frames.json
              labelkit frames create --db frames.sqlite --id review --filter empty --order random --overlap 2
              labelkit frames next --db frames.sqlite --task review --count 10          # a plain stream
              labelkit frames next --db frames.sqlite --task review --user alice        # the label stream
              labelkit frames submit --db frames.sqlite --task review --user alice --unit 17 --result result.json
              labelkit frames skip --db frames.sqlite --task review --user alice --unit 18
              labelkit frames status --db frames.sqlite --task review
            """,
        subcommands: [
            FramesImport.self, FramesCreate.self, FramesNext.self, FramesSubmit.self, FramesSkip.self,
            FramesPostpone.self, FramesHeartbeat.self, FramesStatus.self,
        ]
    )
}

/// Options shared by the `frames` subcommands.
struct StoreOptions: ParsableArguments {
    @Option(
        help:
            "The store: a SQLite file (created if missing) or a PostgreSQL URL (schema created on first use), e.g. --db frames.sqlite or --db postgres://labelkit@127.0.0.1/labelkit."
    )
    var db: String

    func open() throws -> FrameStore {
        do {
            if PostgresLocation.isURL(db) {
                return FrameStore(
                    backend: try PostgresFrameDatabase(location: try PostgresLocation(url: db), connections: 2))
            }
            return try FrameStore(path: db)
        } catch {
            let shown = (try? PostgresLocation(url: db).description) ?? db
            throw CommandFailure(message: "\(shown): \(error)", exitCode: 1)
        }
    }

    /// Runs `body` on the store; store errors (bad input, conflicts) exit with 2.
    func run<T>(_ body: (FrameStore) throws -> T) throws -> T {
        let store = try open()
        do {
            return try body(store)
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(error)")
        }
    }
}

/// `--task` and `--user` of the label-stream subcommands.
struct AnnotatorOptions: ParsableArguments {
    @Option(help: "The task id, e.g. --task review.")
    var task: String

    @Option(help: "The annotator's id, e.g. --user alice.")
    var user: String

    /// Runs `call` on the task and prints its JSON answer.
    func run(_ call: FrameCall, store: StoreOptions) throws {
        Output.line(try store.run { try call.run(task: task, on: $0) })
    }
}

extension IterationPlan.Order: ExpressibleByArgument {}
/// `--skip-mode requeue-for-me` (the camelCase spelling is accepted too).
extension LabelSettings.SkipMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
    public static var allValueDescriptions: [String: String] { [:] }
}
extension LabelSettings.AnnotatorOrder: ExpressibleByArgument {}
