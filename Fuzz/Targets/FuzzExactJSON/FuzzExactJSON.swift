import Foundation
import FuzzSupport
import LabelKitJSON

/// Fuzzes ``ExactJSON``: the input is a JSON text.
///
/// A text that parses is written back (sorted keys, shortest round-trip doubles,
/// `NaN` / `Infinity` for non-finite ones) and parsed again: the two values must be equal,
/// integers staying `Int` and doubles bit for bit. A non-finite number needs a cause in the
/// text: a `NaN` / `Infinity` literal or an exponent or digit run too large for a Double.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExactJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(FuzzInput(data, size).rest)
    let value: Any
    do {
        value = try ExactJSON.parse(bytes)
    } catch {
        fuzzCheck(error.offset >= 0 && error.offset <= bytes.count, "error offset \(error.offset) outside the input")
        fuzzCheck(error.description.contains("at byte "), "error without a byte offset: \(error.description)")
        return 0
    }
    let text = FuzzJSON.text(value)
    let again: Any
    do {
        again = try ExactJSON.parse(Data(text.utf8))
    } catch {
        fuzzFail("the written text does not parse: \(error.description)\n\(text.prefix(400))")
    }
    fuzzCheck(FuzzJSON.equal(value, again), "value changed through write + parse:\n\(text.prefix(400))")
    if hasNonFinite(value) { fuzzCheck(canOverflow(bytes), "a non-finite number from a finite text") }
    return 0
}

func hasNonFinite(_ value: Any) -> Bool {
    if type(of: value) == Int.self || type(of: value) == [Int].self || value is String { return false }
    if let list = value as? [Any] { return list.contains(where: hasNonFinite) }
    if let object = value as? [String: Any] { return object.values.contains(where: hasNonFinite) }
    if let n = value as? NSNumber, FuzzJSON.isBoolean(n) { return false }
    return FuzzJSON.double(value).map { !$0.isFinite } ?? false
}

/// A `NaN` / `Infinity` literal, an exponent, or a run of 300 digits.
func canOverflow(_ bytes: Data) -> Bool {
    var digits = 0
    for b in bytes {
        if b == UInt8(ascii: "N") || b == UInt8(ascii: "I") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            return true
        }
        digits = (48...57).contains(b) ? digits + 1 : 0
        if digits >= 300 { return true }
    }
    return false
}
