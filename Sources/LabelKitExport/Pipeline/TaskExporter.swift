import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// Exports single tasks; pure (no I/O), so tasks run in parallel.
public struct TaskExporter: Sendable {
    /// The settings.
    public let options: ExportOptions
    /// Label indices (complete for every label of the tasks handed in).
    public let labels: LabelMap

    /// Creates an exporter.
    public init(options: ExportOptions, labels: LabelMap) {
        self.options = options
        self.labels = labels
    }

    /// The label names of a result (its `<type>` list, else `labels`).
    public static func labelNames(of result: [String: Any]) -> [String] {
        labelList(of: result) ?? []
    }

    /// The label list of a result, or nil when it has no label key at all (the
    /// converter names such layers `no_label`, but an empty list ``).
    static func labelList(of result: [String: Any]) -> [String]? {
        let value = result["value"] as? [String: Any] ?? [:]
        let type = (result["type"] as? String ?? "").lowercased()
        return (value[type] as? [String]) ?? (value["labels"] as? [String])
    }

    /// Exports one task with the writer of the chosen format.
    public func export(_ task: LabelStudioTask, index: Int) -> TaskExport {
        switch options.format {
        case .png: return export(task, index: index, with: PNGLayerWriter(exporter: self))
        case .semantic: return export(task, index: index, with: SemanticWriter(exporter: self))
        case .coco: return export(task, index: index, with: COCOWriter(exporter: self))
        case .yolo, .yoloSeg, .yoloOBB, .yoloPose: return export(task, index: index, with: YOLOWriter(exporter: self))
        case .voc: return export(task, index: index, with: VOCWriter(exporter: self))
        case .numpy: return export(task, index: index, with: NumpyWriter(exporter: self))
        }
    }

    /// Walks the task's selected annotations and their regions once, handing each
    /// to `writer`: results without image geometry are skipped, regions that do
    /// not parse or carry a label the fixed map lacks become failures, and a task
    /// with any failure writes no file.
    func export<Writer: TaskWriter>(_ task: LabelStudioTask, index: Int, with writer: Writer) -> TaskExport {
        var writer = writer
        var out = TaskOutput(task: task, index: index)
        var annotations = options.selection.annotations(of: task, predictions: options.includePredictions)
        if options.converterCompatible {
            // The converter orders annotations by created_at only, newest first.
            annotations = annotations.enumerated().sorted {
                $0.element.createdAt != $1.element.createdAt
                    ? $0.element.createdAt > $1.element.createdAt : $0.offset < $1.offset
            }.map(\.element)
        }
        for (k, annotation) in annotations.enumerated() {
            let item = AnnotationItem(
                annotation: annotation, index: k,
                id: annotation.id ?? (annotation.isPrediction ? "prediction-\(k)" : "\(k)"))
            if writer.writeWhole(item, into: &out) { continue }
            out.layerCounters = [:]
            for result in annotation.result {
                guard LabelStudioRegion.kind(of: result) != nil else {
                    out.export.skipped += 1
                    continue
                }
                let regionID = (result["id"] as? String) ?? (result["id"] as? NSNumber)?.stringValue ?? "?"
                if writer.writeRaw(result, regionID: regionID, of: item, into: &out) { continue }
                let region: Region
                do {
                    region = try LabelStudioRegion.region(from: result)
                } catch {
                    out.fail(annotationID: item.id, regionID: regionID, error.message)
                    continue
                }
                let width = JSONNumber.integer(result["original_width"]) ?? 0
                let height = JSONNumber.integer(result["original_height"]) ?? 0
                if out.imageSize == nil { out.imageSize = (width, height) }
                let names = Self.labelNames(of: result)
                if labels.isFixed, writer.needsClass(region),
                    let unknown = names.first(where: { labels.index(of: $0) == nil })
                {
                    out.fail(
                        annotationID: item.id, regionID: regionID, "label \"\(unknown)\" is not in the " + labels.origin
                    )
                    continue
                }
                out.export.regions += 1
                writer.write(
                    RegionItem(
                        annotation: item, result: result, regionID: regionID, region: region, labels: names,
                        width: width,
                        height: height),
                    into: &out)
            }
            writer.endAnnotation(item, into: &out)
        }
        writer.endTask(into: &out)
        if !out.export.failures.isEmpty { out.export.files = [] }
        return out.export
    }

    /// The layer file name label-studio-converter gives a region:
    /// `task-{id}-annotation-{aid}-by-{author}-{from_name}-{labels}-{n}.png`, `n`
    /// counting per from_name and labels within the annotation.
    ///
    /// Ordinary text is kept byte for byte; fields that cannot be file names are
    /// sanitised and long names shortened as ``ExportFileName`` describes. `n`
    /// counts per sanitised `{from_name}-{labels}`, so two regions of an annotation
    /// never get one name, even when their labels sanitise to the same text.
    func layerFileName(
        _ task: LabelStudioTask, _ annotationID: String, _ annotation: LabelStudioTask.Annotation,
        _ result: [String: Any], _ counters: inout [String: Int], extension fileExtension: String = "png"
    ) -> String {
        let fromName = ExportFileName.Field(result["from_name"] as? String ?? "")
        let labels = ExportFileName.Field(joining: Self.labelList(of: result) ?? ["no_label"], separator: "-")
        let key = fromName.text + "-" + labels.text
        let n = counters[key, default: 0]
        counters[key] = n + 1
        return ExportFileName.make([
            .literal("task-"), .field(.init(task.id)), .literal("-annotation-"), .field(.init(annotationID)),
            .literal("-by-"), .field(.init(annotation.author)), .literal("-"), .field(fromName), .literal("-"),
            .field(labels), .literal("-\(n).\(fileExtension)"),
        ])
    }

    /// The PNG of a well-formed brush result, from its RLE runs (the mask is built
    /// from the runs only when they are too many for the run writer); nil sends the
    /// result down the general path, which reports the error.
    func brushPNG(_ result: [String: Any]) -> [UInt8]? {
        guard LabelStudioRegion.kind(of: result) == .brush, let value = result["value"] as? [String: Any],
            let width = JSONNumber.integer(result["original_width"]),
            let height = JSONNumber.integer(result["original_height"]),
            let rle = try? JSONFields.bytes(value["rle"], field: "rle"),
            let runs = try? LabelStudioRLE.decodeRuns(rle, width: width, height: height)
        else { return nil }
        return PNGCodec.encodeMask(runs: runs, width: width, height: height)
            ?? (try? PNGCodec.encode(Mask(width: width, height: height, runs: runs)))
    }

    func mask(of region: Region, _ width: Int, _ height: Int) -> Mask {
        if case .mask(let m) = region.shape { return m }  // brush alpha as stored, like the converter
        var mask = Mask(width: width, height: height)
        mask.fill(region.shape, rule: options.rule)
        return mask
    }

    /// The last path component of an image reference (URL or Label Studio path),
    /// percent-decoded, without the query.
    static func fileName(of reference: String) -> String {
        var text = reference
        if let range = text.range(of: "?d=") {
            text = String(text[range.upperBound...])
        } else if let q = text.firstIndex(of: "?") {
            text = String(text[..<q])
        }
        let last = text.split(separator: "/").last.map(String.init) ?? text
        return last.removingPercentEncoding ?? last
    }
}
