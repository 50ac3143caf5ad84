/// The runs of equal bytes of every row of a mask, in flat arrays.
public struct MaskRuns: Sendable {
    /// Run values, row after row.
    public var values: [UInt8] = []
    /// Run lengths, parallel to ``values``.
    public var lengths: [Int] = []
    /// Row y holds runs `rowStart[y]..<rowStart[y + 1]`.
    public var rowStart: [Int] = [0]

    /// Number of runs in all rows.
    public var count: Int { values.count }
}

extension Mask {
    /// The runs of equal bytes of each row (runs never cross rows), found 8 bytes
    /// at a time.
    ///
    /// - Complexity: O(width * height / 8 + runs).
    public func rowRuns() -> MaskRuns {
        var out = MaskRuns()
        out.rowStart.reserveCapacity(height + 1)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // One collector owns the lists for all rows (no copy per row).
            var sink = RunCollector(row: base, out: out)
            out = MaskRuns()
            for y in 0..<height {
                let row = base + y * width
                sink.row = row
                sink.start = 0
                ByteRuns.scanBoundaries(row, count: width, into: &sink)
                if width > 0 {
                    sink.out.values.append(row[sink.start])
                    sink.out.lengths.append(width - sink.start)
                }
                sink.out.rowStart.append(sink.out.values.count)
            }
            out = sink.out
        }
        return out
    }
}

/// Turns boundaries inside one row into runs.
struct RunCollector: ByteBoundarySink {
    var row: UnsafePointer<UInt8>
    var out: MaskRuns
    var start = 0

    init(row: UnsafePointer<UInt8>, out: MaskRuns) {
        self.row = row
        self.out = out
    }

    mutating func boundaries(_ offsets: UnsafePointer<UInt16>, count: Int, from origin: Int) {
        for j in 0..<count {
            let index = origin + Int(offsets[j])
            out.values.append(row[start])
            out.lengths.append(index - start)
            start = index
        }
    }
}
