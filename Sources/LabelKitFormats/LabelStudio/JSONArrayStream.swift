import Foundation

/// Reads a JSON file whose root is an array one element at a time, holding only
/// the current element in memory, so exports of several gigabytes stream.
///
/// The scanner tracks strings, escapes and nesting depth over 1 MiB chunks and
/// hands out each top-level element's bytes; each element is then parsed on its
/// own. A root that is a single object is returned as one element.
///
///     var stream = try JSONArrayStream(path: "export.json")
///     while let element = try stream.next() { ... JSONSerialization on element.bytes ... }
public struct JSONArrayStream: ~Copyable {
    /// One element of the root array.
    public struct Element: Sendable {
        /// Its position in the array (0-based).
        public var index: Int
        /// Byte offset of its first byte in the file.
        public var offset: Int
        /// Its JSON text.
        public var bytes: Data
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var consumed = 0
    private var atEnd = false
    private var started = false
    private var finished = false
    private var rootIsObject = false
    private var count = 0
    private let path: String

    /// Opens a file.
    ///
    /// - Throws: ``FormatsError`` `.invalidJSON` when the file cannot be opened.
    public init(path: String) throws(FormatsError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FormatsError(.invalidJSON, "\(path): cannot open the file")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// The next element, or nil after the last one.
    ///
    /// - Throws: ``FormatsError`` `.invalidJSON` naming the byte offset of a
    ///   malformed array (unterminated string or element, missing `[`).
    public mutating func next() throws(FormatsError) -> Element? {
        guard !finished else { return nil }
        if !started {
            guard let first = try skipWhitespace() else {
                throw FormatsError(.invalidJSON, "\(path): the file is empty")
            }
            started = true
            if first == UInt8(ascii: "{") {
                rootIsObject = true
            } else if first == UInt8(ascii: "[") {
                position += 1
            } else {
                throw FormatsError(.invalidJSON, "\(path): expected a JSON array or object at byte \(consumed + position)")
            }
        }
        // Skip the separator before the element: a ',' after an element, none before the first.
        var sawComma = false
        while true {
            guard let byte = try skipWhitespace() else {
                if rootIsObject && count > 0 {
                    finished = true
                    return nil
                }
                throw FormatsError(.invalidJSON, "\(path): the array is not closed (missing ']')")
            }
            if byte == UInt8(ascii: ",") && !rootIsObject {
                guard count > 0 && !sawComma else {
                    throw FormatsError(.invalidJSON, "\(path): unexpected ',' at byte \(consumed + position)")
                }
                sawComma = true
                position += 1
                continue
            }
            if byte == UInt8(ascii: "]") && !rootIsObject {
                guard !sawComma else {
                    throw FormatsError(.invalidJSON, "\(path): trailing ',' before ']' at byte \(consumed + position)")
                }
                finished = true
                return nil
            }
            break
        }
        if rootIsObject && count > 0 {
            finished = true
            return nil
        }
        if !rootIsObject && count > 0 && !sawComma {
            throw FormatsError(.invalidJSON, "\(path): expected ',' or ']' before byte \(consumed + position)")
        }
        if let first = buffer.indices.contains(position) ? buffer[position] : nil,
            first == UInt8(ascii: "}") || first == UInt8(ascii: "]")
        {
            throw FormatsError(.invalidJSON, "\(path): unexpected '\(UnicodeScalar(first))' at byte \(consumed + position)")
        }
        let start = consumed + position
        var element: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if position >= buffer.count {
                guard try refill() else {
                    throw FormatsError(.invalidJSON, "\(path): element \(count) starting at byte \(start) is cut off")
                }
            }
            let chunkStart = position
            var done = false
            while position < buffer.count {
                let byte = buffer[position]
                position += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { done = true }
                    if depth < 0 {
                        // A scalar element ended by the closing bracket of the root.
                        position -= 1
                        done = true
                    }
                case UInt8(ascii: ","):
                    if depth == 0 {
                        position -= 1
                        done = true
                    }
                default:
                    break
                }
                if done { break }
            }
            element.append(contentsOf: buffer[chunkStart..<position])
            if done { break }
        }
        defer { count += 1 }
        return Element(index: count, offset: start, bytes: Data(element))
    }

    /// The next non-whitespace byte (not consumed), or nil at the end of the file.
    private mutating func skipWhitespace() throws(FormatsError) -> UInt8? {
        while true {
            while position < buffer.count {
                let byte = buffer[position]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                    position += 1
                } else {
                    return byte
                }
            }
            guard try refill() else { return nil }
        }
    }

    /// Replaces the consumed buffer with the next chunk; false at the end of the file.
    private mutating func refill() throws(FormatsError) -> Bool {
        guard !atEnd else { return false }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: 1 << 20)
        } catch {
            throw FormatsError(.invalidJSON, "\(path): read failed: \(error.localizedDescription)")
        }
        consumed += buffer.count
        guard let chunk, !chunk.isEmpty else {
            atEnd = true
            buffer = []
            position = 0
            return false
        }
        buffer = [UInt8](chunk)
        position = 0
        return true
    }
}
