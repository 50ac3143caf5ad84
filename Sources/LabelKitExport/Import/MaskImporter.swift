import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// Turns mask PNGs into Label Studio tasks with `brushlabels` results (RLE of a
/// 0/255 mask, as label-studio-converter's `image2annotation` writes), ready to
/// import as annotations or predictions.
///
/// File names written by `labelkit export --to png` (and label-studio-converter's
/// brush export), `task-{id}-annotation-{aid}-by-{who}-{from_name}-{labels}-{n}.png`,
/// are parsed back: masks of one task become one task, masks of one annotation one
/// annotation, with `from_name` and labels restored (the first dash-separated part
/// after the author is the `from_name`, the rest up to the counter the labels).
/// Any other PNG becomes its own task, labelled `defaultLabel`.
public struct MaskImporter: Sendable {
    /// Whether results go into `annotations` or `predictions`.
    public enum Target: String, Sendable, CaseIterable {
        case annotations, predictions
    }

    /// Annotations or predictions.
    public var target: Target
    /// The label for masks whose name carries none.
    public var defaultLabel: String
    /// The `from_name` for masks whose name carries none.
    public var fromName: String
    /// The `to_name` of every result.
    public var toName: String
    /// Prefix of `data.image` for masks that are not export-named.
    public var imageRoot: String
    /// Luma above this value is inside (image2rle uses 128).
    public var threshold: UInt8
    /// The project's labeling config: when set, each result takes the from_name
    /// and to_name of the config's control for its type, and its labels must be
    /// that control's.
    public var config: LabelingConfig?
    /// A folder of the images the masks belong to: a mask that is not export-named
    /// then points at the image of the same stem (`astronaut.png` -> `astronaut.jpg`).
    public var imagesFolder: String?

    /// Creates an importer.
    public init(
        target: Target = .annotations, defaultLabel: String = "Mask", fromName: String = "tag",
        toName: String = "image", imageRoot: String = "/data/local-files/?d=", threshold: UInt8 = 128
    ) {
        self.target = target
        self.defaultLabel = defaultLabel
        self.fromName = fromName
        self.toName = toName
        self.imageRoot = imageRoot
        self.threshold = threshold
    }

    /// The parts of an export-style mask file name.
    struct ExportName: Equatable {
        var taskID: String
        var annotationID: String
        var author: String
        var fromName: String
        var labels: [String]
        var counter: Int

        init?(_ fileName: String) {
            guard fileName.hasSuffix(".png"), fileName.hasPrefix("task-") else { return nil }
            let stem = String(fileName.dropFirst(5).dropLast(4))
            guard let a = stem.range(of: "-annotation-"), let b = stem.range(of: "-by-", range: a.upperBound..<stem.endIndex)
            else { return nil }
            taskID = String(stem[..<a.lowerBound])
            annotationID = String(stem[a.upperBound..<b.lowerBound])
            let rest = stem[b.upperBound...].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            // author, from_name, labels..., counter
            guard rest.count >= 4, let n = Int(rest[rest.count - 1]) else { return nil }
            author = rest[0]
            fromName = rest[1]
            labels = Array(rest[2..<(rest.count - 1)])
            counter = n
        }
    }

    /// Builds tasks from the PNG files of a folder (sorted by name).
    ///
    /// - Throws: ``FormatsError`` naming the file that is not a readable PNG.
    public func tasks(fromFolder folder: String) throws(FormatsError) -> [[String: Any]] {
        let names: [String]
        do {
            // Numeric-aware order, so layer -10 comes after -9 and counters are restored in order.
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.lowercased().hasSuffix(".png") }
                .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        } catch {
            throw FormatsError(.invalidField, "\(folder): cannot list: \(error.localizedDescription)")
        }
        var grouped: [(key: String, annotations: [(id: String, author: String, results: [[String: Any]])])] = []
        var position: [String: Int] = [:]
        var ids = RegionIDGenerator(seed: 0x4C4B)
        for name in names {
            let mask = try readMask(folder + "/" + name)
            let parsed = ExportName(name)
            // "no_label" marks a region without a label key (a bare brush); "" an empty label list.
            let labels: [String]? = parsed.map {
                $0.labels == ["no_label"] ? nil : $0.labels == [""] ? [] : $0.labels
            } ?? [defaultLabel]
            let result = try brushResult(
                mask, label: labels, fromName: parsed?.fromName ?? fromName, id: ids.next(), file: name)
            let key = parsed.map { "task:" + $0.taskID } ?? "file:" + name
            let annotationID = parsed?.annotationID ?? "1"
            let author = parsed?.author ?? ""
            if position[key] == nil {
                position[key] = grouped.count
                grouped.append((key, []))
            }
            let t = position[key]!
            if let a = grouped[t].annotations.firstIndex(where: { $0.id == annotationID }) {
                grouped[t].annotations[a].results.append(result)
            } else {
                grouped[t].annotations.append((annotationID, author, [result]))
            }
        }
        let images = try imageNames()
        return grouped.enumerated().map { (offset, group) in
            var task: [String: Any] = [:]
            if group.key.hasPrefix("task:") {
                let id = String(group.key.dropFirst(5))
                task["id"] = Int(id) ?? id as Any
                task["data"] = ["image": imageRoot + "task-\(id)"]
            } else {
                task["id"] = offset + 1
                let file = String(group.key.dropFirst(5))
                let stem = (file as NSString).deletingPathExtension
                task["data"] = ["image": imageRoot + (images[stem] ?? file)]
            }
            let annotations = group.annotations.map { a -> [String: Any] in
                var annotation: [String: Any] = ["result": a.results, "was_cancelled": false, "ground_truth": false]
                annotation["id"] = Int(a.id) ?? a.id as Any
                if !a.author.isEmpty { annotation["completed_by"] = Int(a.author).map { $0 as Any } ?? ["email": a.author] }
                if target == .predictions { annotation["model_version"] = "labelkit-import" }
                return annotation
            }
            task[target.rawValue] = annotations
            return task
        }
    }

    /// Image file names of ``imagesFolder`` by stem (empty without one); where
    /// several files share a stem, the first by name wins.
    ///
    /// - Throws: ``FormatsError`` when the folder cannot be listed.
    func imageNames() throws(FormatsError) -> [String: String] {
        guard let imagesFolder else { return [:] }
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: imagesFolder) else {
            throw FormatsError(.invalidField, "\(imagesFolder): cannot list the images folder")
        }
        let extensions: Set<String> = ["jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp", "gif"]
        var names: [String: String] = [:]
        for file in files.sorted() where extensions.contains((file as NSString).pathExtension.lowercased()) {
            let stem = (file as NSString).deletingPathExtension
            if names[stem] == nil { names[stem] = file }
        }
        return names
    }

    func readMask(_ path: String) throws(FormatsError) -> Mask {
        do {
            let luma = try PNGCodec.decodeMask(try FileIO.read(path))
            var binary = luma
            binary.bytes = luma.bytes.map { $0 > threshold ? 255 : 0 }
            return binary
        } catch {
            throw FormatsError(.invalidField, "\(path): \(error.message)")
        }
    }

    /// A `brushlabels` result for a 0/255 mask (a bare `brush` when `label` is nil).
    func brushResult(_ mask: Mask, label: [String]?, fromName: String, id: String, file: String) throws(FormatsError)
        -> [String: Any]
    {
        let (from, to) = try control(forType: "brushlabels", labels: label ?? [], preferred: fromName, context: file)
        let rle: [UInt8]
        do {
            rle = try LabelStudioRLE.encode(mask)
        } catch {
            throw FormatsError(.invalidField, "\(file): \(error.message)")
        }
        var value: [String: Any] = ["format": "rle", "rle": rle.map(Int.init)]
        if let label { value["brushlabels"] = label }
        return [
            "id": id, "type": label == nil ? "brush" : "brushlabels", "from_name": from, "to_name": to,
            "original_width": mask.width, "original_height": mask.height, "image_rotation": 0, "origin": "manual",
            "value": value,
        ]
    }

    /// The from_name and to_name of a result of `type` (`brushlabels`,
    /// `rectanglelabels`, `polygonlabels`, `keypointlabels`): without a config,
    /// `preferred` (or ``fromName``) and ``toName``; with one, its control of that
    /// type (`preferred` when it names one), whose labels must hold `labels`.
    ///
    /// - Throws: ``FormatsError`` naming `context` when the config has no such
    ///   control or does not know a label.
    func control(forType type: String, labels: [String], preferred: String?, context: String) throws(FormatsError)
        -> (String, String)
    {
        guard let config else { return (preferred ?? fromName, toName) }
        let tags = [
            "brushlabels": "BrushLabels", "rectanglelabels": "RectangleLabels", "polygonlabels": "PolygonLabels",
            "keypointlabels": "KeyPointLabels",
        ]
        let tag = tags[type] ?? type
        let candidates = config.controls.filter { $0.tag == tag }
        guard let control = candidates.first(where: { $0.name == preferred }) ?? candidates.first else {
            throw FormatsError(.invalidField, "\(context): the labeling config has no \(tag) control")
        }
        if let unknown = labels.first(where: { !control.labels.contains($0) }) {
            throw FormatsError(
                .invalidField, "\(context): label \"\(unknown)\" is not a label of the config's \(tag) \"\(control.name)\"")
        }
        return (control.name, control.toNames.first ?? toName)
    }
}
