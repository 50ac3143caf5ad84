import ArgumentParser
import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats

/// `labelkit export`: a Label Studio export to masks, COCO or YOLO, on all cores.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a Label Studio JSON export to mask PNGs, semantic masks, COCO, YOLO, Pascal VOC or NumPy.",
        discussion: """
            The input (a JSON array of tasks, streamed task by task) can be several GB.
            Formats:
              png        one 8-bit mask PNG per region (every region type), named like
                         label-studio-converter's brush export:
                         task-{id}-annotation-{aid}-by-{email}-{from_name}-{labels}-{n}.png
                         (a field with /, \\ or control characters gets _ for them and
                         ~ + 8 hex digits of its hash; names over 232 bytes are cut the
                         same way; two regions never share a file)
              semantic   one class-index PNG per annotation (later regions on top) + labels.json
              coco       coco.json: polygons for rectangles/ellipses/polygons, compressed RLE
                         for brushes, keypoints for keypoints (ids from 1)
              yolo       labels/<image>.txt boxes + classes.txt (rotated boxes: their true box)
              yolo-seg   polygons;  yolo-obb: the 4 corners of rotated rectangles
              yolo-pose  boxes of rectangles followed by "x y v" per keypoint (children by
                         parentID, in the config's model_index order); needs --config
              voc        Annotations/<image>.xml (Pascal VOC): one object per region, the
                         whole-pixel box of what it shows inside the image
              numpy      one .npy per brush layer (uint8, height x width, the stored alpha),
                         named as png; Label Studio's BRUSH_TO_NUMPY
            Class ids (YOLO, semantic, COCO categories) come from --config as Label
            Studio's own exports number them: labels with a category attribute at that
            id, the others sorted by name; without it, in order of first appearance.
            Runs on --jobs workers; writes are atomic; a journal in OUTDIR lets a killed
            run resume where it stopped (--force starts over). Bad tasks go to
            OUTDIR/errors.jsonl and stderr, the rest completes; exit code 1 if any task
            failed, 2 for unusable arguments.
            Across machines: --shard INDEX/COUNT exports the tasks whose id hashes to
            INDEX (FNV-1a 64 of the id's text, mod COUNT) into its own journal; every
            shard may use the same OUTDIR. Then `labelkit export merge OUTDIR` (or
            `labelkit export merge DIR... -o OUTDIR`) writes coco.json, classes.txt,
            labels.json and errors.jsonl: the output of one unsharded run, byte for
            byte. A shard exits 0 once all its tasks are recorded (failed tasks
            too: the merge reports them).

            Examples:
              labelkit export export.json --to png -o masks/
              labelkit export export.json --to coco -o coco/ --annotations all --jobs 2
              labelkit export export.json --to semantic -o sem/ --label-map labels.json
              labelkit export export.json --to yolo -o yolo/ --config project.json
              labelkit export export.json --to coco -o /shared/coco --shard 2/8
              labelkit export merge /shared/coco
            """
    )

    /// `--to` values.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case png, semantic, coco, yolo
        case yoloSeg = "yolo-seg"
        case yoloOBB = "yolo-obb"
        case yoloPose = "yolo-pose"
        case voc, numpy
    }

    /// `--annotations` values.
    enum Selection: String, ExpressibleByArgument, CaseIterable {
        case latest, all
        case groundTruth = "ground-truth"
    }

    @Option(help: "Output format: png, semantic, coco, yolo, yolo-seg, yolo-obb, yolo-pose, voc or numpy.")
    var to: Format

    @Option(name: .shortAndLong, help: "The output folder (created if needed).")
    var output: String

    @Option(help: "Parallel workers (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Which annotations: latest (per task), all (non-cancelled), ground-truth (default: latest; all with --converter-compatible).")
    var annotations: Selection?

    @Flag(help: "Export predictions too.")
    var predictions = false

    @Option(
        help: ArgumentHelp(
            "The project's labeling config: its XML, or the project JSON holding label_config (class ids as Label Studio numbers them).",
            discussion: "e.g. --config config.xml, or --config project.json from GET /api/projects/{id}"))
    var config: String?

    @Option(help: "Label map JSON: [\"Cat\", \"Dog\"] or {\"Cat\": 1, \"Dog\": 2} (semantic/YOLO class order).")
    var labelMap: String?

    @Option(help: "Polygon fill rule for masks: evenodd or nonzero.")
    var rule: FillRule = .evenOdd

    @Flag(help: "COCO only: reproduce label-studio-converter's values (percent-space rotated boxes, ids from 0, no ellipses or brushes).")
    var converterCompatible = false

    @Flag(help: "Ignore the journal of an earlier run and export everything again.")
    var force = false

    @Option(
        help: ArgumentHelp(
            "Export only share INDEX of COUNT of the tasks (by a hash of the task id), for 'labelkit export merge'.",
            discussion: "e.g. --shard 0/4 (the first of four), --shard $JOB_COMPLETION_INDEX/8 in an Indexed Job",
            valueName: "index/count"))
    var shard: String?

    @Flag(help: "No progress output.")
    var quiet = false

    @Argument(help: "The Label Studio export (JSON array of tasks).")
    var input: String

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if converterCompatible && to != .coco { throw ValidationError("--converter-compatible applies to --to coco") }
        if config != nil && labelMap != nil { throw ValidationError("give --config or --label-map, not both") }
        guard FileManager.default.fileExists(atPath: input) else { throw ValidationError("\(input): no such file") }
        _ = try exportShard()
    }

    /// The `--shard` value, or nil without it.
    func exportShard() throws -> ExportShard? {
        do {
            return try shard.map { (text) throws(FormatsError) in try ExportShard(parsing: text) }
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let format = ExportFormat(rawValue: to.rawValue) ?? .png
        let selection = AnnotationSelection(rawValue: (annotations ?? (converterCompatible ? .all : .latest)).rawValue) ?? .latest
        let options = ExportOptions(
            format: format, selection: selection, includePredictions: predictions, rule: rule,
            converterCompatible: converterCompatible)
        let labelingConfig: LabelingConfig?
        do {
            labelingConfig = try config.map { (path) throws(FormatsError) in try LabelingConfig(contentsOf: path) }
        } catch {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        let pipeline = ExportPipeline(
            input: input, outputDirectory: output, options: options, labelMapFile: labelMap, config: labelingConfig,
            jobs: jobs, force: force, shard: try exportShard())
        var bar = ProgressLine(enabled: !quiet)
        let summary: ExportSummary
        do {
            summary = try await pipeline.run { bar.update($0) }
        } catch {
            bar.finish()
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        bar.finish()
        if !quiet && labelingConfig == nil && labelMap == nil && [.semantic, .coco, .yolo, .yoloSeg, .yoloOBB, .yoloPose].contains(format) {
            FileHandle.standardError.write(
                Data(
                    ("labelkit: no --config: class ids follow the order labels first appear in the input (written to "
                        + (format == .semantic ? "labels.json" : format == .coco ? "coco.json's categories" : "classes.txt")
                        + "); give the project's labeling config for Label Studio's ids\n").utf8))
        }
        ExportReport.printFailures(summary.failures)
        if !quiet {
            ExportReport.print(
                "exported \(summary.exported) tasks (\(summary.regions) regions, \(summary.skippedItems) items without"
                    + " geometry skipped), \(summary.resumed) resumed, \(summary.failed) failed; \(summary.files)"
                    + " files in \(output)"
                    + (pipeline.shard.map { " (shard \($0); then labelkit export merge)" } ?? ""))
        }
        // A shard's failed tasks are the merge's to report: the shard itself is done.
        if summary.failed > 0 && pipeline.shard == nil { throw ExitCode(1) }
    }
}

/// A progress line on stderr: redrawn in place on a terminal, one line every few
/// seconds otherwise.
struct ProgressLine {
    let enabled: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1
    var lastPrint = -Double.infinity

    init(enabled: Bool) { self.enabled = enabled }

    mutating func update(_ p: ExportProgress) {
        guard enabled else { return }
        let interval = isTerminal ? 0.1 : 2.0
        guard p.elapsed - lastPrint >= interval else { return }
        lastPrint = p.elapsed
        let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesRead) / Double(p.bytesTotal)) : 0
        let rate = p.elapsed > 0 ? Double(p.tasksDone) / p.elapsed : 0
        let eta = fraction > 0 ? p.elapsed * (1 - fraction) / fraction : 0
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let text = String(
            format: "[%@] %3.0f%% %d tasks, %.0f tasks/s, ETA %.0fs", bar, fraction * 100, p.tasksDone + p.tasksResumed,
            rate, eta)
        FileHandle.standardError.write(Data((isTerminal ? "\r" + text : text + "\n").utf8))
    }

    func finish() {
        if enabled && isTerminal && lastPrint > -Double.infinity { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
