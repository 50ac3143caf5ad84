import Foundation

/// JSON text written by hand (the command line's, the HTTP API's and the frame
/// store's documents), so numbers and key order are stable and no encoder runs
/// per value on hot paths.
public enum JSONText {
    /// A number in the shortest form that reads back to the same Double
    /// (integers without a fraction).
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `["a","b"]`.
    public static func array(_ items: [String]) -> String {
        if items.isEmpty { return "[]" }
        return "[" + items.map(quoted).joined(separator: ",") + "]"
    }

    /// `{"k":"v"}` with keys sorted.
    public static func object(_ fields: [String: String]) -> String {
        if fields.isEmpty { return "{}" }
        return "{" + fields.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }
            .joined(separator: ",") + "}"
    }

    /// A Foundation value (`[String: Any]`, `[Any]`, strings, numbers, `NSNull`) as
    /// compact JSON text with sorted keys; empty when it holds a value JSON cannot
    /// carry (NaN, an infinity).
    public static func of(_ object: Any) -> String {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
