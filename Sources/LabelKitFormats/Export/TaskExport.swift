import Foundation
import LabelKitCore
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

    /// Exports one task.
    public func export(_ task: LabelStudioTask, index: Int) -> TaskExport {
        var out = TaskExport(index: index, taskID: task.id)
        var annotations = options.selection.annotations(of: task, predictions: options.includePredictions)
        if options.converterCompatible {
            // The converter orders annotations by created_at only, newest first.
            annotations = annotations.enumerated().sorted {
                $0.element.createdAt != $1.element.createdAt ? $0.element.createdAt > $1.element.createdAt : $0.offset < $1.offset
            }.map(\.element)
        }
        var cocoAnnotations: [[String: Any]] = []
        var converterImages: [[String: Any]] = []
        // Which region each file comes from: two regions never share a file.
        var writer: [String: String] = [:]
        func add(_ name: String, _ bytes: [UInt8], annotationID: String, regionID: String) {
            if let other = writer[name] {
                out.failures.append(
                    .init(
                        taskID: task.id, annotationID: annotationID, regionID: regionID,
                        message: "file name \"\(name)\" is already written for "
                            + (other.isEmpty ? "another annotation" : "region \"\(other)\"") + " of this task"))
                return
            }
            writer[name] = regionID
            out.files.append((name, bytes))
        }
        var imageSize: (Int, Int)?
        var yoloLines: [String] = []
        var vocObjects: [VOCDocument.Object] = []
        // yolo-pose: the rectangles (id, box line) and the keypoints by parent rectangle and label.
        var poseBoxes: [(id: String, line: String)] = []
        var poseKeypoints: [String: [String: (Double, Double)]] = [:]
        for (k, annotation) in annotations.enumerated() {
            let annotationID = annotation.id ?? (annotation.isPrediction ? "prediction-\(k)" : "\(k)")
            if options.format == .coco && options.converterCompatible {
                // The converter makes one image per annotation, sized by its first labeled result.
                // Results grouped by from_name in order of first appearance, as the converter does.
                var names: [String] = []
                var groups: [String: [[String: Any]]] = [:]
                for r in annotation.result {
                    let name = r["from_name"] as? String ?? ""
                    if groups[name] == nil { names.append(name) }
                    groups[name, default: []].append(r)
                }
                let grouped = names.flatMap { groups[$0] ?? [] }
                let parts = grouped.compactMap { r in ConverterCOCO.annotation(for: r).map { (r, $0) } }
                var cocoParts = parts.map(\.1)
                // With a config that has KeyPointLabels, the keypoints of the annotation become one
                // annotation of the merged category, as Label Studio's COCO export writes them.
                let keypoints = labels.keypointLabels.isEmpty ? [] : grouped.filter(ConverterCOCO.isLabelledKeypoint)
                if !keypoints.isEmpty {
                    guard !labels.keypointOrder.isEmpty else {
                        out.failures.append(
                            .init(
                                taskID: task.id, annotationID: annotationID, regionID: "",
                                message: "keypoints need a model_index on each Label of the config's KeyPointLabels"
                                    + " (their order in COCO), as Label Studio's COCO export does"))
                        continue
                    }
                    cocoParts.append(ConverterCOCO.keypointAnnotation(keypoints, order: labels.keypointOrder))
                }
                out.regions += parts.count + keypoints.count
                out.skipped += annotation.result.count - parts.count - keypoints.count
                let sized = grouped.first { ConverterCOCO.annotation(for: $0) != nil || (!keypoints.isEmpty && ConverterCOCO.isLabelledKeypoint($0)) }
                if let first = sized {
                    converterImages.append([
                        "image": [
                            "file_name": task.imageReference, "width": JSONNumber.integer(first["original_width"]) ?? 0,
                            "height": JSONNumber.integer(first["original_height"]) ?? 0,
                        ] as [String: Any],
                        "annotations": cocoParts,
                    ])
                }
                continue
            }
            var counters: [String: Int] = [:]
            var semantic: Mask?
            for result in annotation.result {
                guard LabelStudioRegion.kind(of: result) != nil else {
                    out.skipped += 1
                    continue
                }
                let regionID = (result["id"] as? String) ?? (result["id"] as? NSNumber)?.stringValue ?? "?"
                if options.format == .png, let png = brushPNG(result) {
                    // Brush straight from its RLE runs to a PNG, never building the mask.
                    out.regions += 1
                    add(
                        layerFileName(task, annotationID, annotation, result, &counters), png,
                        annotationID: annotationID, regionID: regionID)
                    continue
                }
                let region: Region
                do {
                    region = try LabelStudioRegion.region(from: result)
                } catch {
                    out.failures.append(
                        .init(taskID: task.id, annotationID: annotationID, regionID: regionID, message: error.message))
                    continue
                }
                let width = JSONNumber.integer(result["original_width"]) ?? 0
                let height = JSONNumber.integer(result["original_height"]) ?? 0
                if imageSize == nil { imageSize = (width, height) }
                let names = Self.labelNames(of: result)
                // Keypoints of a pose export are not classes: only its rectangles need one.
                let needsClass =
                    options.format != .png && options.format != .numpy
                    && (options.format != .yoloPose || region.shape.isRectangle)
                if labels.isFixed, needsClass, let unknown = names.first(where: { labels.index(of: $0) == nil }) {
                    out.failures.append(
                        .init(
                            taskID: task.id, annotationID: annotationID, regionID: regionID,
                            message: "label \"\(unknown)\" is not in the " + labels.origin))
                    continue
                }
                out.regions += 1
                switch options.format {
                case .png:
                    let file = layerFileName(task, annotationID, annotation, result, &counters)
                    do {
                        add(
                            file, try PNGCodec.encode(mask(of: region, width, height)), annotationID: annotationID,
                            regionID: regionID)
                    } catch {
                        out.failures.append(
                            .init(taskID: task.id, annotationID: annotationID, regionID: regionID, message: error.message))
                    }
                case .semantic:
                    guard let label = names.first, let classIndex = labels.index(of: label) else { continue }
                    guard classIndex < 255 else {
                        out.failures.append(
                            .init(
                                taskID: task.id, annotationID: annotationID, regionID: regionID,
                                message: "label \"\(label)\" has class \(classIndex + 1), above 255"))
                        continue
                    }
                    if semantic == nil { semantic = Mask(width: width, height: height) }
                    if semantic!.width == width && semantic!.height == height {
                        semantic!.fill(region.shape, rule: options.rule, value: UInt8(classIndex + 1))
                    }
                case .coco:
                    if let annotation = cocoAnnotation(region, labels: names, width: width, height: height) {
                        cocoAnnotations.append(annotation)
                    }
                case .yolo, .yoloSeg, .yoloOBB:
                    if k == 0 { yoloLines += self.yoloLines(region, labels: names, width: width, height: height) }
                case .yoloPose:
                    guard k == 0 else { continue }
                    if region.shape.isRectangle, let line = self.yoloLines(region, labels: names, width: width, height: height).first {
                        poseBoxes.append((regionID, line))
                    } else if case .keypoint = region.shape, let parent = result["parentID"] as? String,
                        let label = names.first, let value = result["value"] as? [String: Any],
                        let x = JSONNumber.finite(value["x"]), let y = JSONNumber.finite(value["y"])
                    {
                        poseKeypoints[parent, default: [:]][label] = (x / 100, y / 100)
                    }
                case .voc:
                    if k == 0, let object = vocObject(region, labels: names, width: width, height: height) {
                        vocObjects.append(object)
                    }
                case .numpy:
                    // Brush layers only, as Label Studio's BRUSH_TO_NUMPY: the stored alpha, height x width.
                    guard case .mask(let alpha) = region.shape, LabelStudioRegion.kind(of: result) == .brush else {
                        continue
                    }
                    add(
                        layerFileName(task, annotationID, annotation, result, &counters, extension: "npy"),
                        NPYFile.bytes(of: alpha), annotationID: annotationID, regionID: regionID)
                }
            }
            if let semantic {
                let file = ExportFileName.make([
                    .literal("task-"), .field(.init(task.id)), .literal("-annotation-"), .field(.init(annotationID)),
                    .literal("-by-"), .field(.init(annotation.author)), .literal(".png"),
                ])
                do {
                    add(file, try PNGCodec.encode(semantic), annotationID: annotationID, regionID: "")
                } catch {
                    out.failures.append(
                        .init(taskID: task.id, annotationID: annotationID, regionID: "", message: error.message))
                }
            }
        }
        if options.format == .coco && options.converterCompatible {
            out.coco = ["converterImages": converterImages]
        } else if options.format == .coco, let (w, h) = imageSize ?? Optional((0, 0)) {
            out.coco = [
                "image": ["file_name": Self.fileName(of: task.imageReference), "width": w, "height": h, "task": task.id]
                    as [String: Any],
                "annotations": cocoAnnotations,
            ]
        }
        for box in poseBoxes {
            // Each keypoint of the config's order: "x y 2" when this box has it, else "0.0 0.0 0".
            let points = labels.keypointOrder.map { label in
                poseKeypoints[box.id]?[label].map { "\($0.0) \($0.1) 2" } ?? "0.0 0.0 0"
            }
            yoloLines.append(([box.line] + points).joined(separator: " "))
        }
        if options.format.isYOLO {
            let stem = (Self.fileName(of: task.imageReference) as NSString).deletingPathExtension
            let text = yoloLines.isEmpty ? "" : yoloLines.joined(separator: "\n") + "\n"
            let name = ExportFileName.make([
                .field(.init(stem.isEmpty ? "task-\(task.id)" : stem, leading: true)), .literal(".txt"),
            ])
            out.files.append(("labels/" + name, Array(text.utf8)))
        }
        if options.format == .voc, let (w, h) = imageSize {
            let image = Self.fileName(of: task.imageReference)
            let stem = (image as NSString).deletingPathExtension
            let document = VOCDocument(
                filename: image.isEmpty ? "task-\(task.id)" : image, width: w, height: h, depth: 3, objects: vocObjects)
            let name = ExportFileName.make([
                .field(.init(stem.isEmpty ? "task-\(task.id)" : stem, leading: true)), .literal(".xml"),
            ])
            out.files.append(("Annotations/" + name, Array(document.xml.utf8)))
        }
        if !out.failures.isEmpty { out.files = [] }
        return out
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
        if let range = text.range(of: "?d=") { text = String(text[range.upperBound...]) }
        else if let q = text.firstIndex(of: "?") { text = String(text[..<q]) }
        let last = text.split(separator: "/").last.map(String.init) ?? text
        return last.removingPercentEncoding ?? last
    }
}
