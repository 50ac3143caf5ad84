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
        for g in groundTruths.indices {
            let crowd = g < isCrowd.count && isCrowd[g]
            let gt = groundTruths[g]
            for d in detections.indices where result[d][g] > 0 {
                let dt = detections[d]
                guard dt.height == gt.height, dt.width == gt.width else {
                    result[d][g] = -1
                    continue
                }
                var (i, u) = intersectionAndUnion(dt.counts, gt.counts)
                if i == 0 {
                    u = 1
                } else if crowd {
                    u = UInt32(truncatingIfNeeded: dt.area)
                }
                result[d][g] = Double(i) / Double(u)
            }
        }
        return result
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
