import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// `semantic`: one class-index PNG per annotation, later regions on top; the
/// classes are 1-based indices of the label map (0 is background).
struct SemanticWriter: TaskWriter {
    let exporter: TaskExporter
    private var mask: Mask?

    init(exporter: TaskExporter) {
        self.exporter = exporter
    }

    mutating func write(_ item: RegionItem, into out: inout TaskOutput) {
        guard let label = item.labels.first, let classIndex = exporter.labels.index(of: label) else { return }
        guard classIndex < 255 else {
            out.fail(
                annotationID: item.annotation.id, regionID: item.regionID,
                "label \"\(label)\" has class \(classIndex + 1), above 255")
            return
        }
        if mask == nil { mask = Mask(width: item.width, height: item.height) }
        if mask!.width == item.width && mask!.height == item.height {
            mask!.fill(item.region.shape, rule: exporter.options.rule, value: UInt8(classIndex + 1))
        }
    }

    mutating func endAnnotation(_ annotation: AnnotationItem, into out: inout TaskOutput) {
        guard let semantic = mask else { return }
        mask = nil
        let file = ExportFileName.make([
            .literal("task-"), .field(.init(out.task.id)), .literal("-annotation-"), .field(.init(annotation.id)),
            .literal("-by-"), .field(.init(annotation.annotation.author)), .literal(".png"),
        ])
        do {
            out.add(file, try PNGCodec.encode(semantic), annotationID: annotation.id, regionID: "")
        } catch {
            out.fail(annotationID: annotation.id, regionID: "", error.message)
        }
    }
}
