/// A two-level spatial index over boxes: a uniform grid whose cell size follows the
/// typical box, holding every box that covers at most a few cells (in ascending
/// item order per cell), and a packed R-tree for the rest (boxes much larger than
/// typical). A point query reads one cell plus the tree's few large boxes.
struct GridIndex: Sendable {
    /// Boxes (4 doubles each) of every item, for exact rejection of cell entries.
    private var boxes: [Double] = []
    private var minX = 0.0, minY = 0.0
    private var inverseCellWidth = 1.0, inverseCellHeight = 1.0
    private var columns = 0, rows = 0
    /// Cell c holds `items[cellStart[c]..<cellStart[c + 1]]`.
    private var cellStart: [Int] = [0]
    private var items: [Int] = []
    /// The most items any cell holds.
    private(set) var maxCellItems = 0
    /// Items too large for the grid, by their index in `largeItems`.
    private var largeItems: [Int] = []
    private var largeTree = PackedBoxTree(boxes: [])

    /// Cells an item may cover before it goes to the tree.
    static let maxCellsPerItem = 16

    /// Limits boxes to finite values: NaN anywhere makes a box empty (such a shape
    /// contains no point), infinities become +-1e300.
    static func sanitized(_ b: Box) -> Box {
        let values = [b.minX, b.minY, b.maxX, b.maxY]
        guard !values.contains(where: \.isNaN) else {
            return Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        }
        let c = values.map { min(max($0, -1e300), 1e300) }
        return Box(minX: c[0], minY: c[1], maxX: c[2], maxY: c[3])
    }

    init(boxes raw: [Box]) {
        let input = raw.map(Self.sanitized)
        boxes.reserveCapacity(input.count * 4)
        for b in input { boxes += [b.minX, b.minY, b.maxX, b.maxY] }
        var valid = input.filter { !$0.isEmpty }
        guard !valid.isEmpty else { return }
        // Boxes far larger than typical (or unbounded) stay out of the grid's extent.
        let typicalWidth = valid.map(\.width).sorted()[valid.count / 2]
        let typicalHeight = valid.map(\.height).sorted()[valid.count / 2]
        let hugeWidth = max(64 * typicalWidth, 1e-300), hugeHeight = max(64 * typicalHeight, 1e-300)
        func isHuge(_ b: Box) -> Bool {
            b.width > hugeWidth || b.height > hugeHeight || b.width > 1e12 || b.height > 1e12
        }
        valid = valid.filter { !isHuge($0) }
        if valid.isEmpty { valid = [Box(minX: 0, minY: 0, maxX: 1, maxY: 1)] }
        var extent = valid[0]
        for b in valid { extent = extent.union(b) }
        // Cell size: half the median box size (a typical box covers about 9 cells, and
        // a cell holds few boxes that miss a point in it), grown until the grid has at
        // most ~8 cells per item.
        let widths = valid.map(\.width).sorted(), heights = valid.map(\.height).sorted()
        var cellWidth = max(widths[widths.count / 2] / 2, extent.width / 2048, 1e-9)
        var cellHeight = max(heights[heights.count / 2] / 2, extent.height / 2048, 1e-9)
        func gridSize() -> (Int, Int) {
            (min(1 << 20, Int(extent.width / cellWidth) + 1), min(1 << 20, Int(extent.height / cellHeight) + 1))
        }
        var (c, r) = gridSize()
        while c * r > 8 * valid.count + 64 {
            cellWidth *= 1.5
            cellHeight *= 1.5
            (c, r) = gridSize()
        }
        columns = c
        rows = r
        minX = extent.minX
        minY = extent.minY
        inverseCellWidth = 1 / cellWidth
        inverseCellHeight = 1 / cellHeight
        // Count, then fill (items stay in ascending order within each cell).
        var perCell = [Int](repeating: 0, count: c * r + 1)
        var large: [Int] = []
        var spans: [(Int, Int, Int, Int)] = []
        spans.reserveCapacity(input.count)
        for (i, b) in input.enumerated() {
            guard !b.isEmpty else {
                spans.append((0, -1, 0, -1))
                continue
            }
            if isHuge(b) {
                large.append(i)
                spans.append((0, -1, 0, -1))
                continue
            }
            let (x0, x1) = (column(b.minX), column(b.maxX))
            let (y0, y1) = (row(b.minY), row(b.maxY))
            if (x1 - x0 + 1) * (y1 - y0 + 1) > Self.maxCellsPerItem {
                large.append(i)
                spans.append((0, -1, 0, -1))
                continue
            }
            spans.append((x0, x1, y0, y1))
            for y in y0...y1 { for x in x0...x1 { perCell[y * c + x] += 1 } }
        }
        cellStart = [Int](repeating: 0, count: c * r + 1)
        for k in 0..<(c * r) { cellStart[k + 1] = cellStart[k] + perCell[k] }
        items = [Int](repeating: 0, count: cellStart[c * r])
        var next = cellStart
        for (i, (x0, x1, y0, y1)) in spans.enumerated() where x0 <= x1 {
            for y in y0...y1 {
                for x in x0...x1 {
                    items[next[y * c + x]] = i
                    next[y * c + x] += 1
                }
            }
        }
        largeItems = large
        largeTree = PackedBoxTree(boxes: large.map { input[$0] })
        for k in 0..<(c * r) { maxCellItems = max(maxCellItems, cellStart[k + 1] - cellStart[k]) }
    }

    @inline(__always)
    private func column(_ x: Double) -> Int { Self.clamp((x - minX) * inverseCellWidth, columns) }
    @inline(__always)
    private func row(_ y: Double) -> Int { Self.clamp((y - minY) * inverseCellHeight, rows) }

    /// `Int(value)` limited to `0..<count` before converting (huge values cannot trap).
    @inline(__always)
    private static func clamp(_ value: Double, _ count: Int) -> Int {
        if !(value >= 0) { return 0 }
        if value >= Double(count - 1) { return count - 1 }
        return Int(value)
    }

    /// The grid cell of a point (points outside the grid get the nearest border
    /// cell; non-finite points -1), for ordering batches of queries by locality.
    func cell(of point: Point) -> Int {
        guard columns > 0, point.x.isFinite, point.y.isFinite else { return -1 }
        return row(point.y) * columns + column(point.x)
    }

    /// Number of grid cells.
    var cellCount: Int { columns * rows }

    /// Calls `visit` with every large item whose box contains `point`.
    @inline(__always)
    func searchLarge(point: Point, _ visit: (Int) -> Void) {
        if !largeItems.isEmpty { largeTree.search(point: point) { visit(largeItems[$0]) } }
    }

    /// Runs `body` with pointer access to the grid, for many point queries in a row.
    @inline(__always)
    func withReader<R>(_ body: (Reader) -> R) -> R {
        boxes.withUnsafeBufferPointer { boxes in
            items.withUnsafeBufferPointer { items in
                cellStart.withUnsafeBufferPointer { cellStart in
                    body(Reader(boxes: boxes, items: items, cellStart: cellStart, grid: self))
                }
            }
        }
    }

    /// Pointer access to the grid's arrays.
    struct Reader {
        let boxes: UnsafeBufferPointer<Double>
        let items: UnsafeBufferPointer<Int>
        let cellStart: UnsafeBufferPointer<Int>
        let grid: GridIndex

        /// Writes the grid items whose box contains the point to `out`, ascending,
        /// and returns their number. Every item of the cell is written and the
        /// count advances only past those that hold the point, so mixed answers
        /// cost no mispredicted branch. `out` needs room for ``maxCellItems``.
        @inline(__always)
        func items(at px: Double, _ py: Double, into out: UnsafeMutablePointer<Int>) -> Int {
            guard grid.columns > 0 && px.isFinite && py.isFinite else { return 0 }
            let cell = grid.row(py) &* grid.columns &+ grid.column(px)
            var n = 0
            for k in cellStart[cell]..<cellStart[cell &+ 1] {
                let i = items[k]
                let b = 4 &* i
                out[n] = i
                n &+= (boxes[b] <= px).bit & (px <= boxes[b &+ 2]).bit & (boxes[b &+ 1] <= py).bit
                    & (py <= boxes[b &+ 3]).bit
            }
            return n
        }
    }

    /// Calls `visit` once with every item whose box meets `box`, in ascending order.
    func search(box: Box, _ visit: (Int) -> Void) {
        var found: [Int] = []
        if columns > 0 && !box.isEmpty {
            for y in row(box.minY)...row(box.maxY) {
                for x in column(box.minX)...column(box.maxX) {
                    for k in cellStart[y * columns + x]..<cellStart[y * columns + x + 1] {
                        let i = items[k]
                        if boxes[4 * i] <= box.maxX && box.minX <= boxes[4 * i + 2] && boxes[4 * i + 1] <= box.maxY
                            && box.minY <= boxes[4 * i + 3]
                        {
                            found.append(i)
                        }
                    }
                }
            }
        }
        largeTree.search(box: box) { found.append(largeItems[$0]) }
        found.sort()
        var previous = -1
        for i in found where i != previous {
            visit(i)
            previous = i
        }
    }
}
