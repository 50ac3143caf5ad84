/// 8-connected component labels of a mask's foreground, computed on runs: each
/// row's runs are unioned with the runs of the row above that overlap them or
/// touch them diagonally.
struct ComponentLabels {
    /// Runs per row: `runStart[y]..<runStart[y + 1]` index into the run arrays.
    private var runStart: [Int]
    private var runFrom: [Int] = [], runTo: [Int] = []
    private var parent: [Int] = []

    init(pixels: UnsafePointer<UInt8>, width w: Int, height h: Int) {
        runStart = [Int](repeating: 0, count: h + 1)
        for y in 0..<h {
            let row = pixels + y * w
            var x = 0
            while x < w {
                while x < w && row[x] == 0 { x += 1 }
                guard x < w else { break }
                let start = x
                while x < w && row[x] != 0 { x += 1 }
                runFrom.append(start)
                runTo.append(x)
                parent.append(parent.count)
            }
            runStart[y + 1] = runFrom.count
        }
        // Union runs with the overlapping (8-connected) runs of the row above.
        for y in 1..<max(h, 1) {
            var above = runStart[y - 1]
            let aboveEnd = runStart[y]
            for run in runStart[y]..<runStart[y + 1] {
                while above < aboveEnd && runTo[above] < runFrom[run] { above += 1 }
                var k = above
                while k < aboveEnd && runFrom[k] <= runTo[run] {
                    union(run, k)
                    k += 1
                }
            }
        }
    }

    private mutating func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != i {
            parent[i] = parent[parent[i]]
            i = parent[i]
        }
        return i
    }

    private mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }

    /// The component label of foreground pixel (x, y).
    func label(x: Int, y: Int) -> Int {
        var lo = runStart[y], hi = runStart[y + 1] - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if runFrom[mid] <= x { lo = mid } else { hi = mid - 1 }
        }
        var i = lo
        while parent[i] != i { i = parent[i] }
        return i
    }
}
