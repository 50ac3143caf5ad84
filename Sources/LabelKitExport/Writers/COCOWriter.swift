import LabelKitCore
import LabelKitFormats
import LabelKitJSON

/// `coco`: the task's image and its annotations, merged into one `coco.json` by
/// the pipeline (categories resolved there). Each region is described by what is
/// visible inside the image. With `--converter-compatible`, each annotation is
/// written as label-studio-converter writes it: one image per annotation, sized
/// by its first labeled result, with the converter's values.
struct COCOWriter: TaskWriter {
    let exporter: TaskExporter
    private var annotations: [[String: Any]] = []
    private var converterImages: [[String: Any]] = []

    init(exporter: TaskExporter) {
        self.exporter = exporter
    }

    mutating func writeWhole(_ item: AnnotationItem, into out: inout TaskOutput) -> Bool {
        guard exporter.options.converterCompatible else { return false }
        // Results grouped by from_name in order of first appearance, as the converter does.
        var names: [String] = []
        var groups: [String: [[String: Any]]] = [:]
        for r in item.annotation.result {
            let name = r["from_name"] as? String ?? ""
            if groups[name] == nil { names.append(name) }
            groups[name, default: []].append(r)
        }
        let grouped = names.flatMap { groups[$0] ?? [] }
        let parts = grouped.compactMap { r in ConverterCOCO.annotation(for: r).map { (r, $0) } }
        var cocoParts = parts.map(\.1)
        // With a config that has KeyPointLabels, the keypoints of the annotation become one
        // annotation of the merged category, as Label Studio's COCO export writes them.
        let labels = exporter.labels
        let keypoints = labels.keypointLabels.isEmpty ? [] : grouped.filter(ConverterCOCO.isLabelledKeypoint)
        if !keypoints.isEmpty {
            guard !labels.keypointOrder.isEmpty else {
                out.fail(
                    annotationID: item.id, regionID: "",
                    "keypoints need a model_index on each Label of the config's KeyPointLabels"
                        + " (their order in COCO), as Label Studio's COCO export does")
                return true
            }
            cocoParts.append(ConverterCOCO.keypointAnnotation(keypoints, order: labels.keypointOrder))
        }
        out.export.regions += parts.count + keypoints.count
        out.export.skipped += item.annotation.result.count - parts.count - keypoints.count
        let sized = grouped.first {
            ConverterCOCO.annotation(for: $0) != nil || (!keypoints.isEmpty && ConverterCOCO.isLabelledKeypoint($0))
        }
        if let first = sized {
            converterImages.append([
                "image": [
                    "file_name": out.task.imageReference, "width": JSONNumber.integer(first["original_width"]) ?? 0,
                    "height": JSONNumber.integer(first["original_height"]) ?? 0,
                ] as [String: Any],
                "annotations": cocoParts,
            ])
        }
        return true
    }

    mutating func write(_ item: RegionItem, into out: inout TaskOutput) {
        if let annotation = exporter.cocoAnnotation(
            item.region, labels: item.labels, width: item.width, height: item.height)
        {
            annotations.append(annotation)
        }
    }

    mutating func endTask(into out: inout TaskOutput) {
        if exporter.options.converterCompatible {
            out.export.coco = ["converterImages": converterImages]
            return
        }
        let size = out.imageSize ?? (0, 0)
        out.export.coco = [
            "image": [
                "file_name": TaskExporter.fileName(of: out.task.imageReference), "width": size.width,
                "height": size.height, "task": out.task.id,
            ] as [String: Any],
            "annotations": annotations,
        ]
    }
}
