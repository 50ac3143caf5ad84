import Foundation
import LabelKitJSON

/// The documents' field readers: JSON parsed exactly (``ExactJSON``) and fields
/// read with ``FormatsError``s that name the field at fault (numbers through
/// ``JSONNumber``).
public enum JSONFields {
    /// Parses JSON bytes into Foundation objects, numbers exact.
    ///
    /// - Throws: ``FormatsError`` `.invalidJSON` naming the byte at fault.
    public static func parse(_ data: Data) throws(FormatsError) -> Any {
        do {
            return try ExactJSON.parse(data)
        } catch {
            throw FormatsError(error)
        }
    }

    /// A required integer field of an object.
    public static func requiredInteger(_ object: [String: Any], _ key: String, in context: String) throws(FormatsError) -> Int {
        guard let raw = object[key] else {
            throw FormatsError(.missingField, "\(context): missing field \"\(key)\"")
        }
        guard let value = JSONNumber.integer(raw) else {
            throw FormatsError(.invalidField, "\(context): field \"\(key)\" must be an integer")
        }
        return value
    }

    /// Reads a JSON array of integers into bytes, naming the first bad element.
    public static func bytes(_ value: Any?, field: String) throws(FormatsError) -> [UInt8] {
        if let ints = value as? [Int], let v = value, type(of: v) == [Int].self {
            var out = [UInt8]()
            out.reserveCapacity(ints.count)
            for (i, int) in ints.enumerated() {
                guard (0...255).contains(int) else {
                    throw FormatsError(.invalidField, "\(field)[\(i)] = \(int) is not an integer 0...255")
                }
                out.append(UInt8(int))
            }
            return out
        }
        guard let array = value as? [Any] else {
            throw FormatsError(.invalidField, "field \"\(field)\" must be an array of integers 0...255")
        }
        var out = [UInt8]()
        out.reserveCapacity(array.count)
        for (i, element) in array.enumerated() {
            if type(of: element) == Int.self, let int = element as? Int, (0...255).contains(int) {
                out.append(UInt8(int))
                continue
            }
            guard let v = JSONNumber.integer(element), (0...255).contains(v) else {
                throw FormatsError(.invalidField, "\(field)[\(i)] = \(element) is not an integer 0...255")
            }
            out.append(UInt8(v))
        }
        return out
    }
}
