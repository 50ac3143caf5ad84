import ArgumentParser
import Foundation
import LabelKitFrames

/// `labelkit frames create`.
struct FramesCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a task: snapshot the selected frames, fix the order and the label settings (JSON out).",
        discussion: """
            Filters combine with AND. The selection is snapshotted now: frames imported later, or
            annotated meanwhile, never change the task.

            Examples:
              labelkit frames create --db frames.sqlite --filter empty --order random --seed 42 --clip 8 --limit 500
              labelkit frames create --db frames.sqlite --id review --label car --where "speed>=30" --where weather=rain \\
                --overlap 2 --skip-mode requeue-for-me --lock-ttl 600
            """
    )

    /// `--filter` values.
    enum Filter: String, ExpressibleByArgument, CaseIterable { case all, empty }

    @OptionGroup var store: StoreOptions

    @Option(help: "Task id, e.g. --id review (default: a new UUID).")
    var id: String?

    @Option(help: "Frames: all, or empty (no ROIs), e.g. --filter empty.")
    var filter: Filter = .all

    @Option(help: "Only frames with an ROI of this label (repeatable), e.g. --label car.")
    var label: [String] = []

    @Option(help: "Only frames without an ROI of this label (repeatable), e.g. --without-label person.")
    var withoutLabel: [String] = []

    @Option(
        name: .customLong("where"),
        help: "A metadata comparison KEY=VALUE, KEY!=VALUE or numeric KEY<N, <=, >, >= (repeatable), e.g. --where \"speed>=30\".")
    var conditions: [String] = []

    @Option(help: "Only frames of this context (video/sequence), e.g. --context drive-7.")
    var context: String?

    @Option(help: "Only frames whose source URI starts with this, e.g. --source-prefix s3://bucket/day1/.")
    var sourcePrefix: String?

    @Option(help: "Order: sequential, random (keyed Feistel) or shuffle (Fisher-Yates), e.g. --order random.")
    var order: IterationPlan.Order = .sequential

    @Option(help: "Seed (any unsigned 64-bit value, 0 included); generated and stored when omitted, e.g. --seed 42.")
    var seed: UInt64?

    @Option(help: "Plain streams stop after this many frames, e.g. --limit 500.")
    var limit: Int?

    @Flag(help: "Plain streams start over after the last unit (new epoch seed each time).")
    var infinite = false

    @Option(help: "Frames per clip (video); 1 = single frames, e.g. --clip 8.")
    var clip: Int = 1

    @Option(help: "A larger time gap (ms) between consecutive frames also ends a clip, e.g. --max-gap 500.")
    var maxGap: Int64?

    @Option(help: "Plain streams: this worker's index (0-based), with --workers, e.g. --worker 1.")
    var worker: Int = 0

    @Option(help: "Plain streams: number of workers splitting the stream (positions k mod W), e.g. --workers 4.")
    var workers: Int = 1

    @Option(help: "Label stream: distinct annotators per unit, e.g. --overlap 2.")
    var overlap: Int = 1

    @Option(help: "Label stream: percent of units (first in sequential order) that get the overlap, e.g. --cohort 20.")
    var cohort: Double = 100

    @Option(
        help: "Label stream: requeue-for-others (skipped units go to others), requeue-for-me (back to the skipper after the queue) or ignore-skipped (a skip completes); default requeue-for-others, e.g. --skip-mode requeue-for-me."
    )
    var skipMode: LabelSettings.SkipMode?

    @Option(help: "Label stream: seconds a lock lasts without a heartbeat (60...86400), e.g. --lock-ttl 600.")
    var lockTtl: Double = 3600

    @Flag(help: "Label stream: with overlap > 1, serve units that already have annotations first.")
    var breadthFirst = false

    @Option(help: "Label stream: shared (one order) or independent (per-annotator seeds; the default for random), e.g. --annotator-order shared.")
    var annotatorOrder: LabelSettings.AnnotatorOrder?

    func run() async throws {
        let filter: FrameFilter
        do {
            filter = try TaskRequest.selection(
                emptyOnly: self.filter == .empty, labels: label, withoutLabels: withoutLabel, conditions: conditions,
                context: context, sourcePrefix: sourcePrefix)
        } catch {
            throw CommandFailure(message: "--where \(error)")
        }
        let request = TaskRequest(
            id: id, filter: filter, clipLength: clip, maxGapMs: maxGap,
            plan: IterationPlan(order: order, limit: limit, infinite: infinite, worker: worker, workers: workers),
            seed: seed,
            label: LabelSettings(
                overlap: overlap, cohortPercent: cohort, skipMode: skipMode ?? .requeueForOthers, lockTTLSeconds: lockTtl,
                breadthFirst: breadthFirst, annotatorOrder: annotatorOrder))
        let task = try store.run { try request.run(on: $0) }
        Output.line(FramesJSON.text(task))
    }
}
