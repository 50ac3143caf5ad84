import Foundation
import LabelKitCore
import LabelKitExport
import LabelKitFormats
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `--to voc` (Pascal VOC XML, Label Studio's layout) and `--to numpy` (BRUSH_TO_NUMPY).
/// Boxes are computed here from the shapes' pixel coordinates; the NPY header is
/// NumPy 2's own (`np.save` of a 3 x 5 uint8 array starts with these 128 bytes).
@Suite("Export: VOC and NumPy")
struct ExportVOCNumpyTests {
    static func export(_ task: [String: Any], _ format: ExportFormat) throws -> TaskExport {
        TaskExporter(options: ExportOptions(format: format), labels: LabelMap()).export(try LSBuild.parsed(task), index: 0)
    }

    static func objects(_ xml: String) throws -> [[String: String]] {
        final class Reader: NSObject, XMLParserDelegate {
            var objects: [[String: String]] = []
            var current: [String: String]?
            var text = ""
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if e == "object" { current = [:] }
                text = ""
            }
            func parser(_ p: XMLParser, foundCharacters string: String) { text += string }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                if e == "object", let c = current { objects.append(c); current = nil }
                else if current != nil { current![e] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
        }
        let reader = Reader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        #expect(parser.parse() && parser.parserError == nil)
        return reader.objects
    }

    @Test("VOC: one object per labelled region, the whole-pixel box of its visible part; truncated past the edge")
    func voc() throws {
        // 200 x 100 px image.
        let results: [[String: Any]] = [
            LSBuild.rectangle("r", x: 10, y: 20, width: 30, height: 40, labels: ["Car"]),  // 20,20 - 80,60
            LSBuild.ellipse("e", x: 95, y: 50, rx: 10, ry: 30, labels: ["A&B <c>"]),  // centre 190,50; 20 x 30 px radii
            LSBuild.polygon("p", [[10.2, 5.5], [30.9, 5.5], [20, 70.25]], labels: ["Tri"]),  // 20.4,5.5 - 61.8,70.25
            LSBuild.brush("b", LSBuild.block(width: 200, height: 100, x0: 3, y0: 4, x1: 9, y1: 8), labels: ["Paint"]),
            LSBuild.rectangle("out", x: 120, y: 20, width: 10, height: 10, labels: ["Car"]),
            LSBuild.keypoint("k", x: 50, y: 50),
        ]
        let task = LSBuild.task(5, annotations: [LSBuild.annotation(6, results)])
        let out = try Self.export(task, .voc)
        #expect(out.failures.isEmpty)
        #expect(out.files.map(\.name) == ["Annotations/img-5.xml"])
        let xml = String(decoding: try #require(out.files.first?.bytes), as: UTF8.self)
        #expect(xml.contains("<filename>img-5.jpg</filename>"))
        #expect(xml.contains("<width>200</width>") && xml.contains("<height>100</height>"))
        let objects = try Self.objects(xml)
        func box(_ o: [String: String]) -> [Int] { ["xmin", "ymin", "xmax", "ymax"].map { Int(o[$0] ?? "") ?? -1 } }
        #expect(objects.map { $0["name"] } == ["Car", "A&B <c>", "Tri", "Paint"])
        #expect(box(objects[0]) == [20, 20, 80, 60] && objects[0]["truncated"] == "0")
        #expect(box(objects[1]) == [170, 20, 200, 80] && objects[1]["truncated"] == "1")
        #expect(box(objects[2]) == [20, 5, 62, 71] && objects[2]["truncated"] == "0")
        #expect(box(objects[3]) == [3, 4, 9, 8])
    }

    @Test("NumPy: one .npy per brush layer, named as the PNG layers; NumPy's header and the stored alpha")
    func numpy() throws {
        let alpha = LSBuild.softDisc(width: 5, height: 3, cx: 2, cy: 1, r: 1.6)
        let results: [[String: Any]] = [
            LSBuild.brush("b", alpha, labels: ["Cat"]),
            LSBuild.rectangle("r", x: 1, y: 1, width: 5, height: 5, labels: ["Car"], size: (5, 3)),
        ]
        let task = LSBuild.task(1, annotations: [LSBuild.annotation(2, by: ["email": "a@b.c"], results)])
        let out = try Self.export(task, .numpy)
        #expect(out.files.map(\.name) == ["task-1-annotation-2-by-a@b.c-tag-Cat-0.npy"])
        let bytes = try #require(out.files.first?.bytes)
        // The magic, version 1.0, and 118 (0x76) header bytes, so the data starts at byte 128.
        #expect(Array(bytes.prefix(10)) == [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0])
        let text = String(decoding: bytes[10..<128], as: UTF8.self)
        #expect(text.hasPrefix("{'descr': '|u1', 'fortran_order': False, 'shape': (3, 5), }"))
        #expect(text.hasSuffix(" \n") && text.dropLast().allSatisfy { $0 != "\n" })
        #expect(Array(bytes[128...]) == alpha.bytes)
    }
}
