import Foundation
import LabelKitJSON

extension ExportShard {
    /// The bytes a task's shard is computed from: the first top-level `id` of the
    /// task's JSON text as written (`42` for `"id": 42`), a string id's characters,
    /// or `index` as decimal text when the task has no id (or one that is not a
    /// number or a string, or the element is not an object).
    ///
    /// Only the task's own members are stepped over, never parsed, so choosing the
    /// tasks of a shard costs little beside exporting them.
    ///
    /// - Complexity: O(n) in the bytes before the `id` member, which Label Studio
    ///   writes first.
    public static func taskKey(of json: Data, index: Int) -> [UInt8] {
        let key = json.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [UInt8]? in
            var scanner = MemberScanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.idValue()
        }
        return key ?? Array(String(index).utf8)
    }
}

/// Steps through the members of one JSON object to the value of its `id`.
private struct MemberScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The `id` member's key bytes, or nil.
    mutating func idValue() -> [UInt8]? {
        guard skipSpace() == UInt8(ascii: "{") else { return nil }
        position += 1
        while skipSpace() == UInt8(ascii: "\"") {
            let name = stringRange()
            guard let name, skipSpace() == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let first = skipSpace() else { return nil }
            let isID =
                name.count == 2 && bytes[name.lowerBound] == UInt8(ascii: "i")
                && bytes[name.lowerBound + 1] == UInt8(ascii: "d")
            if isID { return idBytes(first) }
            guard skipValue(first) else { return nil }
            guard skipSpace() == UInt8(ascii: ",") else { return nil }
            position += 1
        }
        return nil
    }

    /// The key of an `id` value starting with `first`: a number's text, a string's
    /// characters; nil for anything else.
    private mutating func idBytes(_ first: UInt8) -> [UInt8]? {
        let start = position
        if first == UInt8(ascii: "\"") {
            guard let range = stringRange() else { return nil }
            let raw = bytes[range]
            guard raw.contains(UInt8(ascii: "\\")) else { return Array(raw) }
            // Escapes are rare in ids: let the exact reader decode the literal.
            let literal = Data(bytes[start..<position])
            return (try? ExactJSON.parse(literal) as? String).map { Array($0.utf8) }
        }
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        while position < bytes.count, !Self.ends(bytes[position]) { position += 1 }
        return Array(bytes[start..<position])
    }

    /// Steps over one value; false when the text ends inside it.
    private mutating func skipValue(_ first: UInt8) -> Bool {
        if first == UInt8(ascii: "\"") { return stringRange() != nil }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            while position < bytes.count, !Self.ends(bytes[position]) { position += 1 }
            return true
        }
        guard let after = JSONSkip.bracketed(bytes, from: position + 1, end: bytes.count) else { return false }
        position = after
        return true
    }

    /// Steps over a string literal starting at `position` and returns the range of
    /// its characters (without the quotes), or nil when it is not closed.
    private mutating func stringRange() -> Range<Int>? {
        guard let after = JSONSkip.string(bytes, from: position, end: bytes.count) else { return nil }
        defer { position = after }
        return (position + 1)..<(after - 1)
    }

    /// The next byte that is not whitespace (not consumed), or nil at the end.
    private mutating func skipSpace() -> UInt8? {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
            position += 1
        }
        return nil
    }

    /// True for the bytes that end a number or literal.
    private static func ends(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
            || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
