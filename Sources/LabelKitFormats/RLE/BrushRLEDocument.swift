import Foundation
import LabelKitCore
import LabelKitJSON

/// A Label Studio brush RLE with its image size, as the CLI and the HTTP API
/// exchange it: `{"rle": [...], "width": W, "height": H}`.
///
/// Reading is lenient about the wrapper: a Label Studio brush result
/// (`value.rle`, `original_width`, `original_height`), a `{"value": {...}}`
/// object, or a bare array with the size given separately are all accepted;
/// extra fields are ignored.
public struct BrushRLEDocument: Hashable, Sendable {
    /// The `rle-pack` bytes, as Label Studio stores them.
    public var rle: [UInt8]
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int

    /// Creates a document.
    public init(rle: [UInt8], width: Int, height: Int) {
        self.rle = rle
        self.width = width
        self.height = height
    }

    /// Parses one document from JSON.
    ///
    /// - Parameter width: used when the JSON carries no width (a bare array).
    /// - Parameter height: used when the JSON carries no height.
    /// - Throws: ``FormatsError`` naming the missing or invalid field.
    public init(json: Data, width: Int? = nil, height: Int? = nil) throws(FormatsError) {
        try self.init(object: try JSONFields.parse(json), width: width, height: height)
    }

    /// Reads one document from an already decoded JSON value (``ExactJSON``).
    public init(object root: Any, width: Int? = nil, height: Int? = nil) throws(FormatsError) {
        if root is [Any] {
            guard let width, let height else {
                throw FormatsError(.missingField, "a bare RLE array needs --width and --height")
            }
            self.init(rle: try JSONFields.bytes(root, field: "rle"), width: width, height: height)
            return
        }
        guard let object = root as? [String: Any] else {
            throw FormatsError(.invalidField, "expected a JSON object with \"rle\", \"width\" and \"height\"")
        }
        let value = object["value"] as? [String: Any]
        guard let rle = object["rle"] ?? value?["rle"] else {
            throw FormatsError(.missingField, "missing field \"rle\" (or \"value.rle\")")
        }
        let w = JSONNumber.integer(object["width"] ?? object["original_width"]) ?? width
        let h = JSONNumber.integer(object["height"] ?? object["original_height"]) ?? height
        guard let w, let h else {
            throw FormatsError(.missingField, "missing \"width\"/\"height\" (or \"original_width\"/\"original_height\")")
        }
        self.init(rle: try JSONFields.bytes(rle, field: "rle"), width: w, height: h)
    }

    /// The compact JSON form `{"rle":[...],"width":W,"height":H}`, written digit
    /// by digit into one buffer (a 1080p mask's RLE is tens of kilobytes).
    public func json() -> String {
        let head = Array(#"{"rle":["#.utf8), tail = Array("],\"width\":\(width),\"height\":\(height)}".utf8)
        return String(unsafeUninitializedCapacity: head.count + rle.count * 4 + tail.count) { buffer in
            var n = 0
            for b in head {
                buffer[n] = b
                n += 1
            }
            rle.withUnsafeBufferPointer { bytes in
                for i in 0..<bytes.count {
                    let byte = bytes[i]
                    if i > 0 {
                        buffer[n] = UInt8(ascii: ",")
                        n += 1
                    }
                    if byte >= 100 {
                        buffer[n] = UInt8(ascii: "0") &+ byte / 100
                        n += 1
                    }
                    if byte >= 10 {
                        buffer[n] = UInt8(ascii: "0") &+ byte / 10 % 10
                        n += 1
                    }
                    buffer[n] = UInt8(ascii: "0") &+ byte % 10
                    n += 1
                }
            }
            for b in tail {
                buffer[n] = b
                n += 1
            }
            return n
        }
    }
}
