#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's trigonometry (the standard library has none); internal so
/// that `LabelKitCore`'s public surface stays free of platform modules.
enum CMath {
    /// Cosine of an angle in radians.
    @inline(__always) static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    /// Sine of an angle in radians.
    @inline(__always) static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    /// Arc tangent of y / x in radians, in (-pi, pi].
    @inline(__always) static func atan2(_ y: Double, _ x: Double) -> Double { Glibc.atan2(y, x) }
}
