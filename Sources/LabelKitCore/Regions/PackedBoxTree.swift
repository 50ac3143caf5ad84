/// A packed, static bounding-volume hierarchy over boxes (the flatbush layout):
/// items sorted along a Hilbert curve, grouped 16 to a node, level by level, with
/// all node boxes in flat coordinate arrays.
struct PackedBoxTree: Sendable {
    static let nodeSize = 16

    /// Node boxes, 4 doubles each (minX, minY, maxX, maxY): items first
    /// (`0..<count`, in sorted order), then each level up; the root is last.
    var bounds: [Double] = []
    /// For an item node, the item's index; for an inner node, its first child node.
    var link: [Int] = []
    /// Number of children of each inner node (0 for items).
    var childCount: [Int] = []
    /// Number of items.
    let count: Int
    /// Levels above the items (the search stack never holds more than
    /// `nodeSize * levels` nodes).
    private(set) var levels = 0

    init(boxes: [Box]) {
        count = boxes.count
        guard count > 0 else { return }
        // Sort items by the Hilbert index of their centres (empty boxes last).
        var extent = Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for b in boxes where !b.isEmpty { extent = extent.union(b) }
        let spanX = extent.width > 0 ? extent.width : 1, spanY = extent.height > 0 ? extent.height : 1
        let keys: [UInt32] = boxes.map { b in
            guard !b.isEmpty else { return UInt32.max }
            let hx = UInt32(max(0, min(65535, ((b.minX + b.maxX) / 2 - extent.minX) / spanX * 65535)))
            let hy = UInt32(max(0, min(65535, ((b.minY + b.maxY) / 2 - extent.minY) / spanY * 65535)))
            return PackedBoxTree.hilbert(hx, hy)
        }
        let order = boxes.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        for i in order {
            append(boxes[i], link: i, children: 0)
        }
        // Build levels until one root remains.
        var levelStart = 0, levelEnd = count
        while levelEnd - levelStart > 1 {
            var i = levelStart
            while i < levelEnd {
                let n = min(PackedBoxTree.nodeSize, levelEnd - i)
                var box = Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
                for k in i..<(i + n) {
                    box = Box(
                        minX: min(box.minX, bounds[4 * k]), minY: min(box.minY, bounds[4 * k + 1]),
                        maxX: max(box.maxX, bounds[4 * k + 2]), maxY: max(box.maxY, bounds[4 * k + 3]))
                }
                append(box, link: i, children: n)
                i += n
            }
            levelStart = levelEnd
            levelEnd = link.count
            levels += 1
        }
    }

    private mutating func append(_ box: Box, link: Int, children: Int) {
        bounds += [box.minX, box.minY, box.maxX, box.maxY]
        self.link.append(link)
        childCount.append(children)
    }

    /// Calls `visit` with the index of every item whose box contains `point`.
    @inline(__always)
    func search(point: Point, _ visit: (Int) -> Void) {
        search(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y, visit)
    }

    /// Calls `visit` with the index of every item whose box meets `box`.
    @inline(__always)
    func search(box: Box, _ visit: (Int) -> Void) {
        search(minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY, visit)
    }

    @inline(__always)
    private func search(minX qx0: Double, minY qy0: Double, maxX qx1: Double, maxY qy1: Double, _ visit: (Int) -> Void) {
        guard count > 0 else { return }
        bounds.withUnsafeBufferPointer { b in
            link.withUnsafeBufferPointer { link in
                childCount.withUnsafeBufferPointer { children in
                    @inline(__always) func meets(_ k: Int) -> Bool {
                        b[4 &* k] <= qx1 && qx0 <= b[4 &* k &+ 2] && b[4 &* k &+ 1] <= qy1 && qy0 <= b[4 &* k &+ 3]
                    }
                    let root = link.count - 1
                    guard meets(root) else { return }
                    if root < count {
                        visit(link[root])
                        return
                    }
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: PackedBoxTree.nodeSize * (levels + 1)) { stack in
                        stack[0] = root
                        var top = 1
                        while top > 0 {
                            top &-= 1
                            let node = stack[top]
                            let first = link[node], end = first &+ children[node]
                            var k = first
                            while k < end {
                                if meets(k) {
                                    if k < count {
                                        visit(link[k])
                                    } else {
                                        stack[top] = k
                                        top &+= 1
                                    }
                                }
                                k &+= 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// The index of `(x, y)` on a 2^16 x 2^16 Hilbert curve (Rawles' bit-parallel method).
    static func hilbert(_ xIn: UInt32, _ yIn: UInt32) -> UInt32 {
        var a = xIn ^ yIn
        var b = 0xFFFF ^ a
        var c = 0xFFFF ^ (xIn | yIn)
        var d = xIn & (yIn ^ 0xFFFF)
        var A = a | (b >> 1), B = (a >> 1) ^ a
        var C = ((c >> 1) ^ (b & (d >> 1))) ^ c
        var D = ((a & (c >> 1)) ^ (d >> 1)) ^ d
        a = A; b = B; c = C; d = D
        A = (a & (a >> 2)) ^ (b & (b >> 2))
        B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2))
        C ^= (a & (c >> 2)) ^ (b & (d >> 2))
        D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2))
        a = A; b = B; c = C; d = D
        A = (a & (a >> 4)) ^ (b & (b >> 4))
        B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4))
        C ^= (a & (c >> 4)) ^ (b & (d >> 4))
        D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4))
        a = A; b = B; c = C; d = D
        C ^= (a & (c >> 8)) ^ (b & (d >> 8))
        D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8))
        a = C ^ (C >> 1)
        b = D ^ (D >> 1)
        var i0 = xIn ^ yIn
        var i1 = b | (0xFFFF ^ (i0 | a))
        i0 = (i0 | (i0 << 8)) & 0x00FF_00FF
        i0 = (i0 | (i0 << 4)) & 0x0F0F_0F0F
        i0 = (i0 | (i0 << 2)) & 0x3333_3333
        i0 = (i0 | (i0 << 1)) & 0x5555_5555
        i1 = (i1 | (i1 << 8)) & 0x00FF_00FF
        i1 = (i1 | (i1 << 4)) & 0x0F0F_0F0F
        i1 = (i1 | (i1 << 2)) & 0x3333_3333
        i1 = (i1 | (i1 << 1)) & 0x5555_5555
        return (i1 << 1) | i0
    }
}
