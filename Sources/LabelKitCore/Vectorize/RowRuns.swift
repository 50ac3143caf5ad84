/// The foreground runs of a mask, row by row, found with 8-byte word tests (zero
/// stretches and all-foreground stretches are skipped a word at a time).
struct RowRuns {
    /// Runs of row y: `rowStart[y]..<rowStart[y + 1]` index `from`/`to`.
    var rowStart: [Int]
    /// First column of each run.
    var from: [Int] = []
    /// One past the last column of each run.
    var to: [Int] = []

    init(pixels: UnsafePointer<UInt8>, width w: Int, height h: Int) {
        rowStart = [Int](repeating: 0, count: h + 1)
        let allSet: UInt64 = 0x8080_8080_8080_8080
        for y in 0..<h {
            let row = pixels + y * w
            let raw = UnsafeRawPointer(row)
            var x = 0
            while x < w {
                while x + 8 <= w && raw.loadUnaligned(fromByteOffset: x, as: UInt64.self) == 0 { x += 8 }
                while x < w && row[x] == 0 { x += 1 }
                guard x < w else { break }
                let start = x
                while x + 8 <= w
                    && ByteRuns.nonZeroFlags(raw.loadUnaligned(fromByteOffset: x, as: UInt64.self)) == allSet
                {
                    x += 8
                }
                while x < w && row[x] != 0 { x += 1 }
                from.append(start)
                to.append(x)
            }
            rowStart[y + 1] = from.count
        }
    }
}
