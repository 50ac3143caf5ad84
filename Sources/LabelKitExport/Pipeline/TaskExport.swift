import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// What exporting one task produced: files to write, COCO and YOLO parts, and the
/// regions that could not be exported.
public struct TaskExport: @unchecked Sendable {
    /// A region that failed, with everything needed to find it.
    public struct Failure: Sendable, Equatable {
        public var taskID: String
        public var annotationID: String
        public var regionID: String
        public var message: String

        /// `{"task", "annotation", "region", "error"}` as one JSON line.
        public var jsonLine: String {
            let object: [String: String] = [
                "task": taskID, "annotation": annotationID, "region": regionID, "error": message,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// The task's position in the export file.
    public var index: Int
    /// The task id.
    public var taskID: String
    /// Output files: name relative to the output folder, and bytes.
    public var files: [(name: String, bytes: [UInt8])] = []
    /// The COCO image and annotations of this task (category names unresolved).
    public var coco: [String: Any]?
    /// Items skipped because they have no image geometry (text, choices, ...).
    public var skipped = 0
    /// Regions exported.
    public var regions = 0
    /// Failures; a task with failures writes nothing.
    public var failures: [Failure] = []
}
