/// A static spatial index over regions for hit-testing: which regions are under a
/// point, near a vertex, or in a selection box.
///
/// Regions keep their z-order (later in the list = on top) and results list ids
/// top-most first. The index is a packed bounding-volume hierarchy (flatbush
/// style: leaves sorted along a Hilbert curve, 16 children per node, boxes in flat
/// arrays); queries walk it with an explicit stack and run the exact geometry test
/// only on candidates whose box holds the point.
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
    let tree: PackedBoxTree
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
        tree = PackedBoxTree(boxes: tests.map { $0.bounds.insetBy(-margin) })
    }

    /// The ids of the visible regions containing `point`, top-most first.
    ///
    /// - Parameter includeLocked: false skips locked regions.
    public func regions(at point: Point, includeLocked: Bool = true) -> [String] {
        var hits: [Int] = []
        let table = self.table
        tree.search(point: point) { index in
            if table.isSelectable(index, includeLocked: includeLocked) && table.contains(index, point.x, point.y) {
                hits.append(index)
            }
        }
        if hits.count > 1 { hits.sort(by: >) }
        return hits.map { regions[$0].id }
    }

    /// The indices (into ``regions``) of the visible regions containing `point`,
    /// top-most first, written into `hits` (cleared first) so that a loop over
    /// many points allocates nothing.
    public func hitIndices(at point: Point, includeLocked: Bool = true, into hits: inout [Int]) {
        hits.removeAll(keepingCapacity: true)
        let table = self.table
        tree.search(point: point) { index in
            if table.isSelectable(index, includeLocked: includeLocked) && table.contains(index, point.x, point.y) {
                hits.append(index)
            }
        }
        if hits.count > 1 { hits.sort(by: >) }
    }

    /// The id of the top-most visible region containing `point`, if any.
    public func topRegion(at point: Point, includeLocked: Bool = true) -> String? {
        var best = -1
        let table = self.table
        tree.search(point: point) { index in
            guard index > best else { return }
            if table.isSelectable(index, includeLocked: includeLocked) && table.contains(index, point.x, point.y) {
                best = index
            }
        }
        return best >= 0 ? regions[best].id : nil
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

    /// A copy with `region` replacing the region of the same id (or appended),
    /// rebuilt; O(n log n), a few milliseconds for 10,000 regions.
    public func updating(_ region: Region) -> RegionIndex {
        var regions = self.regions
        if let i = regions.firstIndex(where: { $0.id == region.id }) {
            regions[i] = region
        } else {
            regions.append(region)
        }
        return RegionIndex(regions: regions, rule: rule, tolerance: tolerance)
    }
}
