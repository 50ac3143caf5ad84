extension Bool {
    /// The condition as 0 or 1, for combining with bitwise operators where a
    /// branch per element would be mispredicted on mixed data.
    @inline(__always)
    var bit: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}
