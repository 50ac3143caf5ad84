import Foundation

/// A new task as the command line (`labelkit frames create`) and the HTTP API
/// (`POST /frames/tasks`) describe it: which frames, in what order and units, and
/// the label-stream settings. Both front ends build one and ``run(on:)`` it.
public struct TaskRequest: Sendable {
    /// The task id (default: a new UUID).
    public var id: String?
    /// The frames selected (every condition must hold).
    public var filter: FrameFilter
    /// Frames per clip; 1 = single frames.
    public var clipLength: Int
    /// A larger gap between consecutive frames also ends a clip.
    public var maxGapMs: Int64?
    /// Order, limit, epochs and the worker split of plain streams.
    public var plan: IterationPlan
    /// The order's seed (generated and stored when nil).
    public var seed: UInt64?
    /// The label stream's settings.
    public var label: LabelSettings

    /// A request from typed values.
    public init(
        id: String? = nil, filter: FrameFilter = .all, clipLength: Int = 1, maxGapMs: Int64? = nil,
        plan: IterationPlan = IterationPlan(), seed: UInt64? = nil, label: LabelSettings = LabelSettings()
    ) {
        self.id = id
        self.filter = filter
        self.clipLength = clipLength
        self.maxGapMs = maxGapMs
        self.plan = plan
        self.seed = seed
        self.label = label
    }

    /// The selection of the command line's filter flags: `--filter empty`, each
    /// `--label`, `--without-label` and `--where` condition, `--context`,
    /// `--source-prefix`, all required at once.
    ///
    /// - Throws: ``FrameStore/StoreError/invalidPlan(_:)`` naming a malformed condition.
    public static func selection(
        emptyOnly: Bool = false, labels: [String] = [], withoutLabels: [String] = [], conditions: [String] = [],
        context: String? = nil, sourcePrefix: String? = nil
    ) throws(FrameStore.StoreError) -> FrameFilter {
        var filters: [FrameFilter] = emptyOnly ? [.empty] : []
        filters += labels.map { .label($0, present: true) }
        filters += withoutLabels.map { .label($0, present: false) }
        for condition in conditions { filters.append(try FrameFilter.condition(condition).get()) }
        if let context { filters.append(.context(context)) }
        if let sourcePrefix { filters.append(.sourcePrefix(sourcePrefix)) }
        return .allOf(filters)
    }

    /// Reads the HTTP API's body: `{"id", "filter": "all"|"empty", "labels",
    /// "without_labels", "where", "context", "source_prefix", "order", "seed",
    /// "limit", "infinite", "clip", "max_gap_ms", "worker", "workers", "overlap",
    /// "cohort", "skip_mode", "lock_ttl", "breadth_first", "annotator_order"}`, all
    /// optional, named as the command line's flags. Numbers and booleans are read
    /// strictly (``JSONNumber``).
    ///
    /// - Throws: ``JSONError`` naming the byte at fault;
    ///   ``FrameStore/StoreError/invalidRequest(_:)`` naming the field.
    public init(json body: Data) throws {
        typealias StoreError = FrameStore.StoreError
        let fields = try RequestFields(body: body)
        let filterName = try fields.string("filter") ?? "all"
        guard ["all", "empty"].contains(filterName) else {
            throw StoreError.invalidRequest("\"filter\": \"\(filterName)\" is not all or empty")
        }
        let filter = try Self.selection(
            emptyOnly: filterName == "empty", labels: try fields.strings("labels"),
            withoutLabels: try fields.strings("without_labels"), conditions: try fields.strings("where"),
            context: try fields.string("context"), sourcePrefix: try fields.string("source_prefix"))
        let orderText = try fields.string("order") ?? "sequential"
        guard let order = IterationPlan.Order(rawValue: orderText) else {
            throw StoreError.invalidRequest("\"order\": \"\(orderText)\" is not sequential, random or shuffle")
        }
        var seed: UInt64?
        if let text = fields.object["seed"] as? String {
            guard let value = UInt64(text) else {
                throw StoreError.invalidRequest("\"seed\" must be an unsigned 64-bit integer")
            }
            seed = value
        } else if let value = try fields.integer("seed") {
            guard value >= 0 else { throw StoreError.invalidRequest("\"seed\" must be a non-negative integer") }
            seed = UInt64(value)
        }
        var label = LabelSettings()
        label.overlap = try fields.integer("overlap") ?? 1
        label.cohortPercent = try fields.number("cohort") ?? 100
        if let mode = try fields.string("skip_mode") {
            guard let parsed = LabelSettings.SkipMode(name: mode) else {
                throw StoreError.invalidRequest(
                    "\"skip_mode\": \"\(mode)\" is not requeue-for-others, requeue-for-me or ignore-skipped")
            }
            label.skipMode = parsed
        }
        label.lockTTLSeconds = try fields.number("lock_ttl") ?? 3600
        label.breadthFirst = try fields.flag("breadth_first") ?? false
        if let text = try fields.string("annotator_order") {
            guard let parsed = LabelSettings.AnnotatorOrder(rawValue: text) else {
                throw StoreError.invalidRequest("\"annotator_order\": \"\(text)\" is not shared or independent")
            }
            label.annotatorOrder = parsed
        }
        let plan = IterationPlan(
            order: order, limit: try fields.integer("limit"), infinite: try fields.flag("infinite") ?? false,
            worker: try fields.integer("worker") ?? 0, workers: try fields.integer("workers") ?? 1)
        self.init(
            id: try fields.string("id"), filter: filter, clipLength: try fields.integer("clip") ?? 1,
            maxGapMs: try fields.integer("max_gap_ms").map { Int64($0) }, plan: plan, seed: seed, label: label)
    }

    /// Snapshots the selection and stores the task.
    ///
    /// - Throws: ``FrameStore/StoreError`` (a duplicate id, an invalid plan or setting).
    public func run(on store: FrameStore) throws -> FrameStore.TaskInfo {
        try store.createTask(
            id: id, filter: filter, clipLength: clipLength, maxGapMs: maxGapMs, plan: plan, seed: seed, label: label)
    }
}
