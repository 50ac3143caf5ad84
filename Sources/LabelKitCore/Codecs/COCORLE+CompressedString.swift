extension COCORLE {
    /// The counts as pycocotools' compressed string (`rleToString`): each count,
    /// minus the count two places earlier when its index is above 2, written in
    /// 5-bit groups as the characters `0`...`o`.
    ///
    /// - Complexity: O(runs).
    public var compressedCounts: String {
        // Each count needs at most 7 characters (35 bits of a signed difference).
        String(unsafeUninitializedCapacity: counts.count * 7) { out in
            counts.withUnsafeBufferPointer { cnts in
                var n = 0
                for i in 0..<cnts.count {
                    var x = Int64(cnts[i])
                    if i > 2 { x &-= Int64(cnts[i &- 2]) }
                    var more = true
                    while more {
                        var c = UInt8(truncatingIfNeeded: x & 0x1f)
                        x >>= 5
                        more = (c & 0x10) != 0 ? x != -1 : x != 0
                        if more { c |= 0x20 }
                        out[n] = c &+ 48
                        n &+= 1
                    }
                }
                return n
            }
        }
    }

    /// Parses pycocotools' compressed counts string (`rleFrString`).
    ///
    /// - Throws: `.invalidCounts` naming the character index for a character outside
    ///   `0`...`o`, a string that ends inside a number, a negative or oversized
    ///   count, or counts that do not add up to `height * width`.
    public init(height: Int, width: Int, compressedCounts: String) throws(CoreError) {
        try COCORLE.validate(height: height, width: width)
        let counts = try withBytes(of: Array(compressedCounts.utf8)) { (s) throws(CoreError) -> [UInt32] in
            var counts: [UInt32] = []
            counts.reserveCapacity(s.count / 2 + 2)
            var p = 0
            while p < s.count {
                let start = p
                var x: Int64 = 0
                var k: Int64 = 0
                var more = true
                var c: Int64 = 0
                while more {
                    guard p < s.count else {
                        throw CoreError(
                            .invalidCounts, "COCO counts string ends inside the number that starts at character \(start)")
                    }
                    let byte = s[p]
                    guard byte >= 48, byte <= 111 else {
                        throw CoreError(
                            .invalidCounts, "COCO counts string has an invalid character at index \(p) (byte \(byte))")
                    }
                    guard k < 12 else {
                        throw CoreError(.invalidCounts, "COCO count starting at character \(start) is too long")
                    }
                    c = Int64(byte) - 48
                    x |= (c & 0x1f) << (5 * k)
                    more = (c & 0x20) != 0
                    p += 1
                    k += 1
                }
                if (c & 0x10) != 0 { x |= -1 << (5 * k) }
                if counts.count > 2 { x &+= Int64(counts[counts.count - 2]) }
                guard x >= 0, x <= Int64(UInt32.max) else {
                    throw CoreError(
                        .invalidCounts,
                        "COCO count \(counts.count) (starting at character \(start)) is \(x), outside 0...2^32-1")
                }
                counts.append(UInt32(x))
            }
            return counts
        }
        try self.init(height: height, width: width, counts: counts)
    }
}
