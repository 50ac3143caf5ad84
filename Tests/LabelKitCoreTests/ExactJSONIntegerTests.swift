import Foundation
import LabelKitFormats
import Testing
import LabelKitJSON

/// Integers in ExactJSON, from inputs found by `Fuzz/FuzzExactJSON`: `[0123456789012345678]`
/// used to read as `[Any]` (its 19 characters missed the 18-digit fast path) while the same
/// number written without the leading zero read as `[Int]`; leading zeros are not JSON.
@Suite("Exact JSON integers")
struct ExactJSONIntegerTests {
    @Test("numbers with a leading zero are refused", arguments: [
        "[0123456789012345678]", "01", "-01", "[1, 00]", "{\"a\": 007}", "00.5", "[-00e1]",
    ])
    func leadingZero(_ text: String) {
        do {
            _ = try ExactJSON.parse(Data(text.utf8))
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.description.contains("leading zero"), "\(error.description)")
        }
    }

    @Test("zero, negative zero and zero fractions still read", arguments: ["0", "-0", "0.5", "-0.0", "0e3", "[0, -0]"])
    func zeros(_ text: String) throws {
        _ = try ExactJSON.parse(Data(text.utf8))
    }

    @Test("arrays of integers that fit Int come back as [Int], up to Int.min and Int.max")
    func nineteenDigits() throws {
        let text = "[1234567890123456789, -9223372036854775808, 9223372036854775807, 0, -1]"
        let value = try ExactJSON.parse(Data(text.utf8))
        #expect(type(of: value) == [Int].self)
        #expect(value as? [Int] == [1_234_567_890_123_456_789, Int.min, Int.max, 0, -1])
    }

    @Test("integers beyond Int read as doubles, in arrays and alone")
    func beyondInt() throws {
        let list = try #require(try ExactJSON.parse(Data("[9223372036854775808, 1]".utf8)) as? [Any])
        #expect(type(of: list[0]) == Double.self)
        #expect(list[0] as? Double == 9_223_372_036_854_775_808)
        #expect(type(of: list[1]) == Int.self)
        let alone = try ExactJSON.parse(Data("-9223372036854775809".utf8))
        #expect(alone as? Double == -9_223_372_036_854_775_808)
    }

    @Test("an integer array reads the same whether written with 18 or 19 digits")
    func sameTypeForEveryLength() throws {
        for text in ["[123456789012345678]", "[1234567890123456789]", "[-1234567890123456789]"] {
            let value = try ExactJSON.parse(Data(text.utf8))
            #expect(type(of: value) == [Int].self, "\(text)")
        }
    }
}
