import Testing

@testable import LabelKitCore

/// COCO RLE from and to column-major (Fortran-order) bytes.
@Suite("COCO RLE in column-major order")
struct COCORLEColumnMajorTests {
    /// Random masks: noisy (one run in 2 pixels) and smooth (rectangles), any non-zero values.
    static func masks() -> [Mask] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
        var out: [Mask] = []
        for (w, h) in [(1, 1), (1, 37), (29, 1), (7, 9), (64, 48), (257, 131), (1000, 3)] {
            var noisy = Mask(width: w, height: h)
            for i in noisy.bytes.indices where next(2) == 0 { noisy.bytes[i] = UInt8(1 + next(255)) }
            out.append(noisy)
            var smooth = Mask(width: w, height: h)
            for _ in 0..<4 {
                let x0 = next(w), y0 = next(h), x1 = x0 + next(w - x0 + 1), y1 = y0 + next(h - y0 + 1)
                for y in y0..<y1 { for x in x0..<x1 { smooth.bytes[y * w + x] = 255 } }
            }
            out.append(smooth)
            out.append(Mask(width: w, height: h))
        }
        return out
    }

    static func columnMajor(_ mask: Mask) -> [UInt8] {
        var columns = [UInt8](repeating: 0, count: mask.pixelCount)
        for x in 0..<mask.width { for y in 0..<mask.height { columns[x * mask.height + y] = mask.bytes[y * mask.width + x] } }
        return columns
    }

    @Test("encoding the column-major bytes gives the row-major encoder's counts")
    func encode() throws {
        for mask in Self.masks() {
            let columns = Self.columnMajor(mask)
            let rle = try columns.withUnsafeBufferPointer {
                try COCORLE(encodingColumnMajor: $0, height: mask.height, width: mask.width)
            }
            #expect(rle.counts == COCORLE(encoding: mask).counts, "\(mask.width)x\(mask.height)")
        }
        #expect(throws: CoreError.self) {
            try [UInt8](repeating: 0, count: 5).withUnsafeBufferPointer {
                try COCORLE(encodingColumnMajor: $0, height: 2, width: 2)
            }
        }
    }

    @Test("run boundaries at every offset of a 64-byte step, across 4 KiB blocks")
    func boundariesAtEveryOffset() throws {
        // One column of runs 1, 2, 3, ... long: each boundary lands at a new offset, some
        // at a step's first or last byte, some where a block starts.
        var column: [UInt8] = []
        var length = 1
        while column.count < 9000 {
            column += [UInt8](repeating: length % 2 == 0 ? 0 : UInt8(length % 255 + 1), count: length)
            length = length % 150 + 1
        }
        var mask = Mask(width: 1, height: column.count)
        mask.bytes = column
        let rle = try column.withUnsafeBufferPointer {
            try COCORLE(encodingColumnMajor: $0, height: column.count, width: 1)
        }
        #expect(rle.counts == COCORLE(encoding: mask).counts)
    }

    /// Counts straight from the definition: alternating runs of zero and
    /// non-zero bytes, starting with zeros, one byte at a time.
    static func naiveCounts(_ bytes: [UInt8]) -> [UInt32] {
        var counts: [UInt32] = []
        var value = false
        var run: UInt32 = 0
        for byte in bytes {
            if (byte != 0) != value {
                counts.append(run)
                value.toggle()
                run = 0
            }
            run += 1
        }
        counts.append(run)
        return counts
    }

    @Test(
        "counts equal the byte-by-byte definition at every density, from 0 to 64 boundaries per 64 bytes",
        arguments: [1, 2, 3, 5, 8, 9, 16, 17, 40, 64])
    func everyDensity(period: Int) throws {
        // Runs of random length 1...2*period-1, with a smooth stretch in the middle so the
        // encoder changes strategy, and enough counts to outgrow its first buffer.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D &+ UInt64(period)
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let (w, h) = (613, 389)
        var bytes: [UInt8] = []
        var on = false
        while bytes.count < w * h {
            let length = bytes.count > 90_000 && bytes.count < 120_000 ? 5_000 : 1 + next(2 * period - 1)
            bytes += (0..<length).map { _ in on ? UInt8(1 + next(255)) : 0 }
            on.toggle()
        }
        bytes.removeLast(bytes.count - w * h)
        let rle = try bytes.withUnsafeBufferPointer { try COCORLE(encodingColumnMajor: $0, height: h, width: w) }
        #expect(rle.counts == Self.naiveCounts(bytes))
    }

    @Test("decoding to column-major bytes is the transpose of the row-major decode", arguments: [UInt8(1), 255])
    func decode(foreground: UInt8) {
        for mask in Self.masks() {
            let rle = COCORLE(encoding: mask)
            #expect(
                rle.decodeColumnMajor(foreground: foreground)
                    == Self.columnMajor(rle.decode(foreground: foreground)), "\(mask.width)x\(mask.height)")
        }
    }

    @Test("a mask noisy in some 4 KiB blocks and smooth in others (the encoder switches strategy per block)")
    func mixedBlocks() throws {
        let (w, h) = (173, 211)  // 36,503 bytes: nine blocks
        var state: UInt64 = 42
        var mask = Mask(width: w, height: h)
        for x in 0..<w {
            for y in 0..<h {
                let i = x * h + y  // column-major position
                state = state &* 6_364_136_223_846_793_005 &+ 1
                let noisy = (i / 5000) % 2 == 0
                let on = noisy ? (state >> 62) & 1 == 1 : (i / 700) % 2 == 0
                mask.bytes[y * w + x] = on ? UInt8(1 + (state >> 56) % 255) : 0
            }
        }
        let columns = Self.columnMajor(mask)
        let rle = try columns.withUnsafeBufferPointer { try COCORLE(encodingColumnMajor: $0, height: h, width: w) }
        #expect(rle.counts == COCORLE(encoding: mask).counts)
        #expect(rle.decodeColumnMajor(foreground: 1) == columns.map { $0 != 0 ? 1 : 0 })
    }
}
