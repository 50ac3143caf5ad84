import Foundation
import LabelKitCore
import LabelKitFormats
import Testing

/// Labeling configs: controls, labels, and class ids numbered as Label Studio's
/// exports number them (label-studio-sdk 2.1.2, used by Label Studio 1.23.2:
/// `Converter._get_labels`: labels of every control together, an integer
/// `category` attribute fixes an id, the rest sorted by value on the free ids).
@Suite("Labeling config")
struct LabelingConfigTests {
    static let xml = """
        <View>
          <Image name="image" value="$image" zoom="true"/>
          <RectangleLabels name="box" toName="image">
            <Label value="Zebra" background="red"/>
            <Label value="Car"/>
            <Label value="ant"/>
          </RectangleLabels>
          <View style="display: flex">
            <PolygonLabels name="poly" toName="image" strokeWidth="3">
              <Label value="Car"/>
              <Label value="Bus" alias="Coach"/>
            </PolygonLabels>
          </View>
          <BrushLabels name="brush" toName="image"><Label value="Sky"/></BrushLabels>
          <Choices name="quality" toName="image"><Choice value="Good"/><Choice value="Bad"/></Choices>
          <Filter name="filter" toName="box"/>
        </View>
        """

    static func config(_ text: String) throws -> LabelingConfig { try LabelingConfig(xml: Data(text.utf8)) }

    @Test("controls in document order with their labels (alias when given), objects by name; Filter is no control")
    func controls() throws {
        let config = try Self.config(Self.xml)
        #expect(config.controls.map(\.name) == ["box", "poly", "brush", "quality"])
        #expect(config.controls.map(\.tag) == ["RectangleLabels", "PolygonLabels", "BrushLabels", "Choices"])
        #expect(config.control(named: "box")?.labels == ["Zebra", "Car", "ant"])
        #expect(config.control(named: "poly")?.labels == ["Car", "Coach"])
        #expect(config.control(named: "poly")?.toNames == ["image"])
        #expect(config.objects == ["image": "Image"])
        #expect(config.control(named: "box")?.labelAttributes["Zebra"]?["background"] == "red")
    }

    @Test("class ids: every control's labels together, sorted by code point (upper case first), ids from 0")
    func sortedClasses() throws {
        let classes = try Self.config(Self.xml).classes
        #expect(classes.map(\.name) == ["Bad", "Car", "Coach", "Good", "Sky", "Zebra", "ant"])
        #expect(classes.map(\.id) == Array(0..<7))
    }

    @Test("an integer category attribute fixes a label's id; the others fill the free ids in sorted order")
    func explicitCategories() throws {
        let classes = try Self.config(
            """
            <View><Image name="img" value="$image"/>
            <RectangleLabels name="r" toName="img">
              <Label value="Dog" category="1"/><Label value="Cat"/><Label value="Emu" category="x"/><Label value="Ant"/>
            </RectangleLabels></View>
            """
        ).classes
        #expect(classes.map(\.name) == ["Ant", "Dog", "Cat", "Emu"])
        #expect(classes.map(\.id) == [0, 1, 2, 3])
        let map = LabelMap(config: try Self.config(#"<View><Image name="i" value="$i"/><RectangleLabels name="r" toName="i"><Label value="B" category="2"/><Label value="A"/></RectangleLabels></View>"#))
        #expect(map.index(of: "A") == 0)
        #expect(map.index(of: "B") == 2)
        #expect(map.isFixed && map.isFromConfig)
    }

    @Test("a project JSON holding label_config reads like the XML; bad input names the file and the place")
    func files() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lk-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let project = dir.appendingPathComponent("project.json").path
        let object: [String: Any] = ["id": 3, "title": "P", "label_config": Self.xml]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: project))
        #expect(try LabelingConfig(contentsOf: project) == Self.config(Self.xml))
        let broken = dir.appendingPathComponent("broken.xml").path
        try "<View>\n  <Image name=\"i\" value=\"$i\">\n</View>".write(toFile: broken, atomically: true, encoding: .utf8)
        do {
            _ = try LabelingConfig(contentsOf: broken)
            Issue.record("broken XML was accepted")
        } catch {
            #expect(error.message.hasPrefix(broken + ": labeling config: invalid XML at line 3"), "\(error.message)")
        }
        let noControl = dir.appendingPathComponent("empty.xml").path
        try "<View><Image name=\"i\" value=\"$i\"/></View>".write(toFile: noControl, atomically: true, encoding: .utf8)
        #expect(throws: FormatsError.self) { try LabelingConfig(contentsOf: noControl) }
        let notProject = dir.appendingPathComponent("other.json").path
        try "{\"foo\": 1}".write(toFile: notProject, atomically: true, encoding: .utf8)
        do {
            _ = try LabelingConfig(contentsOf: notProject)
            Issue.record("a JSON without label_config was accepted")
        } catch {
            #expect(error.message.contains("label_config"))
        }
    }

    @Test("entities that expand without bound (a billion laughs) are refused at once, not expanded")
    func entityAmplification() throws {
        var dtd = "<!ENTITY l0 \"lolololololololololol\">"
        for level in 1...9 {
            dtd += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let xml =
            "<?xml version=\"1.0\"?><!DOCTYPE View [\(dtd)]><View><Image name=\"i\" value=\"$i\"/>"
            + "<EllipseLabels name=\"e\" toName=\"i\"><Label value=\"&l9;\"/></EllipseLabels></View>"
        let start = ContinuousClock.now
        do {
            let config = try LabelingConfig(xml: Data(xml.utf8))
            Issue.record("accepted, with a label of \(config.controls.first?.labels.first?.utf8.count ?? 0) bytes")
        } catch {
            #expect(error.message.contains("labeling config: invalid XML"), "\(error.message)")
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
