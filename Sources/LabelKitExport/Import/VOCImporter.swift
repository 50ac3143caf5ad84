import Foundation
import LabelKitCore
import LabelKitFormats

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Pascal VOC annotation files (`Annotations/*.xml`, as `labelkit export --to voc`
/// and Label Studio's VOC export write them) to Label Studio tasks: one task per
/// file, one `rectanglelabels` result per `object`, its `bndbox` (pixel edges) in
/// percent of the file's `size`.
public struct VOCImporter: Sendable {
    /// Target, image root, config and default names, shared with ``MaskImporter``.
    public var masks: MaskImporter

    /// Creates an importer.
    public init(masks: MaskImporter = MaskImporter(fromName: "label", imageRoot: "/data/local-files/?d=images/")) {
        self.masks = masks
    }

    /// The tasks of the `.xml` files in `folder/Annotations` (or `folder` itself),
    /// sorted by name.
    ///
    /// - Throws: ``FormatsError`` naming the file: not XML, no `size`, an object
    ///   without a name or a numeric box, a label the config does not know.
    public func tasks(fromFolder folder: String) throws(FormatsError) -> [[String: Any]] {
        let fm = FileManager.default
        var directory = folder + "/Annotations"
        var isDirectory: ObjCBool = false
        if !(fm.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) { directory = folder }
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            throw FormatsError(.invalidField, "\(folder): cannot list")
        }
        var ids = RegionIDGenerator(seed: 0x564F_43)
        var tasks: [[String: Any]] = []
        for name in names.filter({ $0.lowercased().hasSuffix(".xml") }).sorted() {
            let path = directory + "/" + name
            guard let data = fm.contents(atPath: path) else { throw FormatsError(.invalidField, "\(path): cannot read") }
            let document = try Self.parse(data, path: path)
            var results: [[String: Any]] = []
            for object in document.objects {
                let (from, to) = try masks.control(
                    forType: "rectanglelabels", labels: [object.name], preferred: nil, context: path)
                let w = Double(document.width), h = Double(document.height)
                results.append([
                    "id": ids.next(), "type": "rectanglelabels", "from_name": from, "to_name": to,
                    "original_width": document.width, "original_height": document.height, "image_rotation": 0,
                    "origin": "manual",
                    "value": [
                        "x": Self.percent(object.box[0], of: w), "y": Self.percent(object.box[1], of: h),
                        "width": Self.percent(object.box[2] - object.box[0], of: w),
                        "height": Self.percent(object.box[3] - object.box[1], of: h), "rotation": 0,
                        "rectanglelabels": [object.name],
                    ] as [String: Any],
                ])
            }
            let image = document.filename.isEmpty ? String(name.dropLast(4)) : document.filename
            tasks.append([
                "data": ["image": masks.imageRoot + image],
                masks.target.rawValue: [["result": results, "was_cancelled": false, "ground_truth": false] as [String: Any]],
            ])
        }
        return tasks
    }

    /// `pixels` in percent of `size`, the nearest double at or above the exact value
    /// whose conversion back (`p / 100 * size`, as Label Studio and LabelKit compute
    /// it) is not below `pixels`: 19 px of 96 is 19.791666666666668 %, not ...664 %,
    /// which Label Studio's VOC export would truncate to 18 px.
    static func percent(_ pixels: Double, of size: Double) -> Double {
        var p = pixels / size * 100
        while p / 100 * size < pixels { p = p.nextUp }
        return p
    }

    /// One parsed annotation file.
    struct Document {
        var filename = ""
        var width = 0, height = 0
        var objects: [(name: String, box: [Double])] = []
    }

    /// Reads `filename`, `size` and each `object`'s `name` and `bndbox`.
    static func parse(_ data: Data, path: String) throws(FormatsError) -> Document {
        let reader = VOCReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if reader.failed || !parsed {
            throw FormatsError(.invalidField, "\(path): invalid XML at line \(parser.lineNumber)")
        }
        var document = Document()
        document.filename = reader.values["annotation/filename"] ?? ""
        guard let width = reader.values["annotation/size/width"].flatMap({ Int($0) }),
            let height = reader.values["annotation/size/height"].flatMap({ Int($0) }), width > 0, height > 0
        else {
            throw FormatsError(.missingField, "\(path): no positive size/width and size/height")
        }
        (document.width, document.height) = (width, height)
        for (n, object) in reader.objects.enumerated() {
            guard let name = object["name"], !name.isEmpty else {
                throw FormatsError(.missingField, "\(path): object \(n + 1) has no name")
            }
            let box = ["xmin", "ymin", "xmax", "ymax"].compactMap { object["bndbox/" + $0].flatMap(Double.init) }
            guard box.count == 4, box.allSatisfy(\.isFinite) else {
                throw FormatsError(.invalidField, "\(path): object \(n + 1) (\(name)) needs a numeric bndbox")
            }
            document.objects.append((name, box))
        }
        return document
    }
}

/// The SAX reader behind ``VOCImporter``: element text by path, and per `object`
/// its fields by path below it.
private final class VOCReader: NSObject, XMLParserDelegate {
    var values: [String: String] = [:]
    var objects: [[String: String]] = []
    var failed = false
    private var path: [String] = []
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        path.append(elementName)
        text = ""
        if path == ["annotation", "object"] { objects.append([:]) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?)
    {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.count > 2, path[0] == "annotation", path[1] == "object", !objects.isEmpty {
            objects[objects.count - 1][path.dropFirst(2).joined(separator: "/")] = value
        } else {
            values[path.joined(separator: "/")] = value
        }
        path.removeLast()
        text = ""
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failed = true }
}
