import Foundation
import Testing

import LabelKitJSON
@testable import LabelKitFormats

/// JSON text must be UTF-8: other bytes are an error naming their offset, not
/// replacement characters.
@Suite("Exact JSON: UTF-8")
struct ExactJSONUTF8Tests {
    @Test("valid UTF-8 of every length parses to the same scalars")
    func valid() throws {
        let text = #"["Кошка", "猫", "🐈", "a\u00e9"]"#
        let value = try ExactJSON.parse(Data(text.utf8)) as? [String]
        #expect(value == ["Кошка", "猫", "🐈", "aé"])
    }

    @Test(
        "invalid sequences are refused at their first byte",
        arguments: [
            ([0xFF], 2), ([0xC3], 2), ([0xC0, 0x80], 2), ([0xE0, 0x80, 0x80], 2), ([0xED, 0xA0, 0x80], 2),
            ([0xF4, 0x90, 0x80, 0x80], 2), ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x80], 9),
        ] as [([UInt8], Int)])
    func invalid(bytes: [UInt8], offset: Int) {
        let text: [UInt8] = Array("[\"".utf8) + bytes + Array("\"]".utf8)
        do {
            _ = try ExactJSON.parse(Data(text))
            Issue.record("accepted \(bytes)")
        } catch {
            #expect(error.description.contains("byte \(offset)"), "\(error.description)")
        }
    }
}
