import Foundation
import LabelKitFormats
import Testing

/// `JSONArrayStream` over generated files: every element must come out with the
/// exact bytes it has in the file, its index and its offset, whatever strings,
/// nesting, whitespace and chunk boundaries (1 MiB) it contains.
@Suite("JSONArrayStream")
struct JSONArrayStreamTests {
    static let chunk = 1 << 20

    /// What the stream yields, read to the end (at most `cap` elements, so a
    /// stream that never ends fails instead of hanging).
    struct Read {
        var elements: [JSONArrayStream.Element] = []
        var error: FormatsError?
        var capped = false
    }

    static func read(_ text: String, cap: Int = 10_000) throws -> (Read, [UInt8]) {
        try read(bytes: Array(text.utf8), cap: cap)
    }

    static func read(bytes: [UInt8], cap: Int = 10_000) throws -> (Read, [UInt8]) {
        let dir = try ExportTempDir()
        let path = dir.sub("input.json")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var out = Read()
        do {
            var stream = try JSONArrayStream(path: path)
            while let element = try stream.next() {
                out.elements.append(element)
                if out.elements.count >= cap {
                    out.capped = true
                    break
                }
            }
        } catch {
            out.error = error
        }
        return (out, bytes)
    }

    static func trimmed(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Each element's bytes are exactly the file's bytes at its offset, and parse
    /// to the same value as the corresponding element of the whole array.
    static func checkAgainstWholeParse(_ read: Read, _ bytes: [UInt8]) throws {
        let whole = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? [Any])
        #expect(read.error == nil)
        #expect(read.elements.count == whole.count)
        for (k, element) in read.elements.enumerated() {
            #expect(element.index == k)
            let slice = Array(bytes[element.offset..<(element.offset + element.bytes.count)])
            #expect(
                slice == Array(element.bytes), "element \(k): bytes differ from the file at offset \(element.offset)")
            #expect(
                bytes[element.offset] != 0x20 && bytes[element.offset] != 0x0A, "element \(k) starts with whitespace")
            guard k < whole.count else { continue }
            let mine = try JSONSerialization.jsonObject(with: element.bytes, options: [.fragmentsAllowed])
            let a = try JSONSerialization.data(withJSONObject: [mine], options: [.sortedKeys])
            let b = try JSONSerialization.data(withJSONObject: [whole[k]], options: [.sortedKeys])
            #expect(a == b, "element \(k) parses differently")
        }
    }

    @Test("strings with brackets, braces, commas, escaped quotes, backslashes and unicode")
    func trickyStrings() throws {
        let elements = [
            #"{"s": "a ] } [ { , \" \\ \\\" \\\\ end", "t": "\\", "u": "h\u00e9llo ✓ 😀 \ud83d\ude00 日本"}"#,
            #"{"nested": [[1, [2, [3, {"deep": "]]]"}]]], []], "empty": {}, "e": ""}"#,
            #"[1, "]", [2, "[", {"k": "}"}]]"#,
            #"{"quote_at_end": "\"", "slash_at_end": "\\", "esc": "\/\b\f\n\r\t"}"#,
            #"{"id": 7, "data": {"image": "/data/local-files/?d=a%2Cb,c].jpg"}}"#,
            "42", #""a, string ] with } closers""#, "true", "null", "-1.5e-3",
        ]
        let text = "[" + elements.joined(separator: ",") + "]"
        let (read, bytes) = try Self.read(text)
        try Self.checkAgainstWholeParse(read, bytes)
        #expect(read.elements.map { Self.trimmed($0.bytes) } == elements)
    }

    @Test("whitespace variants around and between elements", arguments: [" ", "\n", "\r\n", "\t", " \r\n\t  \n", ""])
    func whitespace(_ ws: String) throws {
        let elements = [#"{"a": [1, 2]}"#, #"{"b": "x"}"#, #"[{"c": null}]"#]
        let text = ws + "[" + ws + elements.joined(separator: ws + "," + ws) + ws + "]" + ws
        let (read, bytes) = try Self.read(text)
        try Self.checkAgainstWholeParse(read, bytes)
        #expect(read.elements.map { Self.trimmed($0.bytes) } == elements)
    }

    @Test("an empty array yields nothing", arguments: ["[]", "[ ]", " \n[\r\n\t]\n "])
    func emptyArray(_ text: String) throws {
        let (read, _) = try Self.read(text)
        #expect(read.error == nil)
        #expect(read.elements.isEmpty)
    }

    @Test("a root object is one element at its offset")
    func rootObject() throws {
        let object = #"{"id": 3, "data": {"image": "[x].png"}, "annotations": [{"result": []}]}"#
        let (read, bytes) = try Self.read("\n  " + object + "\n")
        #expect(read.error == nil)
        #expect(read.elements.count == 1)
        let element = try #require(read.elements.first)
        #expect(element.index == 0)
        #expect(element.offset == 3)
        #expect(Self.trimmed(element.bytes) == object)
        #expect(Array(bytes[3..<(3 + element.bytes.count)]) == Array(element.bytes))
    }

    @Test("elements larger than the 1 MiB read chunk span chunks intact")
    func largeElements() throws {
        // A 2.5 MiB string full of characters that matter to the scanner, a nested
        // 1.2 MiB array, then small elements after them.
        let unit = #"ab\"cd]}{[,\\ "#
        let big = String(repeating: unit, count: (5 * Self.chunk / 2) / unit.utf8.count)
        let nested = "[" + Array(repeating: #"[1,{"k":"]"}]"#, count: 100_000).joined(separator: ",") + "]"
        let elements = [#"{"small": 1}"#, #"{"big": ""# + big + #"", "after": [1]}"#, nested, #"{"tail": "]"}"#]
        let text = "[" + elements.joined(separator: ",\n") + "]"
        #expect(text.utf8.count > 3 * Self.chunk)
        let (read, bytes) = try Self.read(text)
        try Self.checkAgainstWholeParse(read, bytes)
        #expect(read.elements.map { Self.trimmed($0.bytes) } == elements)
    }

    /// An escape (or a closing quote, or the end of an element) exactly at the
    /// chunk boundary: for every alignment around byte 2^20.
    @Test("escapes and quotes straddling the chunk boundary", arguments: -6...3)
    func boundaryAlignment(_ shift: Int) throws {
        let head = #"[{"a": ""#
        for tail in [#"\"]}\\", "b": 1}, {"c": "\\"}]"#, #"\\"}, {"c": "\""}]"#, #""}, {"c": 2}]"#] {
            let fill = Self.chunk - head.utf8.count + shift
            let text = head + String(repeating: "x", count: fill) + tail
            let (read, bytes) = try Self.read(text)
            try Self.checkAgainstWholeParse(read, bytes)
            #expect(read.elements.count == 2, "shift \(shift), tail \(tail)")
        }
    }

    @Test("offsets of elements after a large one count every byte")
    func offsets() throws {
        var text = "[\n"
        var expected: [Int] = []
        for k in 0..<5 {
            if k > 0 { text += ",\n  " }
            expected.append(text.utf8.count)
            text += #"{"k": \#(k), "pad": ""# + String(repeating: "é", count: 300_000 * k) + #""}"#
        }
        text += "\n]"
        let (read, bytes) = try Self.read(text)
        try Self.checkAgainstWholeParse(read, bytes)
        #expect(read.elements.map(\.offset) == expected)
    }

    @Test("a file cut inside an element names the element and its byte offset")
    func truncatedInsideElement() throws {
        let (read, _) = try Self.read(#"[{"id": 1}, {"id": 2, "s": "abc"#)
        #expect(read.elements.count == 1)
        let error = try #require(read.error)
        #expect(error.code == .invalidJSON)
        #expect(error.message.contains("element 1"), "\(error.message)")
        #expect(error.message.contains("byte 12"), "\(error.message)")
    }

    @Test("a large element cut off in its third chunk names the element and its offset")
    func truncatedLargeElement() throws {
        let text = #"[{"a": 1}, {"big": ""# + String(repeating: "y", count: 2 * Self.chunk + 1000)
        let (read, _) = try Self.read(text)
        #expect(read.elements.count == 1)
        let error = try #require(read.error)
        #expect(error.code == .invalidJSON)
        #expect(error.message.contains("element 1") && error.message.contains("byte 11"), "\(error.message)")
    }

    @Test(
        "a file cut between elements is an error, not a short read",
        arguments: [#"[{"id": 1},"#, #"[{"id": 1}"#, "[", "[\n  "])
    func truncatedBetweenElements(_ text: String) throws {
        let (read, _) = try Self.read(text)
        let error = try #require(read.error)
        #expect(error.code == .invalidJSON)
    }

    @Test("an empty file or another root is an error naming the offset", arguments: ["", "   \n", "\"abc\"", "  42"])
    func notAnArray(_ text: String) throws {
        let (read, _) = try Self.read(text)
        let error = try #require(read.error)
        #expect(error.code == .invalidJSON)
        #expect(read.elements.isEmpty)
        if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            #expect(error.message.contains("byte \(text.prefix { $0 == " " }.count)"), "\(error.message)")
        }
    }

    /// A stray closing bracket where an element should start must not loop: the
    /// scanner used to return an empty element without consuming the byte, forever.
    @Test(
        "a stray closer between elements is an error, not an endless stream", arguments: ["[}", #"[{"a": 1}}]"#, "[1}"])
    func strayCloser(_ text: String) throws {
        let (read, _) = try Self.read(text, cap: 50)
        let endless = read.capped, code = read.error?.code
        #expect(!endless, "\(text): the stream yielded \(read.elements.count)+ (empty) elements without ending")
        #expect(code == .invalidJSON, "\(text): no error")
    }
}
