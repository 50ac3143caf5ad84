import LabelKitCore

/// Paints spans into a band of the overlay's coverage buffer, top-most region
/// first: a pixel takes the value of the first region that covers it, and
/// later (lower) regions skip it. Covered pixels are skipped with a union-find
/// over each row ("next uncovered column at or after x", path halving), so a
/// pixel is written once however many regions cover it.
///
/// Buffers (owned by the caller, one band of `rows` rows):
///
///     coverage  rows * width     UInt16: 0 = uncovered, else region index + 1
///     next      rows * (width+1) Int32: next[x] == x while x is uncovered;
///                                column `width` is the row's sentinel
struct CoverageSink: SpanSink {
    let coverage: UnsafeMutablePointer<UInt16>
    let next: UnsafeMutablePointer<Int32>
    /// View width.
    let width: Int
    /// Added to the rasterizer's rows to get band rows.
    let rowOffset: Int
    /// Added to the rasterizer's columns to get view columns.
    let columnOffset: Int
    /// The value written: region index + 1.
    let value: UInt16
    /// Pixels this sink has covered.
    var covered = 0

    @inline(__always)
    mutating func span(row: Int, columns: Range<Int>) {
        let r = row &+ rowOffset
        let links = next + r &* (width &+ 1)
        let cells = coverage + r &* width
        let end = columns.upperBound &+ columnOffset
        var x = Self.find(links, columns.lowerBound &+ columnOffset)
        while x < end {
            covered &+= 1
            cells[x] = value
            links[x] = Int32(truncatingIfNeeded: x &+ 1)
            x = Self.find(links, x &+ 1)
        }
    }

    /// The first uncovered column at or after `x`, halving the path on the way.
    @inline(__always)
    static func find(_ links: UnsafeMutablePointer<Int32>, _ x: Int) -> Int {
        var x = x
        while Int(links[x]) != x {
            let parent = Int(links[x])
            let grandparent = links[parent]
            links[x] = grandparent
            x = Int(grandparent)
        }
        return x
    }
}
