import Foundation

/// Compact JSON written straight into bytes, byte for byte what
/// ``JSONText/of(_:)`` (JSONSerialization with sorted keys, slashes unescaped)
/// writes for the same values, without building Foundation objects: for the
/// answers on hot paths (the label stream's), where the dynamic casts of
/// JSONSerialization cost more than the work answered.
///
/// The caller writes an object's fixed keys already in sorted order;
/// ``sortedKeys(_:)`` orders keys that come from data the way JSONSerialization does.
public struct JSONWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Punctuation or a literal, as is: `{`, `,"key":`, `null`.
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"key":` for a key of the caller's (written as a string literal).
    public mutating func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A string literal, escaped as JSONSerialization escapes it: `\"`, `\\`,
    /// `\b \t \n \f \r`, other controls as `\u00xx`; everything else as is.
    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x08: raw("\\b")
            case 0x09: raw("\\t")
            case 0x0A: raw("\\n")
            case 0x0C: raw("\\f")
            case 0x0D: raw("\\r")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// An integer.
    public mutating func integer<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A finite Double as JSONSerialization writes it: its shortest description,
    /// without a trailing `.0`.
    public mutating func double(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// An optional integer, `null` when absent.
    public mutating func integer<I: BinaryInteger>(_ value: I?) {
        if let value { integer(value) } else { raw("null") }
    }

    /// `["a","b"]`.
    public mutating func strings(_ items: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `{"k":"v"}`, keys in JSONSerialization's order.
    public mutating func object(_ fields: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, name) in Self.sortedKeys(fields.keys).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            key(name)
            string(fields[name]!)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Keys in the order JSONSerialization's `sortedKeys` writes them: numeric,
    /// case-insensitive comparison in the system locale, ties broken by the
    /// characters themselves.
    public static func sortedKeys<C: Collection<String>>(_ keys: C) -> [String] {
        if keys.count < 2 { return Array(keys) }
        return keys.sorted { a, b in
            a.compare(
                b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex,
                locale: NSLocale.system as Locale) == .orderedAscending
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
