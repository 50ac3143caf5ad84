/// 8-connected component labels of a mask's foreground, computed on runs: each
/// row's runs are unioned with the runs of the row above that overlap them or
/// touch them diagonally.
struct ComponentLabels {
    private var parent: [Int]

    init(runs: RowRuns, height h: Int) {
        parent = Array(0..<runs.from.count)
        guard h > 1 else { return }
        for y in 1..<h {
            var above = runs.rowStart[y - 1]
            let aboveEnd = runs.rowStart[y]
            for run in runs.rowStart[y]..<runs.rowStart[y + 1] {
                while above < aboveEnd && runs.to[above] < runs.from[run] { above += 1 }
                var k = above
                while k < aboveEnd && runs.from[k] <= runs.to[run] {
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

    /// The component label of run `run`.
    func label(ofRun run: Int) -> Int {
        var i = run
        while parent[i] != i { i = parent[i] }
        return i
    }
}
