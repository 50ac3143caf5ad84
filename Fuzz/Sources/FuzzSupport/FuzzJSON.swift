import Foundation
import LabelKitCore
import LabelKitJSON

/// Writes and compares the Foundation-shaped values that LabelKit's JSON reader
/// returns (`[String: Any]`, `[Any]`, `[Int]`, `String`, `Int`, `Double`, `NSNumber`
/// booleans and non-finite doubles, `NSNull`), for round-trip checks.
public enum FuzzJSON {
    /// JSON text for `value`: integers as digits, doubles in Swift's shortest
    /// round-trip form, non-finite doubles as Python's `NaN` / `Infinity` / `-Infinity`.
    public static func text(_ value: Any) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    static func write(_ value: Any, into out: inout String) {
        if let v = value as? Int, type(of: value) == Int.self {
            out += String(v)
        } else if let v = value as? Double, type(of: value) == Double.self {
            out += number(v)
        } else if let v = value as? String {
            out += JSONText.quoted(v)
        } else if let list = value as? [Int], type(of: value) == [Int].self {
            out += "[" + list.map(String.init).joined(separator: ",") + "]"
        } else if let list = value as? [Any] {
            out += "["
            for (i, item) in list.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        } else if let object = value as? [String: Any] {
            out += "{"
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += JSONText.quoted(key) + ":"
                write(object[key]!, into: &out)
            }
            out += "}"
        } else if value is NSNull {
            out += "null"
        } else if let n = value as? NSNumber {
            if isBoolean(n) {
                out += n.boolValue ? "true" : "false"
            } else {
                out += number(n.doubleValue)
            }
        } else {
            fuzzFail("FuzzJSON.text: unexpected value of type \(type(of: value))")
        }
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return "\(v)"  // always has a '.' or an exponent, so it reads back as a Double
    }

    /// JSON booleans are NSNumbers with the C type `c`.
    public static func isBoolean(_ n: NSNumber) -> Bool { n.objCType.pointee == CChar(UInt8(ascii: "c")) }

    /// The number in `value` as a Double (Int, Double or a non-boolean NSNumber), or nil.
    public static func double(_ value: Any) -> Double? {
        if let v = value as? Int, type(of: value) == Int.self { return Double(v) }
        if let v = value as? Double, type(of: value) == Double.self { return v }
        if let n = value as? NSNumber, !(value is String), !isBoolean(n) { return n.doubleValue }
        return nil
    }

    /// Structural equality: same containers (`[Int]` is not `[Any]`), same keys,
    /// integers equal as `Int`, doubles equal bit for bit (any NaN equals any NaN).
    public static func equal(_ a: Any, _ b: Any) -> Bool {
        let intA = type(of: a) == Int.self, intB = type(of: b) == Int.self
        if intA || intB { return intA && intB && (a as! Int) == (b as! Int) }
        if type(of: a) == [Int].self || type(of: b) == [Int].self {
            return type(of: a) == type(of: b) && (a as! [Int]) == (b as! [Int])
        }
        if let x = a as? String {
            guard let y = b as? String else { return false }
            return x == y
        }
        if let x = a as? [String: Any] {
            guard let y = b as? [String: Any], x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], equal(value, other) else { return false }
            }
            return true
        }
        if let x = a as? [Any] {
            guard let y = b as? [Any], x.count == y.count else { return false }
            return zip(x, y).allSatisfy { equal($0, $1) }
        }
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        if let x = a as? NSNumber, isBoolean(x) {
            guard let y = b as? NSNumber, isBoolean(y) else { return false }
            return x.boolValue == y.boolValue
        }
        guard let x = double(a), let y = double(b) else { return false }
        return x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern
    }
}
