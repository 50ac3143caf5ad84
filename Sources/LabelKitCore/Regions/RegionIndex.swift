/// A static spatial index over regions for hit-testing: which regions are under a
/// point, near a vertex, or in a selection box.
///
/// Regions keep their z-order (later in the list = on top) and results list ids
/// top-most first. The index is a uniform grid sized to the typical region, with
/// a packed bounding-volume hierarchy (flatbush style: leaves sorted along a Hilbert
/// curve, 16 children per node) for the few regions much larger than typical; a
/// point query reads one grid cell plus that tree, and runs the exact geometry test
/// (precomputed, reference-free) only on candidates whose box holds the point.
///
///     let index = RegionIndex(regions: regions)
///     index.regions(at: Point(x: 120, y: 48))          // ["top", "under"]
///
/// - Complexity: building is O(n log n); a point query is O(log n + candidates).
public struct RegionIndex: Sendable {
    /// The regions in z-order.
    public private(set) var regions: [Region]
    let tests: [HitTest]
    let table: PointTestTable
    let tree: GridIndex
    /// The fill rule for polygons.
    public let rule: FillRule
    /// The pick tolerance in pixels for boundaries, keypoints and polylines.
    public let tolerance: Double

    /// Builds the index.
    ///
    /// - Parameter rule: the polygon fill rule used by every query.
    /// - Parameter tolerance: extra pick distance in pixels (at least 1e-9): a point
    ///   this close to a region's boundary hits it.
    public init(regions: [Region], rule: FillRule = .evenOdd, tolerance: Double = Geometry.tolerance) {
        self.regions = regions
        self.rule = rule
        let tolerance = max(tolerance, Geometry.tolerance)
        self.tolerance = tolerance
        let tests = regions.map { HitTest($0.shape, rule: rule, tolerance: tolerance) }
        self.tests = tests
        table = PointTestTable(regions: regions, tests: tests, rule: rule, tolerance: tolerance)
        // Boxes grow by the tolerance plus a margin for rounding.
        let margin = tolerance + 1e-7
        tree = GridIndex(boxes: tests.map { $0.bounds.insetBy(-margin) })
    }

    /// The ids of the visible regions containing `point`, top-most first.
    ///
    /// - Parameter includeLocked: false skips locked regions.
    public func regions(at point: Point, includeLocked: Bool = true) -> [String] {
        var hits: [Int] = []
        hitIndices(at: point, includeLocked: includeLocked, into: &hits)
        return hits.map { regions[$0].id }
    }

    /// The indices (into ``regions``) of the visible regions containing `point`,
    /// top-most first, written into `hits` (cleared first) so that a loop over
    /// many points allocates nothing.
    public func hitIndices(at point: Point, includeLocked: Bool = true, into hits: inout [Int]) {
        hits.removeAll(keepingCapacity: true)
        withHitReaders { table, grid, scratch in
            appendHits(at: point, includeLocked: includeLocked, table, grid, scratch, to: &hits)
        }
    }

    /// Runs `body` with pointer access to the point tests and the grid, and a
    /// scratch list with room for any cell's items.
    @inline(__always)
    private func withHitReaders<R>(
        _ body: (PointTestTable.Reader, GridIndex.Reader, UnsafeMutablePointer<Int>) -> R
    ) -> R {
        table.withReader { table in
            tree.withReader { grid in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, tree.maxCellItems)) { scratch in
                    body(table, grid, scratch.baseAddress!)
                }
            }
        }
    }

    /// Appends the selectable regions containing `point` to `hits`, top-most first.
    @inline(__always)
    private func appendHits(
        at point: Point, includeLocked: Bool, _ table: PointTestTable.Reader, _ grid: GridIndex.Reader,
        _ scratch: UnsafeMutablePointer<Int>, to hits: inout [Int]
    ) {
        let start = hits.count
        let px = point.x, py = point.y
        for j in 0..<grid.items(at: px, py, into: scratch) {
            let index = scratch[j]
            if table.isSelectable(index, includeLocked: includeLocked) && table.contains(index, px, py) {
                hits.append(index)
            }
        }
        // Grid items come in ascending order; large ones in any.
        var ascending = true
        tree.searchLarge(point: point) { index in
            if table.isSelectable(index, includeLocked: includeLocked) && table.contains(index, px, py) {
                hits.append(index)
                ascending = false
            }
        }
        if hits.count &- start > 1 {
            // Through a buffer: a mutated slice of the array would be a copy.
            hits.withUnsafeMutableBufferPointer { hits in
                var mine = UnsafeMutableBufferPointer(rebasing: hits[start...])
                if ascending { mine.reverse() } else { mine.sort(by: >) }
            }
        }
    }

    /// The hits of many points at once: `result[i]` lists the indices (into
    /// ``regions``) of the visible regions containing `points[i]`, top-most first.
    ///
    /// Points are visited in grid-cell order, so regions under neighbouring points
    /// are tested while their vertices are still in cache; results come back in the
    /// input order. The CLI's `hit-test` answers through this call.
    ///
    /// - Complexity: O(points + cells + candidates).
    public func hitIndices(for points: [Point], includeLocked: Bool = true) -> BatchHits {
        // Counting sort of the points by grid cell (non-finite points first; they hit nothing).
        let cells = tree.cellCount
        var start = [Int](repeating: 0, count: cells + 2)
        let cellOf = points.map { tree.cell(of: $0) + 1 }
        for c in cellOf { start[c + 1] += 1 }
        for c in 0...cells { start[c + 1] += start[c] }
        // The points themselves are copied into visiting order, so the loop below
        // reads them in sequence (not one cache miss each).
        var order = [Int](repeating: 0, count: points.count)
        var visiting = [Point](repeating: Point(x: 0, y: 0), count: points.count)
        for (i, c) in cellOf.enumerated() {
            order[start[c]] = i
            visiting[start[c]] = points[i]
            start[c] += 1
        }
        // Hits in visiting order, then scattered into input order.
        var found: [Int] = []
        found.reserveCapacity(points.count)
        var foundEnd = [Int](repeating: 0, count: points.count)
        withHitReaders { table, grid, scratch in
            for k in visiting.indices {
                appendHits(at: visiting[k], includeLocked: includeLocked, table, grid, scratch, to: &found)
                foundEnd[k] = found.count
            }
        }
        var offsets = [Int](repeating: 0, count: points.count + 1)
        for (k, i) in order.enumerated() { offsets[i + 1] = foundEnd[k] - (k > 0 ? foundEnd[k - 1] : 0) }
        for i in 0..<points.count { offsets[i + 1] += offsets[i] }
        var indices = [Int](repeating: 0, count: found.count)
        for (k, i) in order.enumerated() {
            let from = k > 0 ? foundEnd[k - 1] : 0
            for j in from..<foundEnd[k] { indices[offsets[i] + j - from] = found[j] }
        }
        return BatchHits(offsets: offsets, indices: indices)
    }

    /// The id of the top-most visible region containing `point`, if any.
    public func topRegion(at point: Point, includeLocked: Bool = true) -> String? {
        var hits: [Int] = []
        hitIndices(at: point, includeLocked: includeLocked, into: &hits)
        return hits.first.map { regions[$0].id }
    }

    /// The vertex nearest to `point` within `radius` pixels over the visible
    /// regions' editable vertices (polygon points, rectangle corners, ellipse and
    /// keypoint centres); ties go to the top-most region.
    public func nearestVertex(to point: Point, within radius: Double) -> (regionID: String, vertex: Int, point: Point)? {
        let query = Box(minX: point.x - radius, minY: point.y - radius, maxX: point.x + radius, maxY: point.y + radius)
        var best: (index: Int, vertex: Int, point: Point, distance: Double)?
        tree.search(box: query) { index in
            guard !regions[index].isHidden else { return }
            for (k, v) in regions[index].shape.vertices.enumerated() {
                let dx = v.x - point.x, dy = v.y - point.y
                let d = (dx * dx + dy * dy).squareRoot()
                guard d <= radius else { continue }
                if let b = best, d > b.distance || (d == b.distance && index < b.index) { continue }
                best = (index, k, v, d)
            }
        }
        return best.map { (regions[$0.index].id, $0.vertex, $0.point) }
    }

    /// The ids of the visible regions whose geometry meets `box`, top-most first.
    public func regions(intersecting box: Box) -> [String] {
        var hits: [Int] = []
        tree.search(box: box) { index in
            if !regions[index].isHidden && tests[index].intersects(box) { hits.append(index) }
        }
        hits.sort(by: >)
        return hits.map { regions[$0].id }
    }

    /// The ids of the visible regions lying entirely inside `box`, top-most first.
    public func regions(inside box: Box) -> [String] {
        var hits: [Int] = []
        tree.search(box: box) { index in
            if !regions[index].isHidden && box.contains(regions[index].shape.boundingBox) { hits.append(index) }
        }
        hits.sort(by: >)
        return hits.map { regions[$0].id }
    }
}

/// Hits of a batch of points: `hits[i]` are the region indices under point i,
/// top-most first (one flat array, no array per point).
public struct BatchHits: Sendable {
    /// `indices[offsets[i]..<offsets[i + 1]]` belong to point i.
    public let offsets: [Int]
    /// Region indices, point after point.
    public let indices: [Int]

    /// Number of points.
    public var count: Int { offsets.count - 1 }

    /// The hits of point `i`, top-most first.
    public subscript(i: Int) -> ArraySlice<Int> { indices[offsets[i]..<offsets[i + 1]] }
}
