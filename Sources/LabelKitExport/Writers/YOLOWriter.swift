import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// The YOLO formats (`yolo`, `yolo-seg`, `yolo-obb`, `yolo-pose`): one
/// `labels/<image>.txt` per task from its first annotation (empty when it has
/// no regions). Pose lines are a rectangle's box followed by its keypoints in the
/// config's order.
struct YOLOWriter: TaskWriter {
    let exporter: TaskExporter
    private var lines: [String] = []
    /// yolo-pose: the rectangles (id, box line) and the keypoints by parent rectangle and label.
    private var poseBoxes: [(id: String, line: String)] = []
    private var poseKeypoints: [String: [String: (Double, Double)]] = [:]

    init(exporter: TaskExporter) {
        self.exporter = exporter
    }

    private var isPose: Bool { exporter.options.format == .yoloPose }

    /// Keypoints of a pose export are not classes: only its rectangles need one.
    func needsClass(_ region: Region) -> Bool { !isPose || region.shape.isRectangle }

    mutating func write(_ item: RegionItem, into out: inout TaskOutput) {
        guard item.annotation.index == 0 else { return }
        let region = item.region
        guard isPose else {
            lines += exporter.yoloLines(region, labels: item.labels, width: item.width, height: item.height)
            return
        }
        if region.shape.isRectangle,
            let line = exporter.yoloLines(region, labels: item.labels, width: item.width, height: item.height).first
        {
            poseBoxes.append((item.regionID, line))
        } else if case .keypoint = region.shape, let parent = item.result["parentID"] as? String,
            let label = item.labels.first, let value = item.result["value"] as? [String: Any],
            let x = JSONNumber.finite(value["x"]), let y = JSONNumber.finite(value["y"])
        {
            poseKeypoints[parent, default: [:]][label] = (x / 100, y / 100)
        }
    }

    mutating func endTask(into out: inout TaskOutput) {
        for box in poseBoxes {
            // Each keypoint of the config's order: "x y 2" when this box has it, else "0.0 0.0 0".
            let points = exporter.labels.keypointOrder.map { label in
                poseKeypoints[box.id]?[label].map { "\($0.0) \($0.1) 2" } ?? "0.0 0.0 0"
            }
            lines.append(([box.line] + points).joined(separator: " "))
        }
        let stem = (TaskExporter.fileName(of: out.task.imageReference) as NSString).deletingPathExtension
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        let name = ExportFileName.make([
            .field(.init(stem.isEmpty ? "task-\(out.task.id)" : stem, leading: true)), .literal(".txt"),
        ])
        out.export.files.append(("labels/" + name, Array(text.utf8)))
    }
}
