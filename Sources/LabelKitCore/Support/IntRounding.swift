/// `floor(value)` for a finite value within `Int`'s range, exactly, with no libm call.
@inline(__always)
func floorInt(_ value: Double) -> Int {
    let t = Int(value)
    return Double(t) > value ? t &- 1 : t
}

/// `ceil(value)` for a finite value within `Int`'s range, exactly, with no libm call.
@inline(__always)
func ceilInt(_ value: Double) -> Int {
    let t = Int(value)
    return Double(t) < value ? t &+ 1 : t
}
