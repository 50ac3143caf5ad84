import Foundation
import LabelKitJSON
import Testing

/// The strict readers every module uses for JSON numbers and booleans, on values
/// from both parsers (ExactJSON's Swift numbers, JSONSerialization's NSNumbers).
@Suite("JSON numbers")
struct JSONNumberTests {
    /// `text` parsed by both parsers: the value of its only field.
    static func values(_ text: String) throws -> [Any] {
        let json = Data("{\"v\": \(text)}".utf8)
        let exact = try #require(ExactJSON.parse(json) as? [String: Any])["v"]
        let foundation = try #require(JSONSerialization.jsonObject(with: json) as? [String: Any])["v"]
        return [exact as Any, foundation as Any]
    }

    @Test("integers: no fraction, no boolean, no string, within 9e15")
    func integers() throws {
        for value in try Self.values("42") { #expect(JSONNumber.integer(value) == 42) }
        for value in try Self.values("-3.0") { #expect(JSONNumber.integer(value) == -3) }
        for text in ["1.5", "true", "false", "\"7\"", "null", "1e20", "[1]"] {
            for value in try Self.values(text) { #expect(JSONNumber.integer(value) == nil, "\(text)") }
        }
    }

    @Test("finite numbers and booleans are kept apart")
    func numbersAndBooleans() throws {
        for value in try Self.values("2.5") { #expect(JSONNumber.finite(value) == 2.5) }
        for value in try Self.values("1") {
            #expect(JSONNumber.finite(value) == 1)
            #expect(JSONNumber.boolean(value) == nil)
        }
        for value in try Self.values("true") {
            #expect(JSONNumber.finite(value) == nil)
            #expect(JSONNumber.boolean(value) == true)
            #expect(JSONNumber.coordinate(value) == nil)
        }
        for value in try Self.values("false") { #expect(JSONNumber.boolean(value) == false) }
        #expect(JSONNumber.finite(try ExactJSON.parse(Data("NaN".utf8))) == nil)
        #expect(JSONNumber.coordinate(try ExactJSON.parse(Data("Infinity".utf8))) == .infinity)
    }
}
