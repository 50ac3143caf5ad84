import Foundation
import Testing

/// `labelkit export --to png` under hostile labels and `from_name`s: exit 0, one
/// file per region, names that are single short printable components, ordinary
/// names as label-studio-converter writes them. Hashed names were computed outside
/// LabelKit (a Python script implementing the documented rule).
@Suite("labelkit export: hostile file names")
struct CLIExportNameTests {
    /// One `rectanglelabels` result; `from` and `label` are JSON string literals.
    static func rectangle(_ id: String, from: String = #""tag""#, label: String) -> String {
        """
        {"id": "\(id)", "type": "rectanglelabels", "from_name": \(from), "to_name": "image", \
        "original_width": 20, "original_height": 10, \
        "value": {"x": 10, "y": 10, "width": 50, "height": 50, "rotation": 0, "rectanglelabels": [\(label)]}}
        """
    }

    static let results = [
        rectangle("cat", label: #""Cat""#),
        rectangle("dog", label: #""Big dog""#),
        rectangle("koshka", label: #""Кошка""#),
        rectangle("nul", label: #""a\u0000b""#),
        rectangle("slash", label: #""a/b""#),
        rectangle("backslash", label: #""a\\b""#),
        rectangle("controls", label: #""x\ty\r\n\u001f\u007f""#),
        rectangle("dots", label: #""..""#),
        rectangle("nul-from", from: #""tag\u0000x""#, label: #""Cat""#),
        rectangle("dotdot-from", from: #""..""#, label: #""Cat""#),
        rectangle("long", label: "\"\(String(repeating: "L", count: 300))\""),
        rectangle("cyrillic", label: "\"\(String(repeating: "Ж", count: 150))\""),
    ]

    static let export = """
        [{"id": 1, "data": {"image": "/data/local-files/?d=img/1.jpg"}, "annotations": [
          {"id": 11, "completed_by": {"email": "ann@example.org"}, "result": [\(results.joined(separator: ",\n"))]}]}]
        """

    @Test("exit 0, one file per region, every name <= 255 bytes without controls or slashes, same names twice")
    func hostileLabels() throws {
        let dir = try TempDir()
        let input = dir.path("export.json")
        try Self.export.write(toFile: input, atomically: true, encoding: .utf8)
        var runs: [[String: Data]] = []
        for out in ["a", "b"] {
            let result = try CLI.run(["export", input, "--to", "png", "-o", dir.path(out), "--quiet"])
            #expect(result.status == 0, "\(result.stderrText)")
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path(out)) where name.hasSuffix(".png")
            {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: dir.path(out) + "/" + name))
            }
            runs.append(files)
        }
        let names = runs[0].keys.sorted()
        #expect(names.count == Self.results.count, "\(names)")
        for name in names {
            #expect(name.utf8.count <= 255, "\(name)")
            #expect(!name.contains("/") && !name.contains("\\"), "\(name)")
            #expect(
                !name.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                "\(name.debugDescription)")
        }
        let prefix = "task-1-annotation-11-by-ann@example.org-"
        for expected in [
            "tag-Cat-0.png", "tag-Big dog-0.png", "tag-Кошка-0.png", "tag-a_b~eb38c838-0.png", "tag-a_b~7a90cb64-0.png",
            "tag-a_b~00a3a493-0.png", "tag-..-0.png", "tag_x~bcfa6f2a-Cat-0.png", "..-Cat-0.png",
            "tag-" + String(repeating: "L", count: 173) + "~ed4173d5-0.png",
            "tag-" + String(repeating: "Ж", count: 86) + "~1cbd0027-0.png",
        ] {
            #expect(names.contains(prefix + expected), "missing \(prefix + expected)")
        }
        #expect(runs[0] == runs[1], "the second run wrote other names or bytes")
    }
}
