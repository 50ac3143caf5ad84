import Foundation
import LabelKitFormats
import Testing
import LabelKitJSON

@Suite("Exact JSON reader")
struct ExactJSONTests {
    @Test("every double reads back exactly as written", arguments: 0..<4)
    func doubles(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 77)
        var values: [Double] = []
        for _ in 0..<5000 {
            let magnitude = Double.random(in: -300...300, using: &rng)
            values.append(Double.random(in: -1...1, using: &rng) * Foundation.pow(10, magnitude / 10))
        }
        let text = "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
        let parsed = try #require(try ExactJSON.parse(Data(text.utf8)) as? [Any])
        let back = parsed.map { ($0 as! NSNumber).doubleValue }
        #expect(back == values)
    }

    @Test("strings, escapes, surrogates, literals and nesting")
    func structure() throws {
        let text = #"{"a": "x\"y\\z\/\n\t\u00e9\ud83d\ude00", "b": [true, false, null, -0, 12, 1.5e3], "c": {"d": []}}"#
        let root = try #require(try ExactJSON.parse(Data(text.utf8)) as? [String: Any])
        #expect(root["a"] as? String == "x\"y\\z/\n\té😀")
        let b = try #require(root["b"] as? [Any])
        #expect((b[0] as? NSNumber)?.boolValue == true)
        #expect(b[2] is NSNull)
        #expect((b[4] as? NSNumber)?.intValue == 12)
        #expect((b[5] as? NSNumber)?.doubleValue == 1500)
        #expect(((root["c"] as? [String: Any])?["d"] as? [Any])?.isEmpty == true)
    }

    @Test("malformed texts name the byte at fault", arguments: [
        "[1, 2", "{\"a\" 1}", "[01x]", "\"abc", "[1,]", "{\"a\":1} x", "[\"\\q\"]", "", "-", "[1e]",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONError.self) { try ExactJSON.parse(Data(text.utf8)) }
        do {
            _ = try ExactJSON.parse(Data(text.utf8))
        } catch {
            #expect(error.description.contains("byte"))
        }
    }
}
