/// The foreground runs of a mask, row by row: consecutive non-zero pixels of a
/// row form one run, whatever their values. Derived from ``Mask/rowRuns()``.
struct RowRuns {
    /// Runs of row y: `rowStart[y]..<rowStart[y + 1]` index `from`/`to`.
    var rowStart: [Int]
    /// First column of each run.
    var from: [Int] = []
    /// One past the last column of each run.
    var to: [Int] = []

    init(mask: Mask) {
        let runs = mask.rowRuns()
        rowStart = [0]
        rowStart.reserveCapacity(mask.height + 1)
        for y in 0..<mask.height {
            var x = 0
            for k in runs.rowStart[y]..<runs.rowStart[y + 1] {
                let end = x + runs.lengths[k]
                if runs.values[k] != 0 {
                    if let last = to.last, last == x, from.count > rowStart[y] {
                        to[to.count - 1] = end  // a neighbouring run of another non-zero value
                    } else {
                        from.append(x)
                        to.append(end)
                    }
                }
                x = end
            }
            rowStart.append(from.count)
        }
    }
}
