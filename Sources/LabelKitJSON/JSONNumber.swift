import Foundation

/// Strict readers for the numbers and booleans of a parsed JSON value (from
/// ``ExactJSON`` or `JSONSerialization`): a boolean is never a number, a number
/// never a boolean, and an integer has no fraction. Every module reads request and
/// document fields through these, so `true` or `1.5` is refused alike everywhere.
public enum JSONNumber {
    /// An integer (a JSON number with no fraction, below 9e15 in magnitude), or nil.
    public static func integer(_ value: Any?) -> Int? {
        // Integers from ExactJSON are Swift Ints: no bridging, no object.
        if let v = value, type(of: v) == Int.self, let int = v as? Int { return int }
        guard let double = finite(value), double.rounded() == double, abs(double) < 9e15 else { return nil }
        return Int(double)
    }

    /// A finite number (not a boolean), or nil.
    public static func finite(_ value: Any?) -> Double? {
        if let value, type(of: value) == Double.self, let double = value as? Double {
            return double.isFinite ? double : nil
        }
        if let value, type(of: value) == Int.self, let int = value as? Int { return Double(int) }
        guard let number = value as? NSNumber, !isBoolean(number), number.doubleValue.isFinite else { return nil }
        return number.doubleValue
    }

    /// A number as a Double, finite or not (NaN and the infinities ExactJSON accepts,
    /// so the caller can name them), or nil for anything else.
    @inline(__always)
    public static func coordinate(_ value: Any) -> Double? {
        if type(of: value) == Double.self, let double = value as? Double { return double }
        if type(of: value) == Int.self, let int = value as? Int { return Double(int) }
        guard !(value is String), let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return number.doubleValue
    }

    /// A JSON `true` or `false`, or nil (the numbers 0 and 1 are not booleans).
    public static func boolean(_ value: Any?) -> Bool? {
        if let value, type(of: value) == Bool.self, let bool = value as? Bool { return bool }
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    /// True for the NSNumber of a JSON boolean (C type "c"); `is Bool` cannot tell,
    /// since it is also true for the numbers 0 and 1 on Linux.
    static func isBoolean(_ number: NSNumber) -> Bool {
        number.objCType.pointee == CChar(UInt8(ascii: "c"))
    }
}
