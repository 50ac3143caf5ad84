import ArgumentParser
import Foundation
import LabelKitFormats
import LabelKitFrames

/// `labelkit frames`: the frame store and task streams.
struct FramesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "Import frames, create iteration tasks and pull frames from their streams (SQLite store).",
        discussion: """
            Examples:
              labelkit frames import --db frames.sqlite frames.json
              labelkit frames create --db frames.sqlite --filter empty --order random --clip 8 --limit 500
              labelkit frames next --db frames.sqlite --task TASK --count 10
              labelkit frames status --db frames.sqlite --task TASK
            """,
        subcommands: [FramesImport.self, FramesCreate.self, FramesNext.self, FramesStatus.self]
    )
}

/// Options shared by the `frames` subcommands.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite store (created if missing).")
    var db: String

    func open() throws -> FrameStore {
        do {
            return try FrameStore(path: db)
        } catch {
            throw CommandFailure(message: "\(db): \(error)", exitCode: 1)
        }
    }
}

/// `labelkit frames import`.
struct FramesImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add frames from a JSON list or a folder of images.",
        discussion: """
            A JSON list of {"id", "context_id", "timestamp_ms", "source_frame", "source_uri",
            "width", "height", "labels": [...], "metadata": {...}} (only id is required; the
            context defaults to the source URI), or a folder: one frame per image file, id =
            file name. Prints {"imported": N}.

            Examples:
              labelkit frames import --db frames.sqlite frames.json
              labelkit frames import --db frames.sqlite SampleImages
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The frames JSON file or image folder.")
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
            frames = try Self.parse(Data(try Input.bytes(input)), path: input)
        }
        do {
            let count = try store.open().importFrames(frames)
            Output.line("{\"imported\":\(count)}")
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(input): \(error)")
        }
    }

    static func parse(_ data: Data, path: String) throws -> [Frame] {
        let root: Any
        do {
            root = try ExactJSON.parse(data)
        } catch {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
        guard let list = root as? [[String: Any]] else {
            throw CommandFailure(message: "\(path): expected a JSON list of frame objects")
        }
        return try list.enumerated().map { (i, object) in
            guard let id = (object["id"] as? String) ?? (object["id"] as? NSNumber)?.stringValue else {
                throw CommandFailure(message: "\(path): frames[\(i)] has no \"id\"")
            }
            let uri = object["source_uri"] as? String ?? ""
            return Frame(
                id: id, contextID: object["context_id"] as? String ?? uri,
                timestampMs: (object["timestamp_ms"] as? NSNumber)?.int64Value ?? 0,
                sourceFrame: (object["source_frame"] as? NSNumber)?.intValue, sourceURI: uri,
                width: (object["width"] as? NSNumber)?.intValue, height: (object["height"] as? NSNumber)?.intValue,
                labels: object["labels"] as? [String] ?? [],
                metadata: (object["metadata"] as? [String: Any] ?? [:]).mapValues { "\($0)" })
        }
    }
}

/// `labelkit frames create`.
struct FramesCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a task: snapshot the selected frames and fix the iteration (JSON on stdout).",
        discussion: """
            Example:
              labelkit frames create --db frames.sqlite --filter empty --order random --seed 42 --clip 8 --limit 500
            """
    )

    /// `--filter` values.
    enum Filter: String, ExpressibleByArgument, CaseIterable { case all, empty }

    @OptionGroup var store: StoreOptions

    @Option(help: "Task id (default: a new UUID).")
    var id: String?

    @Option(help: "Frames: all, or empty (no ROIs).")
    var filter: Filter = .all

    @Option(help: "Only frames with an ROI of this label.")
    var label: String?

    @Option(help: "Order: sequential, random (keyed Feistel) or shuffle (Fisher-Yates).")
    var order: IterationPlan.Order = .sequential

    @Option(help: "Seed (any unsigned 64-bit value, 0 included); generated and stored when omitted.")
    var seed: UInt64?

    @Option(help: "Stop after this many frames.")
    var limit: Int?

    @Flag(help: "Start over after the last unit (new epoch seed each time).")
    var infinite = false

    @Option(help: "Frames per clip (video); 1 = single frames.")
    var clip: Int = 1

    @Option(help: "A larger time gap (ms) between consecutive frames also ends a clip.")
    var maxGap: Int64?

    @Option(help: "This worker's index (0-based), with --workers.")
    var worker: Int = 0

    @Option(help: "Number of workers splitting the stream (positions k mod W).")
    var workers: Int = 1

    func run() async throws {
        var filters: [FrameFilter] = [filter == .empty ? .empty : .all]
        if let label { filters.append(.label(label, present: true)) }
        let plan = IterationPlan(order: order, limit: limit, infinite: infinite, worker: worker, workers: workers)
        do {
            let task = try store.open().createTask(
                id: id, filter: .allOf(filters), clipLength: clip, maxGapMs: maxGap, plan: plan, seed: seed)
            Output.line(try FramesJSON.text(task))
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(error)")
        }
    }
}

extension IterationPlan.Order: ExpressibleByArgument {}

/// `labelkit frames next`.
struct FramesNext: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Pull the next frames of a task's stream (JSON list; empty at the end).",
        discussion: """
            Each item: {"frame": {...}, "position", "unit", "offset", "epoch"}. The stream's
            position is saved with the frames it hands out, so a rerun continues.

            Example:
              labelkit frames next --db frames.sqlite --task TASK --count 10 --stream worker-1
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The task id.")
    var task: String

    @Option(help: "The stream name (one position per stream).")
    var stream: String = "default"

    @Option(help: "How many frames.")
    var count: Int = 1

    func run() async throws {
        do {
            let deliveries = try store.open().next(task: task, stream: stream, count: max(count, 0))
            let items = deliveries.map { d -> [String: Any] in
                [
                    "frame": ["id": d.frame.id, "context_id": d.frame.contextID, "timestamp_ms": d.frame.timestampMs,
                        "source_uri": d.frame.sourceURI, "source_frame": d.frame.sourceFrame as Any? ?? NSNull()]
                        as [String: Any],
                    "position": d.emission.position, "unit": d.emission.unit, "offset": d.emission.offset,
                    "epoch": d.emission.epoch,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys])
            Output.line(String(decoding: data, as: UTF8.self))
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(error)")
        }
    }
}

/// `labelkit frames status`.
struct FramesStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a task's settings (JSON).",
        discussion: """
            Example:
              labelkit frames status --db frames.sqlite --task TASK
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The task id.")
    var task: String

    func run() async throws {
        do {
            Output.line(try FramesJSON.text(try store.open().task(task)))
        } catch let error as FrameStore.StoreError {
            throw CommandFailure(message: "\(error)")
        }
    }
}

/// JSON text of Codable values with sorted keys.
enum FramesJSON {
    static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
