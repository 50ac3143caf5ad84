extension COCORLE {
    /// The union (or intersection) of RLEs of one size, as pycocotools `merge`.
    ///
    /// Works on run boundaries, never on pixels. Two RLEs are walked with two
    /// cursors (cocoapi's `rleMerge`); more are merged in one sweep over all their
    /// run starts and ends in position order, counting how many RLEs cover each
    /// stretch (O(R log R) for R runs in all, where folding pairwise costs
    /// O(n * runs of the result)). The result is canonical (no zero runs except
    /// possibly the first), as cocoapi's; inputs with zero runs inside are folded
    /// pairwise exactly as cocoapi does. One RLE is returned unchanged; an empty list
    /// gives a 0 x 0 RLE.
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
        if rles.count > 2 && rles.allSatisfy(\.isCanonical) {
            return COCORLE(unchecked: first.height, first.width, sweep(rles, intersect: intersect))
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

    /// True when no count after the first is zero.
    var isCanonical: Bool { counts.dropFirst().allSatisfy { $0 != 0 } }

    /// The union (coverage >= 1) or intersection (coverage == n) of many RLEs from
    /// one sorted sweep over their foreground run starts and ends.
    static func sweep(_ rles: [COCORLE], intersect: Bool) -> [UInt32] {
        // Event = position * 2 + (1 for a start, 0 for an end): ends sort first at a
        // position, which does not matter because coverage is read after each position.
        var events: [UInt64] = []
        events.reserveCapacity(rles.reduce(0) { $0 + $1.counts.count })
        for rle in rles {
            var position: UInt64 = 0
            for (j, c) in rle.counts.enumerated() {
                if j & 1 == 1 {
                    events.append(position << 1 | 1)
                    events.append((position + UInt64(c)) << 1)
                }
                position += UInt64(c)
            }
        }
        events.sort()
        let total = UInt64(rles[0].height * rles[0].width)
        let needed = intersect ? rles.count : 1
        var counts: [UInt32] = []
        var coverage = 0
        var inside = false
        var runStart: UInt64 = 0
        var i = 0
        while i < events.count {
            let position = events[i] >> 1
            while i < events.count && events[i] >> 1 == position {
                coverage += events[i] & 1 == 1 ? 1 : -1
                i += 1
            }
            let now = coverage >= needed
            if now != inside {
                counts.append(UInt32(position - runStart))
                runStart = position
                inside = now
            }
        }
        // Foreground reaching the end closed its run at `total` already.
        if runStart < total || counts.isEmpty { counts.append(UInt32(total - runStart)) }
        return counts
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
