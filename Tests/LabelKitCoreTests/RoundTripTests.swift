import LabelKitCore
import Testing

/// Encode/decode round trips and set operations on seeded random masks, checked
/// against naive computations written in the tests.
@Suite("Round trips on random masks")
struct RoundTripTests {
    static let seeds: [UInt64] = [1, 2, 3, 4]
    static let masksPerSeed = 60

    static func masks(seed: UInt64, maxSide: Int = 90) -> [Mask] {
        var rng = SplitMix64(seed: seed)
        return (0..<masksPerSeed).map { _ in RandomMasks.make(&rng, maxSide: maxSide) }
    }

    @Test("Label Studio encode matches a naive mask2rle and decodes back", arguments: seeds)
    func labelStudio(seed: UInt64) throws {
        for (n, mask) in Self.masks(seed: seed).enumerated() {
            let rle = try LabelStudioRLE.encode(mask)
            #expect(rle == Reference.labelStudioEncode(mask: mask), "mask \(n) \(mask.width)x\(mask.height)")
            let back = try LabelStudioRLE.decodeMask(rle, width: mask.width, height: mask.height)
            #expect(back == mask, "mask \(n)")
        }
    }

    @Test("Label Studio encode(words:) matches naive encode_rle and decodes back", arguments: seeds)
    func labelStudioWords(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 100)
        var mismatches: [String] = []
        for n in 0..<200 {
            var words: [UInt8] = []
            let pieces = Int.random(in: 1...12, using: &rng)
            for _ in 0..<pieces {
                let length = [1, 1, 2, 3, 8, 9, 16, 17, 255, 256, 257, 300, 65536, 65537]
                    .randomElement(using: &rng)!
                words += [UInt8](repeating: UInt8.random(in: 0...255, using: &rng), count: length)
            }
            let rle = try LabelStudioRLE.encode(words: words)
            let expected = Reference.labelStudioEncode(words: words)
            if rle != expected {
                let at = zip(rle, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(rle.count, expected.count)
                mismatches.append("case \(n): first differing byte \(at) of \(expected.count)")
            }
            #expect(try LabelStudioRLE.decodeWords(rle) == words.map(UInt32.init), "case \(n)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of 200 streams differ; \(mismatches.prefix(3))")
    }

    /// Larger sizes reach the block scans and the 8-column transposed strips of the
    /// COCO encoder (noisy masks) as well as its row comparison (smooth masks).
    @Test("large noisy and smooth masks agree with the naive codecs", arguments: [
        (257, 131), (300, 200), (1000, 3), (3, 1000), (640, 48), (71, 333),
    ])
    func largeMasks(_ size: (Int, Int)) throws {
        let (w, h) = size
        var rng = SplitMix64(seed: UInt64(w * 7919 + h))
        for density in [0.5, 0.05, 0.002] {
            var mask = Mask(width: w, height: h)
            // Noise plus a solid block, so both long and short runs occur.
            for i in mask.bytes.indices where Double.random(in: 0..<1, using: &rng) < density {
                mask.bytes[i] = UInt8.random(in: 1...255, using: &rng)
            }
            for y in (h / 4)..<(h / 2) { for x in (w / 3)..<(w / 2) { mask[x, y] = 255 } }
            let coco = COCORLE(encoding: mask)
            #expect(coco.counts == Reference.cocoCounts(mask), "density \(density)")
            #expect(coco.decode().bytes == mask.binarized255, "density \(density)")
            #expect(coco.decode(foreground: 1).bytes == mask.bytes.map { $0 == 0 ? 0 : 1 }, "density \(density)")
            let ls = try LabelStudioRLE.encode(mask)
            #expect(ls == Reference.labelStudioEncode(mask: mask), "density \(density)")
            #expect(try LabelStudioRLE.decodeMask(ls, width: w, height: h) == mask, "density \(density)")
            let binary = try Mask(width: w, height: h, bytes: mask.binarized255)
            #expect(try RLEConversion.labelStudio(fromCOCO: coco) == Reference.labelStudioEncode(mask: binary))
        }
    }

    @Test("images above 65536 words with long runs round-trip")
    func longRuns() throws {
        var mask = Mask(width: 300, height: 300)
        for i in 20_000..<70_000 { mask.bytes[i] = 255 }
        mask.bytes[80_000] = 9
        let rle = try LabelStudioRLE.encode(mask)
        #expect(rle == Reference.labelStudioEncode(mask: mask))
        #expect(try LabelStudioRLE.decodeMask(rle, width: 300, height: 300) == mask)
        #expect(COCORLE(encoding: mask).counts == Reference.cocoCounts(mask))
    }

    @Test("COCO encode matches naive column-major runs and decodes back", arguments: seeds)
    func coco(seed: UInt64) throws {
        for (n, mask) in Self.masks(seed: seed).enumerated() {
            let rle = COCORLE(encoding: mask)
            let counts = Reference.cocoCounts(mask)
            #expect(rle.counts == counts, "mask \(n) \(mask.width)x\(mask.height)")
            #expect(rle.compressedCounts == Reference.compress(counts), "mask \(n)")
            #expect(rle.decode().bytes == mask.binarized255, "mask \(n)")
            let parsed = try COCORLE(height: mask.height, width: mask.width, compressedCounts: rle.compressedCounts)
            #expect(parsed.counts == counts, "mask \(n)")
            #expect(rle.area == mask.bytes.count(where: { $0 != 0 }), "mask \(n)")
            #expect(rle.boundingBox == Reference.boundingBox(mask), "mask \(n)")
        }
    }

    @Test("Label Studio to COCO conversion equals direct COCO encoding", arguments: seeds)
    func conversion(seed: UInt64) throws {
        for (n, mask) in Self.masks(seed: seed).enumerated() {
            let ls = try LabelStudioRLE.encode(mask)
            let coco = try RLEConversion.coco(fromLabelStudio: ls, width: mask.width, height: mask.height)
            #expect(coco == COCORLE(encoding: mask), "mask \(n)")
            #expect(coco.counts == Reference.cocoCounts(mask), "mask \(n)")
            let back = try RLEConversion.labelStudio(fromCOCO: coco)
            #expect(back == Reference.labelStudioEncode(mask: try Mask(
                width: mask.width, height: mask.height, bytes: mask.binarized255)), "mask \(n)")
        }
    }

    @Test("merge equals pixelwise OR and AND", arguments: seeds)
    func merge(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 1000)
        for n in 0..<80 {
            let w = Int.random(in: 1...70, using: &rng), h = Int.random(in: 1...70, using: &rng)
            let k = Int.random(in: 2...4, using: &rng)
            var masks: [Mask] = []
            for _ in 0..<k {
                var m = RandomMasks.make(&rng, maxSide: 70)
                // Same size for every operand: redraw the pattern into w x h.
                var sized = Mask(width: w, height: h)
                for y in 0..<h { for x in 0..<w { sized[x, y] = m[x % m.width, y % m.height] } }
                m = sized
                masks.append(m)
            }
            var or = [Bool](repeating: false, count: w * h)
            var and = [Bool](repeating: true, count: w * h)
            for m in masks {
                for i in or.indices {
                    or[i] = or[i] || m.bytes[i] != 0
                    and[i] = and[i] && m.bytes[i] != 0
                }
            }
            let orMask = try Mask(width: w, height: h, bytes: or.map { $0 ? 255 : 0 })
            let andMask = try Mask(width: w, height: h, bytes: and.map { $0 ? 255 : 0 })
            let rles = masks.map(COCORLE.init(encoding:))
            let union = try COCORLE.merge(rles)
            let inter = try COCORLE.merge(rles, intersect: true)
            #expect(union.decode() == orMask, "case \(n)")
            #expect(inter.decode() == andMask, "case \(n)")
            // merge output is canonical: the same runs as encoding the result.
            #expect(union.counts == Reference.cocoCounts(orMask), "case \(n)")
            #expect(inter.counts == Reference.cocoCounts(andMask), "case \(n)")
        }
    }

    @Test("IoU equals the pixel-count ratio", arguments: seeds)
    func iou(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 2000)
        var overlapping = 0
        for n in 0..<120 {
            let w = Int.random(in: 1...60, using: &rng), h = Int.random(in: 1...60, using: &rng)
            func draw() -> Mask {
                let m = RandomMasks.make(&rng, maxSide: 60)
                var sized = Mask(width: w, height: h)
                for y in 0..<h { for x in 0..<w { sized[x, y] = m[x % m.width, y % m.height] } }
                return sized
            }
            let a = draw(), b = draw()
            var i = 0, u = 0, areaA = 0
            for k in a.bytes.indices {
                let va = a.bytes[k] != 0, vb = b.bytes[k] != 0
                if va && vb { i += 1 }
                if va || vb { u += 1 }
                if va { areaA += 1 }
            }
            if i > 0 { overlapping += 1 }
            let ra = COCORLE(encoding: a), rb = COCORLE(encoding: b)
            let plain = i == 0 ? 0 : Double(i) / Double(u)
            let crowd = i == 0 ? 0 : Double(i) / Double(areaA)
            #expect(COCORLE.iou([ra], [rb], isCrowd: [false]) == [[plain]], "case \(n)")
            #expect(COCORLE.iou([ra], [rb], isCrowd: [true]) == [[crowd]], "case \(n)")
            let matrix = COCORLE.iou([ra, rb], [rb, ra], isCrowd: [false, true])
            #expect(matrix[0][0] == plain && matrix[1][1] == (i == 0 ? 0 : Double(i) / Double(b.bytes.count(where: { $0 != 0 }))), "case \(n)")
        }
        #expect(overlapping >= 30)
    }

    /// cocoapi's `rleIou` walk, transcribed: it stops where both lists reach a
    /// zero-length run at once.
    static func walk(_ a: [UInt32], _ b: [UInt32]) -> (UInt32, UInt32) {
        var ca = a[0], cb = b[0], va = false, vb = false, ka = 1, kb = 1
        var i: UInt32 = 0, u: UInt32 = 0
        var more = true
        while more {
            let c = min(ca, cb)
            if va || vb {
                u += c
                if va && vb { i += c }
            }
            ca -= c
            if ca == 0 && ka < a.count { ca = a[ka]; ka += 1; va.toggle() }
            cb -= c
            if cb == 0 && kb < b.count { cb = b[kb]; kb += 1; vb.toggle() }
            more = ca != 0 || cb != 0
        }
        return (i, u)
    }

    @Test("IoU of counts with zero-length runs inside follows cocoapi's walk, early stop included")
    func iouInnerZeros() throws {
        var rng = SplitMix64(seed: 77)
        for n in 0..<300 {
            // 1x12 masks whose counts may hold zeros anywhere.
            func counts() -> [UInt32] {
                var left: UInt32 = 12
                var out: [UInt32] = []
                while left > 0 {
                    let c = out.isEmpty || Int.random(in: 0...3, using: &rng) > 0 ? UInt32.random(in: 0...left, using: &rng) : 0
                    out.append(c)
                    left -= c
                }
                if out.count % 2 == 0 && Bool.random(using: &rng) { out.append(0) }
                return out
            }
            let a = counts(), b = counts()
            let ra = try COCORLE(height: 12, width: 1, counts: a), rb = try COCORLE(height: 12, width: 1, counts: b)
            var (i, u) = Self.walk(a, b)
            if i == 0 { u = 1 }
            let expected = ra.area == 0 || rb.area == 0 ? 0 : Double(i) / Double(u)
            let got = COCORLE.iou([ra], [rb], isCrowd: [false])[0][0]
            // A pair whose boxes do not meet scores 0 without the walk.
            #expect(got == expected || (got == 0 && i == 0), "case \(n): \(a) vs \(b)")
        }
    }
}
