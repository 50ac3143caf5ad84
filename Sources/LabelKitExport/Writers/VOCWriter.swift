import Foundation
import LabelKitCore
import LabelKitFormats

/// `voc`: Pascal VOC XML per image (`Annotations/<image>.xml`), one box of the
/// visible region per region of the first annotation.
struct VOCWriter: TaskWriter {
    let exporter: TaskExporter
    private var objects: [VOCDocument.Object] = []

    init(exporter: TaskExporter) {
        self.exporter = exporter
    }

    mutating func write(_ item: RegionItem, into out: inout TaskOutput) {
        guard item.annotation.index == 0,
            let object = exporter.vocObject(item.region, labels: item.labels, width: item.width, height: item.height)
        else { return }
        objects.append(object)
    }

    mutating func endTask(into out: inout TaskOutput) {
        guard let size = out.imageSize else { return }
        let image = TaskExporter.fileName(of: out.task.imageReference)
        let stem = (image as NSString).deletingPathExtension
        let document = VOCDocument(
            filename: image.isEmpty ? "task-\(out.task.id)" : image, width: size.width, height: size.height, depth: 3,
            objects: objects)
        let name = ExportFileName.make([
            .field(.init(stem.isEmpty ? "task-\(out.task.id)" : stem, leading: true)), .literal(".xml"),
        ])
        out.export.files.append(("Annotations/" + name, Array(document.xml.utf8)))
    }
}
