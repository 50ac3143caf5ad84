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
                    if x >= -16 && x < 16 {
                        // One character: most differences of a mask.
                        out[n] = UInt8(truncatingIfNeeded: x & 0x1f) &+ 48
                        n &+= 1
                        continue
                    }
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
            // Every count takes at least one character.
            var failure: CoreError? = nil
            let counts = [UInt32](unsafeUninitializedCapacity: s.count) { out, written in
                var p = 0, n = 0
                while p < s.count {
                    let start = p
                    var x: Int64
                    let first = s[p] &- 48
                    if first < 32 {
                        // One character, no continuation bit: most counts of a mask.
                        x = Int64(first) - (first & 0x10 != 0 ? 32 : 0)
                        p &+= 1
                    } else {
                        x = 0
                        var k: Int64 = 0
                        var c: Int64 = 0
                        var more = true
                        while more {
                            guard p < s.count else {
                                failure = CoreError(
                                    .invalidCounts,
                                    "COCO counts string ends inside the number that starts at character \(start)")
                                written = n
                                return
                            }
                            let byte = s[p]
                            guard byte >= 48, byte <= 111, k < 12 else {
                                failure = CoreError(
                                    .invalidCounts,
                                    k < 12
                                        ? "COCO counts string has an invalid character at index \(p) (byte \(byte))"
                                        : "COCO count starting at character \(start) is too long")
                                written = n
                                return
                            }
                            c = Int64(byte) - 48
                            x |= (c & 0x1f) << (5 * k)
                            more = (c & 0x20) != 0
                            p &+= 1
                            k &+= 1
                        }
                        if (c & 0x10) != 0 { x |= -1 << (5 * k) }
                    }
                    if n > 2 { x &+= Int64(out[n &- 2]) }
                    guard x >= 0, x <= Int64(UInt32.max) else {
                        failure = CoreError(
                            .invalidCounts, "COCO count \(n) (starting at character \(start)) is \(x), outside 0...2^32-1")
                        written = n
                        return
                    }
                    out[n] = UInt32(truncatingIfNeeded: x)
                    n &+= 1
                }
                written = n
            }
            if let failure { throw failure }
            // Few counts for a long string (smooth masks write 2-4 characters a
            // count): keep an exact-size copy rather than the string-sized buffer.
            return counts.count < s.count / 2 ? Array(counts[...]) : counts
        }
        try self.init(height: height, width: width, counts: counts)
    }
}
