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
    /// A mask rebuilt from row runs (one fill per run).
    ///
    /// - Precondition: the runs cover exactly `width x height` pixels.
    public init(width: Int, height: Int, runs: MaskRuns) {
        self.init(width: width, height: height)
        bytes.withUnsafeMutableBufferPointer { out in
            var offset = 0
            for (value, length) in zip(runs.values, runs.lengths) {
                if value != 0 { (out.baseAddress! + offset).update(repeating: value, count: length) }
                offset += length
            }
            precondition(offset == width * height, "runs do not cover the mask")
        }
    }

    /// The runs of equal bytes of each row (runs never cross rows), found by one
    /// 8-bytes-at-a-time scan of the whole mask, split at row ends.
    ///
    /// - Complexity: O(width * height / 8 + runs + height).
    public func rowRuns() -> MaskRuns {
        guard width > 0, height > 0 else {
            return MaskRuns(values: [], lengths: [], rowStart: [Int](repeating: 0, count: height + 1))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var sink = RunCollector(base: buffer.baseAddress!, width: width)
            sink.out.rowStart.reserveCapacity(height + 1)
            ByteRuns.scanBoundaries(buffer.baseAddress!, count: buffer.count, into: &sink)
            sink.emit(upTo: buffer.count)
            return sink.out
        }
    }
}

/// Turns byte boundaries of a whole mask into per-row runs.
struct RunCollector: ByteBoundarySink {
    let base: UnsafePointer<UInt8>
    let width: Int
    var out = MaskRuns()
    /// Start of the run in progress.
    var start = 0
    /// End of the row the run in progress lies in.
    var rowEnd: Int

    init(base: UnsafePointer<UInt8>, width: Int) {
        self.base = base
        self.width = width
        rowEnd = width
    }

    /// Ends the run in progress at `index`, cutting it at every row end before.
    @inline(__always)
    mutating func emit(upTo index: Int) {
        while rowEnd <= index {
            if start < rowEnd {
                out.values.append(base[start])
                out.lengths.append(rowEnd - start)
            }
            out.rowStart.append(out.values.count)
            start = rowEnd
            rowEnd += width
        }
        if start < index {
            out.values.append(base[start])
            out.lengths.append(index - start)
            start = index
        }
    }

    mutating func boundaries(_ offsets: UnsafePointer<UInt16>, count: Int, from origin: Int) {
        for j in 0..<count { emit(upTo: origin + Int(offsets[j])) }
    }
}
