import Foundation
import LabelKitJSON

/// One task line of a journal as ``JournalLine`` wrote it, read in place: byte
/// ranges into the journal, no value decoded until asked for. Any other text (a
/// line torn by a kill, a journal of an older version) reads as nil.
struct JournalRecord {
    /// The task's position in the input.
    var index: Int
    /// The `task` string literal (quotes included).
    var task: Range<Int>
    /// True when the task failed (`failures` says why).
    var failed: Bool
    /// The `files` string literals.
    var files: [Range<Int>]
    /// Positions in ``files`` kept in a shard's staging folder.
    var held: [Int]
    /// The `errors.jsonl` lines of the failures.
    var failures: [Range<Int>]
    /// The inside of the `coco` array, read by ``forEachCOCOPart(in:_:)``.
    var coco: Range<Int>?

    /// An image or annotation: its text and where its holes are.
    struct Object {
        var text: Range<Int>
        var cuts: [Int]
    }

    /// Reads the line `range` of `bytes` (without its newline).
    init?(_ bytes: UnsafeBufferPointer<UInt8>, line range: Range<Int>) {
        var cursor = Cursor(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        guard cursor.take("{\"i\":"), let index = cursor.integer(), cursor.take(",\"task\":"),
            let task = cursor.string(), cursor.take(",\"status\":\"")
        else { return nil }
        self.index = index
        self.task = task
        if cursor.take("done\"") {
            failed = false
        } else if cursor.take("failed\"") {
            failed = true
        } else {
            return nil
        }
        guard cursor.take(",\"files\":["), let files = cursor.list({ $0.string() }) else { return nil }
        self.files = files
        held = []
        if cursor.take(",\"held\":[") {
            guard let held = cursor.list({ $0.integer() }), held.allSatisfy(files.indices.contains) else { return nil }
            self.held = held
        }
        failures = []
        if cursor.take(",\"failures\":[") {
            guard let failures = cursor.list({ $0.object() }) else { return nil }
            self.failures = failures
        }
        coco = nil
        if cursor.take(",\"coco\":[") {
            // The last member: its parts are taken by their lengths when read, never scanned here.
            let closing = range.upperBound - 2
            guard closing >= cursor.position, bytes[closing] == UInt8(ascii: "]") else { return nil }
            coco = cursor.position..<closing
            cursor.position = closing + 1
        }
        guard cursor.take("}"), cursor.position == range.upperBound else { return nil }
    }

    /// Calls `body` with each COCO image of the task and its annotations (category
    /// string literal and object), in order.
    ///
    /// - Returns: false when the `coco` text is not as ``JournalLine`` writes it.
    func forEachCOCOPart(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (Object, [(category: Range<Int>, object: Object)]) -> Void
    ) -> Bool {
        guard let coco else { return true }
        var cursor = Cursor(bytes: bytes, position: coco.lowerBound, end: coco.upperBound)
        while cursor.position < coco.upperBound {
            if cursor.position > coco.lowerBound && !cursor.take(",") { return false }
            guard cursor.take("[["), let image = cursor.splicedObject(holes: 1), cursor.take("]") else { return false }
            var annotations: [(Range<Int>, Object)] = []
            while cursor.take(",[") {
                guard let category = cursor.string(), cursor.take(","), let object = cursor.splicedObject(holes: 3),
                    cursor.take("]")
                else { return false }
                annotations.append((category, object))
            }
            guard cursor.take("]") else { return false }
            body(image, annotations)
        }
        return true
    }

    /// The text of a string literal (`"..."`).
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: Range<Int>) -> String {
        let inside = UnsafeBufferPointer(rebasing: bytes[(literal.lowerBound + 1)..<(literal.upperBound - 1)])
        if !inside.contains(UInt8(ascii: "\\")) { return String(decoding: inside, as: UTF8.self) }
        let data = Data(UnsafeBufferPointer(rebasing: bytes[literal]))
        return (try? ExactJSON.parse(data) as? String) ?? String(decoding: inside, as: UTF8.self)
    }

    /// A reader over the bytes of one line that knows the shapes ``JournalLine`` writes.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        let end: Int

        /// Consumes `text` when the line continues with it.
        mutating func take(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard position + count <= end else { return false }
            for k in 0..<count where bytes[position + k] != text.utf8Start[k] { return false }
            position += count
            return true
        }

        /// A non-negative decimal integer.
        mutating func integer() -> Int? {
            var value = 0
            let start = position
            while position < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                value = value &* 10 &+ Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            return position > start && position - start <= 18 ? value : nil
        }

        /// A string literal's range, quotes included.
        mutating func string() -> Range<Int>? {
            guard position < end, bytes[position] == UInt8(ascii: "\""),
                let after = JSONSkip.string(bytes, from: position, end: end)
            else { return nil }
            defer { position = after }
            return position..<after
        }

        /// An object's range, stepped over bracket by bracket.
        mutating func object() -> Range<Int>? {
            guard position < end, bytes[position] == UInt8(ascii: "{") else { return nil }
            let start = position
            position += 1
            return skipToClosingBracket() ? start..<position : nil
        }

        /// `ITEM,ITEM,...]` after the opening `[`.
        mutating func list<Item>(_ item: (inout Cursor) -> Item?) -> [Item]? {
            var items: [Item] = []
            if take("]") { return items }
            repeat {
                guard let next = item(&self) else { return nil }
                items.append(next)
            } while take(",")
            return take("]") ? items : nil
        }

        /// `CUT,...,LENGTH,OBJECT` with `holes` cuts; the object is taken by its length.
        mutating func splicedObject(holes: Int) -> Object? {
            var cuts: [Int] = []
            for _ in 0..<holes {
                guard let cut = integer(), take(",") else { return nil }
                cuts.append(cut)
            }
            guard let length = integer(), take(","), length >= 2, position + length <= end,
                bytes[position] == UInt8(ascii: "{"), bytes[position + length - 1] == UInt8(ascii: "}"),
                cuts.allSatisfy({ $0 > 0 && $0 < length - 1 })
            else { return nil }
            defer { position += length }
            return Object(text: position..<(position + length), cuts: cuts)
        }

        /// Steps past the bracket that closes the one just opened (strings respected).
        mutating func skipToClosingBracket() -> Bool {
            guard let after = JSONSkip.bracketed(bytes, from: position, end: end) else { return false }
            position = after
            return true
        }
    }
}
