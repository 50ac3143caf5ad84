extension COCORLE {
    /// The intersection-over-union matrix of detections against ground truths, as
    /// pycocotools `iou(dt, gt, iscrowd)`: `result[d][g]`.
    ///
    /// A pair whose bounding boxes do not overlap scores 0 (so two empty masks
    /// give 0, not NaN); a pair of different sizes whose boxes overlap scores -1.
    /// With a crowd ground truth the denominator is the detection's area.
    ///
    /// - Parameter isCrowd: one flag per ground truth (missing flags count as 0).
    /// - Returns: an m x n matrix, or `[]` when either list is empty (as pycocotools).
    /// - Complexity: O(m * n * runs), with the run walk skipped for pairs whose
    ///   boxes do not overlap.
    public static func iou(_ detections: [COCORLE], _ groundTruths: [COCORLE], isCrowd: [Bool] = [])
        -> [[Double]]
    {
        guard !detections.isEmpty, !groundTruths.isEmpty else { return [] }
        let dtBoxes = detections.map(\.boundingBox)
        let gtBoxes = groundTruths.map(\.boundingBox)
        var result = boxIoU(dtBoxes, gtBoxes, isCrowd: isCrowd)
        let dtRuns = ForegroundRuns(detections), gtRuns = ForegroundRuns(groundTruths)
        let dtAreas = detections.map { UInt32(truncatingIfNeeded: $0.area) }
        for g in groundTruths.indices {
            let crowd = g < isCrowd.count && isCrowd[g]
            let gt = groundTruths[g]
            let gtArea = UInt32(truncatingIfNeeded: gt.area)
            for d in detections.indices where result[d][g] > 0 {
                let dt = detections[d]
                guard dt.height == gt.height, dt.width == gt.width else {
                    result[d][g] = -1
                    continue
                }
                var (i, u): (UInt32, UInt32)
                if dtRuns.isPlain[d] && gtRuns.isPlain[g] {
                    i = dtRuns.intersection(d, gtRuns, g)
                    u = dtAreas[d] &+ gtArea &- i
                } else {
                    (i, u) = intersectionAndUnion(dt.counts, gt.counts)
                }
                if i == 0 {
                    u = 1
                } else if crowd {
                    u = dtAreas[d]
                }
                result[d][g] = Double(i) / Double(u)
            }
        }
        return result
    }

    /// The foreground runs of a list of masks as (start, end) pixel offsets, in
    /// one buffer, for intersecting two masks one foreground run against another.
    struct ForegroundRuns {
        /// Mask k's runs are `bounds[first[k]..<first[k + 1]]`: start0, end0, start1, end1, ...
        let bounds: [UInt32]
        let first: [Int]
        /// No zero-length run after the first, per mask: cocoapi's run walk, which
        /// stops where both lists reach a zero-length run at once, then covers
        /// every pixel, and intersecting the foreground runs gives its counts.
        let isPlain: [Bool]

        init(_ rles: [COCORLE]) {
            var bounds: [UInt32] = []
            bounds.reserveCapacity(rles.reduce(0) { $0 + $1.counts.count })
            var first: [Int] = []
            first.reserveCapacity(rles.count + 1)
            var isPlain: [Bool] = []
            isPlain.reserveCapacity(rles.count)
            for rle in rles {
                first.append(bounds.count)
                var position: UInt32 = 0
                var plain = true
                for (k, count) in rle.counts.enumerated() {
                    if k > 0 && count == 0 { plain = false }
                    if k & 1 == 1 {
                        bounds.append(position)
                        bounds.append(position &+ count)
                    }
                    position &+= count
                }
                isPlain.append(plain)
            }
            first.append(bounds.count)
            self.bounds = bounds
            self.first = first
            self.isPlain = isPlain
        }

        /// The pixels in both mask `k` and mask `j` of `other` (plain masks of one
        /// size). Only the stretch between the later first pixel and the earlier
        /// last one can hold common pixels: the runs before it are skipped by a
        /// binary search, and the walk stops at its end.
        @inline(__always)
        func intersection(_ k: Int, _ other: ForegroundRuns, _ j: Int) -> UInt32 {
            bounds.withUnsafeBufferPointer { all in
                other.bounds.withUnsafeBufferPointer { otherAll in
                    let a = UnsafeBufferPointer(rebasing: all[first[k]..<first[k + 1]])
                    let b = UnsafeBufferPointer(rebasing: otherAll[other.first[j]..<other.first[j + 1]])
                    guard let aFirst = a.first, let bFirst = b.first, let aEnd = a.last, let bEnd = b.last else {
                        return 0
                    }
                    let from = max(aFirst, bFirst), to = min(aEnd, bEnd)
                    var p = Self.firstEnding(after: from, a), q = Self.firstEnding(after: from, b)
                    var i: UInt32 = 0
                    while p < a.count && q < b.count && max(a[p], b[q]) < to {
                        let lo = max(a[p], b[q]), hi = min(a[p &+ 1], b[q &+ 1])
                        i &+= hi > lo ? hi &- lo : 0
                        // The run that ends first is done with.
                        let firstEnds = (a[p &+ 1] <= b[q &+ 1]).bit
                        p &+= 2 &* firstEnds
                        q &+= 2 &* (firstEnds ^ 1)
                    }
                    return i
                }
            }
        }

        /// The offset in `bounds` of the first run that ends after `position`.
        @inline(__always)
        static func firstEnding(after position: UInt32, _ bounds: UnsafeBufferPointer<UInt32>) -> Int {
            var low = 0, high = bounds.count / 2
            while low < high {
                let mid = (low &+ high) / 2
                if bounds[2 &* mid &+ 1] <= position { low = mid &+ 1 } else { high = mid }
            }
            return 2 &* low
        }
    }

    /// Intersection and union pixel counts of two run lists (cocoapi `rleIou` walk).
    @inline(__always)
    static func intersectionAndUnion(_ a: [UInt32], _ b: [UInt32]) -> (UInt32, UInt32) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var ca: UInt32 = a.isEmpty ? 0 : a[0]
                var cb: UInt32 = b.isEmpty ? 0 : b[0]
                var va = false, vb = false
                var ia = 1, ib = 1
                var i: UInt32 = 0, u: UInt32 = 0
                var more = true
                while more {
                    let c = min(ca, cb)
                    if va || vb {
                        u &+= c
                        if va && vb { i &+= c }
                    }
                    ca &-= c
                    if ca == 0 && ia < a.count { ca = a[ia]; ia &+= 1; va.toggle() }
                    cb &-= c
                    if cb == 0 && ib < b.count { cb = b[ib]; ib &+= 1; vb.toggle() }
                    more = ca != 0 || cb != 0
                }
                return (i, u)
            }
        }
    }

    /// The IoU matrix of `[x, y, w, h]` boxes, as pycocotools `iou` on boxes
    /// (`bbIou`): `result[d][g]`, 0 where boxes do not overlap; with a crowd
    /// ground truth the denominator is the detection box's area.
    public static func boxIoU(_ detections: [[Double]], _ groundTruths: [[Double]], isCrowd: [Bool] = [])
        -> [[Double]]
    {
        guard !detections.isEmpty, !groundTruths.isEmpty else { return [] }
        var result = [[Double]](
            repeating: [Double](repeating: 0, count: groundTruths.count), count: detections.count)
        for (g, G) in groundTruths.enumerated() where G.count == 4 {
            let gtArea = G[2] * G[3]
            let crowd = g < isCrowd.count && isCrowd[g]
            for (d, D) in detections.enumerated() where D.count == 4 {
                let dtArea = D[2] * D[3]
                let w = min(D[2] + D[0], G[2] + G[0]) - max(D[0], G[0])
                if w <= 0 { continue }
                let h = min(D[3] + D[1], G[3] + G[1]) - max(D[1], G[1])
                if h <= 0 { continue }
                let i = w * h
                let u = crowd ? dtArea : dtArea + gtArea - i
                result[d][g] = i / u
            }
        }
        return result
    }
}
