import Foundation

/// Helpers for reading loosely shaped JSON (extra fields ignored) with errors that
/// name the field at fault.
enum JSONValue {
    /// Parses JSON bytes into Foundation objects, numbers exact (``ExactJSON``).
    static func parse(_ data: Data) throws(FormatsError) -> Any {
        try ExactJSON.parse(data)
    }

    /// An integer (a JSON number with no fractional part), or nil.
    static func integer(_ value: Any?) -> Int? {
        // Integers from ExactJSON are Swift Ints: no bridging, no object.
        if let v = value, type(of: v) == Int.self, let int = v as? Int { return int }
        // JSON booleans arrive as NSNumber with the C type "c"; `is Bool` is also
        // true for the numbers 0 and 1 on Linux, so it cannot tell them apart.
        guard let number = value as? NSNumber, number.objCType.pointee != CChar(UInt8(ascii: "c")) else {
            return nil
        }
        let double = number.doubleValue
        guard double.isFinite, double.rounded() == double, abs(double) < 9e15 else { return nil }
        return Int(double)
    }

    /// A coordinate: a JSON number as a Double (finite or not; not a string), read
    /// without bridging the Swift `Double`s and `Int`s of ``ExactJSON`` to NSNumber.
    @inline(__always)
    static func coordinate(_ value: Any) -> Double? {
        if type(of: value) == Double.self, let double = value as? Double { return double }
        if type(of: value) == Int.self, let int = value as? Int { return Double(int) }
        guard !(value is String), let number = value as? NSNumber else { return nil }
        return number.doubleValue
    }

    /// A finite number (not a boolean), or nil.
    static func finiteDouble(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, number.objCType.pointee != CChar(UInt8(ascii: "c")),
            number.doubleValue.isFinite
        else { return nil }
        return number.doubleValue
    }

    /// A required integer field of an object.
    static func requiredInteger(_ object: [String: Any], _ key: String, in context: String) throws(FormatsError) -> Int {
        guard let raw = object[key] else {
            throw FormatsError(.missingField, "\(context): missing field \"\(key)\"")
        }
        guard let value = integer(raw) else {
            throw FormatsError(.invalidField, "\(context): field \"\(key)\" must be an integer")
        }
        return value
    }

    /// Reads a JSON array of integers into bytes, naming the first bad element.
    static func bytes(_ value: Any?, field: String) throws(FormatsError) -> [UInt8] {
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
            guard let v = integer(element), (0...255).contains(v) else {
                throw FormatsError(.invalidField, "\(field)[\(i)] = \(element) is not an integer 0...255")
            }
            out.append(UInt8(v))
        }
        return out
    }
}
