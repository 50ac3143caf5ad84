#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks an invariant: on failure, prints where and why to standard error and aborts,
/// so libFuzzer saves the input as a `crash-*` artifact.
///
///     fuzzCheck(mask.bytes.count == width * height, "decodeMask gave \(mask.bytes.count) bytes")
///
/// The message is only built on failure.
@inline(__always)
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fuzzFail(message(), file: file, line: line) }
}

/// Reports a broken invariant and aborts.
@inline(never)
public func fuzzFail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    var text = "fuzz invariant failed at \(file):\(line): \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    abort()
}

/// True when two doubles are equal up to a relative error of `tolerance` (and
/// infinities, signs and NaNs agree).
public func fuzzClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a.isInfinite || b.isInfinite { return a == b }
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}
