import LabelKitCore
import LabelKitFormats

/// One output format's part of exporting a task. ``TaskExporter`` walks the
/// task's annotations and their regions once and hands each step to the writer
/// of the chosen format; the writer decides what the step produces.
///
/// Every hook but ``write(_:into:)`` has a default that does nothing.
protocol TaskWriter {
    /// Whether `region` must have a class in a fixed label map (a config or `--label-map`).
    func needsClass(_ region: Region) -> Bool
    /// Writes a whole annotation without reading its regions; true when done.
    mutating func writeWhole(_ annotation: AnnotationItem, into out: inout TaskOutput) -> Bool
    /// Writes a result before it is read as a region (a fast path); true when done.
    mutating func writeRaw(
        _ result: [String: Any], regionID: String, of annotation: AnnotationItem, into out: inout TaskOutput
    )
        -> Bool
    /// Writes one region of an annotation.
    mutating func write(_ item: RegionItem, into out: inout TaskOutput)
    /// Called after the last region of an annotation.
    mutating func endAnnotation(_ annotation: AnnotationItem, into out: inout TaskOutput)
    /// Called after the last annotation of the task.
    mutating func endTask(into out: inout TaskOutput)
}

extension TaskWriter {
    func needsClass(_ region: Region) -> Bool { true }
    mutating func writeWhole(_ annotation: AnnotationItem, into out: inout TaskOutput) -> Bool { false }
    mutating func writeRaw(
        _ result: [String: Any], regionID: String, of annotation: AnnotationItem, into out: inout TaskOutput
    )
        -> Bool
    { false }
    mutating func endAnnotation(_ annotation: AnnotationItem, into out: inout TaskOutput) {}
    mutating func endTask(into out: inout TaskOutput) {}
}

/// An annotation (or prediction) of the task being exported.
struct AnnotationItem {
    /// The annotation.
    let annotation: LabelStudioTask.Annotation
    /// Its position among the exported annotations (0: the one YOLO and VOC write).
    let index: Int
    /// Its id, or a stand-in naming its position.
    let id: String
}

/// One region read from a result, with what every writer needs to place it.
struct RegionItem {
    /// The annotation it belongs to.
    let annotation: AnnotationItem
    /// The result as stored.
    let result: [String: Any]
    /// The result's id (`?` when it has none).
    let regionID: String
    /// The geometry.
    let region: Region
    /// Its label names.
    let labels: [String]
    /// The image size the result states.
    let width: Int
    let height: Int
}

/// What a task's export has produced so far, with the checks every writer shares.
struct TaskOutput {
    /// The task.
    let task: LabelStudioTask
    /// The result being built.
    var export: TaskExport
    /// The image size of the first region read.
    var imageSize: (width: Int, height: Int)?
    /// Layer numbers per `{from_name}-{labels}` within the current annotation.
    var layerCounters: [String: Int] = [:]
    /// Which region wrote each file: two regions never share a file.
    private var owners: [String: String] = [:]

    init(task: LabelStudioTask, index: Int) {
        self.task = task
        export = TaskExport(index: index, taskID: task.id)
    }

    /// Adds a file, or a failure when another region of the task wrote that name.
    mutating func add(_ name: String, _ bytes: [UInt8], annotationID: String, regionID: String) {
        if let other = owners[name] {
            fail(
                annotationID: annotationID, regionID: regionID,
                "file name \"\(name)\" is already written for "
                    + (other.isEmpty ? "another annotation" : "region \"\(other)\"") + " of this task")
            return
        }
        owners[name] = regionID
        export.files.append((name, bytes))
    }

    /// Records a failure of one region (or, with an empty region id, of an annotation).
    mutating func fail(annotationID: String, regionID: String, _ message: String) {
        export.failures.append(.init(taskID: task.id, annotationID: annotationID, regionID: regionID, message: message))
    }
}
