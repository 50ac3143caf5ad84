import Foundation
import LabelKitJSON

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A Label Studio labeling config: the project's XML (`label_config`), read with
/// an XML parser, reduced to what exports and imports need: the control tags
/// (`RectangleLabels`, `BrushLabels`, `Choices`, ...) with their `name`, `toName`
/// and label values in order, and the object tags they point at.
///
///     let config = try LabelingConfig(xml: Data(#"<View><Image name="image" value="$image"/>"#
///         + #"<RectangleLabels name="box" toName="image"><Label value="Car"/></RectangleLabels></View>"#.utf8))
///     config.classes.map(\.name)  // ["Car"]
public struct LabelingConfig: Sendable, Equatable {
    /// One control tag.
    public struct Control: Sendable, Equatable {
        /// The tag, as written (`RectangleLabels`).
        public var tag: String
        /// Its `name` (a result's `from_name`).
        public var name: String
        /// The object tags it labels (a result's `to_name`).
        public var toNames: [String]
        /// Its `<Label>` / `<Choice>` values in config order (`alias` when given, as Label Studio).
        public var labels: [String]
        /// The attributes of each label, by value.
        public var labelAttributes: [String: [String: String]]
    }

    /// One class of the exports: Label Studio's id and the label value.
    public struct LabelClass: Sendable, Equatable {
        /// The class id (YOLO class, COCO category id).
        public var id: Int
        /// The label value.
        public var name: String
    }

    /// The control tags in document order.
    public var controls: [Control]
    /// The object tags (`Image`, `Text`, ...): name to tag.
    public var objects: [String: String]

    /// Parses the XML of a labeling config.
    ///
    /// - Throws: ``FormatsError`` `.invalidField` naming the line and column of a
    ///   syntax error, or when the config has no control tag.
    public init(xml: Data) throws(FormatsError) {
        let reader = ConfigReader()
        let parser = XMLParser(data: xml)
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        // parse() can return true after an error (a tag left open, a premature end):
        // the first error the parser reported decides.
        let parsed = parser.parse()
        if let error = reader.firstError ?? (parsed ? nil : (parser.lineNumber, parser.columnNumber, -1)) {
            throw FormatsError(
                .invalidField,
                "labeling config: invalid XML at line \(error.line), column \(error.column): "
                    + ConfigReader.describe(error.code))
        }
        guard !reader.controls.isEmpty else {
            throw FormatsError(.invalidField, "labeling config: no control tag (an element with name and toName)")
        }
        controls = reader.controls
        objects = reader.objects
    }

    /// Reads a config file: the XML itself, or a Label Studio project JSON (the
    /// answer of `GET /api/projects/{id}`) holding it as `label_config`.
    ///
    /// - Throws: ``FormatsError`` naming the file when it cannot be read or holds neither.
    public init(contentsOf path: String) throws(FormatsError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatsError(.invalidField, "\(path): cannot read the labeling config")
        }
        let first = data.first { !(" \t\r\n" as String).utf8.contains($0) }
        var xml = data
        if first == UInt8(ascii: "{") {
            guard let project = try? JSONFields.parse(data) as? [String: Any], let text = project["label_config"] as? String
            else {
                throw FormatsError(.missingField, "\(path): a project JSON must hold \"label_config\"")
            }
            xml = Data(text.utf8)
        }
        do {
            self = try LabelingConfig(xml: xml)
        } catch {
            throw FormatsError(error.code, "\(path): \(error.message)")
        }
    }

    /// Every class in id order, numbered as Label Studio's own YOLO and COCO exports
    /// number them: the labels of all controls together, those with an integer
    /// `category` attribute at that id, the rest sorted by value (code point order)
    /// on the ids left free from 0.
    public var classes: [LabelClass] {
        var explicit: [String: Int] = [:]
        var order: [String] = []
        var all = Set<String>()
        for control in controls {
            for label in control.labels {
                all.insert(label)
                if let text = control.labelAttributes[label]?["category"], let id = Int(text) {
                    if explicit[label] == nil { order.append(label) }
                    explicit[label] = id
                }
            }
        }
        var result = order.map { LabelClass(id: explicit[$0]!, name: $0) }
        let used = Set(explicit.values)
        var next = 0
        for name in all.subtracting(explicit.keys).sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            while used.contains(next) { next += 1 }
            result.append(LabelClass(id: next, name: name))
            next += 1
        }
        return result.sorted { $0.id < $1.id }
    }

    /// The classes of Label Studio's YOLO export when the config has KeyPointLabels
    /// (its pose layout): the labels of the RectangleLabels controls in config
    /// order, ids from 0.
    public var poseClasses: [LabelClass] {
        var seen = Set<String>()
        let names = controls.filter { $0.tag == "RectangleLabels" }.flatMap(\.labels).filter { seen.insert($0).inserted }
        return names.enumerated().map { LabelClass(id: $0.offset, name: $0.element) }
    }

    /// The keypoint labels in `model_index` order (labels without an integer
    /// `model_index`, or repeating one, left out), as the pose export orders them.
    public var keypointOrder: [String] {
        var pairs: [(Int, String)] = []
        var used = Set<Int>()
        for control in controls where control.tag == "KeyPointLabels" {
            for label in control.labels {
                guard let text = control.labelAttributes[label]?["model_index"], let index = Int(text),
                    used.insert(index).inserted
                else { continue }
                pairs.append((index, label))
            }
        }
        return pairs.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The labels of the KeyPointLabels controls in config order, each once.
    public var keypointLabels: [String] {
        var seen = Set<String>()
        return controls.filter { $0.tag == "KeyPointLabels" }.flatMap(\.labels).filter { seen.insert($0).inserted }
    }

    /// True when a control is KeyPointLabels.
    public var hasKeypoints: Bool { controls.contains { $0.tag == "KeyPointLabels" } }

    /// The control named `name`, if any.
    public func control(named name: String) -> Control? { controls.first { $0.name == name } }
}

/// The SAX reader behind ``LabelingConfig``: control tags are elements with
/// `name` and `toName` (except `Filter`); `<Label>` and `<Choice>` values belong to
/// the nearest enclosing control; object tags have `name` and `value`.
private final class ConfigReader: NSObject, XMLParserDelegate {
    var controls: [LabelingConfig.Control] = []
    var objects: [String: String] = [:]
    /// Per open element: the index of the control it opened, if any.
    private var stack: [Int?] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        var opened: Int?
        if let name = attributes["name"], !name.isEmpty {
            if let toName = attributes["toName"], !toName.isEmpty, elementName != "Filter" {
                controls.append(
                    .init(
                        tag: elementName, name: name, toNames: toName.split(separator: ",").map(String.init),
                        labels: [], labelAttributes: [:]))
                opened = controls.count - 1
            } else if attributes["value"] != nil {
                objects[name] = elementName
            }
        }
        if elementName == "Label" || elementName == "Choice",
            let owner = stack.last(where: { $0 != nil }) ?? nil,
            let value = attributes["alias"].flatMap({ $0.isEmpty ? nil : $0 }) ?? attributes["value"], !value.isEmpty
        {
            if controls[owner].labelAttributes[value] == nil { controls[owner].labels.append(value) }
            controls[owner].labelAttributes[value] = attributes
        }
        stack.append(opened)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?)
    {
        _ = stack.popLast()
    }

    /// The first error: line, column and the parser's error code.
    var firstError: (line: Int, column: Int, code: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if firstError == nil { firstError = (parser.lineNumber, parser.columnNumber, (parseError as NSError).code) }
    }

    /// Words for the parser's commonest error codes (its own messages are empty on Linux).
    static func describe(_ code: Int) -> String {
        switch XMLParser.ErrorCode(rawValue: code) {
        case .tagNameMismatchError: return "an end tag does not match the open element"
        case .prematureDocumentEndError: return "the document ends inside an element"
        case .gtRequiredError: return "a tag is not closed with >"
        case .undeclaredEntityError, .entityRefAtEOFError, .entityReferenceWithoutNameError:
            return "an unknown entity (write & as &amp;)"
        case .ltRequiredError, .emptyDocumentError, .documentStartError: return "not an XML document"
        case .attributeNotStartedError, .attributeNotFinishedError, .attributeHasNoValueError:
            return "a malformed attribute (values need quotes)"
        case .entityIsExternalError, .entityBoundaryError, .entityReferenceMissingSemiError:
            return "an entity that is external or malformed (a config needs none)"
        default:
            // 89: libxml2's entity loop / amplification guard (the "billion laughs").
            return code == 89 ? "entities that expand without bound" : code < 0 ? "not XML" : "XML parser error \(code)"
        }
    }
}
