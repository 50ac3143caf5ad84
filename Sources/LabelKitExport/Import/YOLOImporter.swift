import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging

/// A YOLO dataset folder (`classes.txt`, `images/`, `labels/`) to Label Studio
/// tasks, as label-studio-converter's `import yolo` writes them, and more:
///
/// - `cls xc yc w h [score]` lines become `rectanglelabels` with the converter's
///   values (`x = (xc - w/2) * 100`, ... computed in its order, so equal bit for bit);
/// - `cls x1 y1 ... xn yn` lines (n >= 3; YOLO-seg) become `polygonlabels`, and four
///   corners that form a rectangle (YOLO-OBB) a rotated `rectanglelabels`.
///
/// Image sizes come from the image headers; no pixel is decoded. With a labeling
/// config, results take the from_name/to_name of the control of their type
/// (RectangleLabels, PolygonLabels), and a class the config does not know is an error.
public struct YOLOImporter: Sendable {
    /// Where results go.
    public var target: MaskImporter.Target
    /// Prefix of `data.image` (Label Studio's local files by default).
    public var imageRoot: String
    /// The labeling config, if given.
    public var config: LabelingConfig?
    /// from_name / to_name without a config (the converter's defaults).
    public var fromName: String, polygonFromName: String, toName: String
    /// Image file extensions looked for in `images/`.
    public var extensions: [String]

    /// Creates an importer.
    public init(
        target: MaskImporter.Target = .annotations, imageRoot: String = "/data/local-files/?d=images",
        config: LabelingConfig? = nil, fromName: String = "label", polygonFromName: String = "polygon",
        toName: String = "image", extensions: [String] = [".jpg", ".jpeg", ".png"]
    ) {
        self.target = target
        self.imageRoot = imageRoot
        self.config = config
        self.fromName = fromName
        self.polygonFromName = polygonFromName
        self.toName = toName
        self.extensions = extensions
    }

    /// The tasks of the dataset in `folder`, one per image (sorted by name); images
    /// without a label file get a task without annotations, as the converter does.
    ///
    /// - Throws: ``FormatsError`` naming the file and line at fault: no
    ///   `classes.txt` or `images/`, a malformed line, a class id out of range, a
    ///   label the config does not know, an unreadable image header.
    public func tasks(fromFolder folder: String) throws(FormatsError) -> [[String: Any]] {
        let fm = FileManager.default
        guard let classText = try? String(contentsOfFile: folder + "/classes.txt", encoding: .utf8) else {
            throw FormatsError(.missingField, "\(folder): no classes.txt (a YOLO folder has classes.txt, images/, labels/)")
        }
        var classes = classText.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if classes.last == "" { classes.removeLast() }
        guard let files = try? fm.contentsOfDirectory(atPath: folder + "/images") else {
            throw FormatsError(.missingField, "\(folder): no images/ folder")
        }
        let controls = try controlNames()
        // classes.txt may list every label of the config (Label Studio's and our exports do);
        // only the classes that lines use must be labels of its box and polygon controls.
        let known = config.map {
            Set($0.controls.filter { $0.tag == "RectangleLabels" || $0.tag == "PolygonLabels" }.flatMap(\.labels))
        }
        var ids = RegionIDGenerator(seed: 0x594F_4C4F)
        var tasks: [[String: Any]] = []
        for file in files.sorted() {
            guard let ext = extensions.first(where: { file.lowercased().hasSuffix($0) }) else { continue }
            let stem = String(file.dropLast(ext.count))
            let reference =
                imageRoot + (imageRoot.hasSuffix("/") ? "" : "/")
                + (file.addingPercentEncoding(withAllowedCharacters: Self.urlSafe) ?? file)
            var task: [String: Any] = ["data": ["image": reference]]
            let labelPath = folder + "/labels/" + stem + ".txt"
            if let text = try? String(contentsOfFile: labelPath, encoding: .utf8) {
                let (width, height) = try Self.imageSize(folder + "/images/" + file)
                var results: [[String: Any]] = []
                for (n, line) in text.split(separator: "\n").enumerated() {
                    let values = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                    guard !values.isEmpty else { continue }
                    let place = "\(labelPath):\(n + 1)"
                    guard let classID = Int(values[0]), classes.indices.contains(classID) else {
                        throw FormatsError(
                            .invalidField, "\(place): class \"\(values[0])\" is not a line of classes.txt (0...\(classes.count - 1))")
                    }
                    if let known, !known.contains(classes[classID]) {
                        throw FormatsError(
                            .invalidField,
                            "\(place): label \"\(classes[classID])\" is not a label of the config's RectangleLabels or PolygonLabels")
                    }
                    let numbers = try values.dropFirst().map { (text) throws(FormatsError) -> Double in
                        guard let v = Double(text), v.isFinite else {
                            throw FormatsError(.invalidField, "\(place): \"\(text)\" is not a number")
                        }
                        return v
                    }
                    var result = try Self.result(
                        numbers, label: classes[classID], controls: controls, width: width, height: height, place: place)
                    result["id"] = ids.next()
                    result["original_width"] = width
                    result["original_height"] = height
                    result["image_rotation"] = 0
                    results.append(result)
                }
                task[target.rawValue] = [["result": results, "ground_truth": false] as [String: Any]]
            }
            tasks.append(task)
        }
        return tasks
    }

    /// from_name and to_name of rectangles and polygons: the config's controls of
    /// those types, else the defaults.
    func controlNames() throws(FormatsError) -> (rectangle: (String, String), polygon: (String, String)) {
        guard let config else { return ((fromName, toName), (polygonFromName, toName)) }
        func control(_ tag: String) -> (String, String)? {
            config.controls.first { $0.tag == tag }.map { ($0.name, $0.toNames.first ?? toName) }
        }
        guard let rectangle = control("RectangleLabels") ?? control("PolygonLabels") else {
            throw FormatsError(.invalidField, "the labeling config has no RectangleLabels or PolygonLabels control")
        }
        let polygon = control("PolygonLabels") ?? rectangle
        return (rectangle, polygon)
    }

    /// One result from a label line's numbers (after the class).
    static func result(
        _ v: [Double], label: String, controls: (rectangle: (String, String), polygon: (String, String)),
        width imageWidth: Int, height imageHeight: Int, place: String
    ) throws(FormatsError) -> [String: Any] {
        var result: [String: Any]
        if v.count == 4 || v.count == 5 {
            let (x, y, width, height) = (v[0], v[1], v[2], v[3])
            result = [
                "type": "rectanglelabels", "from_name": controls.rectangle.0, "to_name": controls.rectangle.1,
                "value": [
                    "x": (x - width / 2) * 100, "y": (y - height / 2) * 100, "width": width * 100,
                    "height": height * 100, "rotation": 0, "rectanglelabels": [label],
                ] as [String: Any],
            ]
            if v.count == 5, v[4] != 0 { result["score"] = v[4] }
        } else if v.count >= 6, v.count % 2 == 0 {
            let points = stride(from: 0, to: v.count, by: 2).map { Point(x: v[$0] * 100, y: v[$0 + 1] * 100) }
            if points.count == 4, let rotated = rotatedRectangle(points, width: imageWidth, height: imageHeight) {
                result = [
                    "type": "rectanglelabels", "from_name": controls.rectangle.0, "to_name": controls.rectangle.1,
                    "value": rotated.merging(["rectanglelabels": [label]]) { a, _ in a },
                ]
            } else {
                result = [
                    "type": "polygonlabels", "from_name": controls.polygon.0, "to_name": controls.polygon.1,
                    "value": ["points": points.map { [$0.x, $0.y] }, "polygonlabels": [label]] as [String: Any],
                ]
            }
        } else {
            throw FormatsError(
                .invalidField,
                "\(place): \(v.count) numbers after the class; expected 4 (a box), 5 (a box and a score) or pairs of 3+ points")
        }
        return result
    }

    /// Label Studio's value of a rotated rectangle whose corners, in percent, are
    /// `p` in drawing order (as `--to yolo-obb` writes them: TL, TR, BR, BL of the
    /// unrotated box), or nil when they do not form a rectangle in pixels. The
    /// first corner is the origin, the first edge gives the width and the angle
    /// (clockwise on screen, in [0, 360)), the second the height.
    static func rotatedRectangle(_ p: [Point], width imageWidth: Int, height imageHeight: Int) -> [String: Any]? {
        let sx = Double(imageWidth) / 100, sy = Double(imageHeight) / 100
        let q = p.map { Point(x: $0.x * sx, y: $0.y * sy) }
        func length(_ a: Point, _ b: Point) -> Double { ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() }
        let (w, h) = (length(q[0], q[1]), length(q[1], q[2]))
        let d1 = length(q[0], q[2]), d2 = length(q[1], q[3])
        let tolerance = 1e-6 * max(d1, d2, 1)
        guard w > 0, h > 0, abs(d1 - d2) <= tolerance, abs(length(q[2], q[3]) - w) <= tolerance,
            abs(length(q[3], q[0]) - h) <= tolerance
        else { return nil }
        var rotation = atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180 / Double.pi
        if rotation < 0 { rotation += 360 }
        if abs(rotation) < 1e-9 || abs(rotation - 360) < 1e-9 { rotation = 0 }
        return ["x": p[0].x, "y": p[0].y, "width": w / sx, "height": h / sy, "rotation": rotation]
    }

    /// What Python's `pathname2url` (`quote`) leaves as it is: ASCII letters,
    /// digits and `_.-~/`; everything else is percent-encoded, as in the converter.
    static let urlSafe = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")

    /// Width and height from the image's header (the first MiB, else the whole file).
    static func imageSize(_ path: String) throws(FormatsError) -> (Int, Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FormatsError(.invalidField, "\(path): cannot read")
        }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        if let header = try? ImageHeader(Array(prefix)) { return (header.width, header.height) }
        guard let whole = FileManager.default.contents(atPath: path) else {
            throw FormatsError(.invalidField, "\(path): cannot read")
        }
        do {
            let header = try ImageHeader(Array(whole))
            return (header.width, header.height)
        } catch {
            throw FormatsError(.invalidField, "\(path): \(error.message)")
        }
    }
}
