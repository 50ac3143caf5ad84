extension COCORLE {
    /// The union (or intersection) of RLEs of one size, as pycocotools `merge`.
    ///
    /// Folds left, walking two run lists with two cursors (never decoding to
    /// pixels); the result is canonical (no zero runs except possibly the first).
    /// One RLE is returned unchanged; an empty list gives a 0 x 0 RLE.
    ///
    /// - Throws: `.sizeMismatch` naming the first RLE whose size differs (pycocotools
    ///   silently returns an empty 0 x 0 RLE there).
    /// - Complexity: O(n * runs of the accumulated result + total runs).
    public static func merge(_ rles: [COCORLE], intersect: Bool = false) throws(CoreError) -> COCORLE {
        guard let first = rles.first else { return COCORLE(unchecked: 0, 0, []) }
        if rles.count == 1 { return first }
        for (i, r) in rles.enumerated() where r.height != first.height || r.width != first.width {
            throw CoreError(
                .sizeMismatch,
                "RLE \(i) has size [\(r.height), \(r.width)], RLE 0 has [\(first.height), \(first.width)]")
        }
        var accumulated = first.counts
        var scratch: [UInt32] = []
        for r in rles.dropFirst() {
            scratch.removeAll(keepingCapacity: true)
            scratch.reserveCapacity(accumulated.count + r.counts.count + 1)
            mergeRuns(accumulated, r.counts, intersect: intersect, into: &scratch)
            swap(&accumulated, &scratch)
        }
        return COCORLE(unchecked: first.height, first.width, accumulated)
    }

    /// Two-cursor walk of cocoapi `rleMerge` for one pair.
    @inline(__always)
    static func mergeRuns(_ a: [UInt32], _ b: [UInt32], intersect: Bool, into out: inout [UInt32]) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var ca: UInt32 = a.isEmpty ? 0 : a[0]
                var cb: UInt32 = b.isEmpty ? 0 : b[0]
                var va = false, vb = false, v = false
                var ia = 1, ib = 1
                var cc: UInt32 = 0
                var more = true
                while more {
                    let c = min(ca, cb)
                    cc &+= c
                    ca &-= c
                    if ca == 0 && ia < a.count { ca = a[ia]; ia &+= 1; va.toggle() }
                    cb &-= c
                    if cb == 0 && ib < b.count { cb = b[ib]; ib &+= 1; vb.toggle() }
                    more = ca != 0 || cb != 0
                    let previous = v
                    v = intersect ? (va && vb) : (va || vb)
                    if v != previous || !more {
                        out.append(cc)
                        cc = 0
                    }
                }
            }
        }
    }

    /// The union of `self` and `other`.
    ///
    /// - Throws: `.sizeMismatch` when the sizes differ.
    public func union(_ other: COCORLE) throws(CoreError) -> COCORLE {
        try COCORLE.merge([self, other], intersect: false)
    }

    /// The intersection of `self` and `other`.
    ///
    /// - Throws: `.sizeMismatch` when the sizes differ.
    public func intersection(_ other: COCORLE) throws(CoreError) -> COCORLE {
        try COCORLE.merge([self, other], intersect: true)
    }
}
