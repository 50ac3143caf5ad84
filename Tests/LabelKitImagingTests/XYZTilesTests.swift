import Testing

import LabelKitImaging

/// XYZ tile addressing.
@Suite("XYZ tiles")
struct XYZTilesTests {
    @Test("a tile column that would overflow Int when scaled is no tile, not a trap")
    func overflowingColumn() {
        #expect(XYZTiles(width: 1000, height: 700).tile(z: 0, x: 36_028_797_018_963_968, y: 0) == nil)
    }
}
