import LabelKitCore
import LabelKitFormats

/// What an export writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One 8-bit mask PNG per region, named as label-studio-converter names brush layers.
    case png
    /// One class-index PNG per annotation (later regions on top) and `labels.json`.
    case semantic
    /// One COCO instances JSON, `coco.json`.
    case coco
    /// YOLO boxes: `labels/<image>.txt` and `classes.txt`.
    case yolo
    /// YOLO segmentation polygons.
    case yoloSeg = "yolo-seg"
    /// YOLO oriented boxes (4 corners).
    case yoloOBB = "yolo-obb"
    /// YOLO pose: rectangle boxes followed by their keypoints (Label Studio's YOLO
    /// export for configs with KeyPointLabels); needs the labeling config.
    case yoloPose = "yolo-pose"
    /// Pascal VOC XML per image (`Annotations/<image>.xml`), one box per region.
    case voc
    /// One `.npy` per brush layer, as Label Studio's BRUSH_TO_NUMPY export.
    case numpy

    /// True for the YOLO formats (label files under `labels/`, `classes.txt`).
    public var isYOLO: Bool { self == .yolo || self == .yoloSeg || self == .yoloOBB || self == .yoloPose }
}

/// Settings of one export run.
public struct ExportOptions: Sendable {
    /// The output format.
    public var format: ExportFormat
    /// Which annotations of each task.
    public var selection: AnnotationSelection
    /// Whether predictions are exported too.
    public var includePredictions: Bool
    /// The polygon fill rule for masks.
    public var rule: FillRule
    /// Vertices of the polygon written for an ellipse in COCO / YOLO-seg.
    public var ellipseVertices: Int
    /// COCO only: reproduce label-studio-converter's `convert_to_coco` values
    /// (one image per annotation, ids from 0, categories sorted by name from 0,
    /// rectangles as the converter's percent-space rotated box with empty
    /// segmentation, polygons only, ellipses and brushes left out).
    public var converterCompatible: Bool

    /// Creates options.
    public init(
        format: ExportFormat, selection: AnnotationSelection = .latest, includePredictions: Bool = false,
        rule: FillRule = .evenOdd, ellipseVertices: Int = 64, converterCompatible: Bool = false
    ) {
        self.format = format
        self.selection = selection
        self.includePredictions = includePredictions
        self.rule = rule
        self.ellipseVertices = ellipseVertices
        self.converterCompatible = converterCompatible
    }

    /// A text that changes whenever the output would change (stored in the journal).
    var fingerprint: String {
        "\(format.rawValue)|\(selection.rawValue)|\(includePredictions)|\(rule.rawValue)|\(ellipseVertices)"
            + (converterCompatible ? "|converter" : "")
    }
}
