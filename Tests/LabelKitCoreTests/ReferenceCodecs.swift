import LabelKitCore

/// Deliberately naive encoders written from the format descriptions (Fixtures README,
/// spec sections 6, 7.1 and 9), used as independent oracles for random inputs.
enum Reference {
    /// MSB-first bit writer, one bit at a time.
    struct Bits {
        var bytes: [UInt8] = []
        var count = 0

        mutating func write(_ value: UInt64, _ width: Int) {
            for k in stride(from: width - 1, through: 0, by: -1) {
                if count % 8 == 0 { bytes.append(0) }
                if (value >> UInt64(k)) & 1 == 1 { bytes[count / 8] |= UInt8(0x80 >> (count % 8)) }
                count += 1
            }
        }

        /// The rle-pack header (section 6).
        mutating func header(count n: Int, wordSize: Int = 8, sizes: [Int] = [3, 4, 8, 16]) {
            write(UInt64(n), 32)
            write(UInt64(wordSize - 1), 5)
            for s in sizes { write(UInt64(s - 1), 4) }
        }
    }

    /// label-studio-converter `encode_rle` (section 7.1) over 8-bit words.
    static func labelStudioEncode(words: [UInt8]) -> [UInt8] {
        var bits = Bits()
        bits.header(count: words.count)
        var i = 0
        while i < words.count {
            var j = i
            while j < words.count && words[j] == words[i] { j += 1 }
            var length = j - i
            let v = UInt64(words[i])
            switch length {
            case 1:
                bits.write(0, 1); bits.write(0, 2); bits.write(0, 3); bits.write(v, 8)
            case 2...8:
                bits.write(1, 1); bits.write(0, 2); bits.write(UInt64(length - 1), 3); bits.write(v, 8)
            case 9...16:
                bits.write(1, 1); bits.write(1, 2); bits.write(UInt64(length - 1), 4); bits.write(v, 8)
            case 17...256:
                bits.write(1, 1); bits.write(2, 2); bits.write(UInt64(length - 1), 8); bits.write(v, 8)
            default:
                while length > 65536 {
                    bits.write(1, 1); bits.write(3, 2); bits.write(0xFFFF, 16); bits.write(v, 8)
                    length -= 65536
                }
                bits.write(1, 1); bits.write(3, 2); bits.write(UInt64(length - 1), 16); bits.write(v, 8)
            }
            i = j
        }
        bits.write(0, 8 - bits.count % 8)
        return bits.bytes
    }

    /// `mask2rle`: each byte 4 times, then `encode_rle`.
    static func labelStudioEncode(mask: Mask) -> [UInt8] {
        labelStudioEncode(words: mask.bytes.flatMap { [$0, $0, $0, $0] })
    }

    /// COCO runs over the column-major flattening, foreground = non-zero.
    static func cocoCounts(_ mask: Mask) -> [UInt32] {
        var counts: [UInt32] = []
        var current = false
        var run: UInt32 = 0
        for x in 0..<mask.width {
            for y in 0..<mask.height {
                let v = mask[x, y] != 0
                if v != current {
                    counts.append(run)
                    run = 0
                    current = v
                }
                run += 1
            }
        }
        counts.append(run)
        return counts
    }

    /// pycocotools `rleToString`.
    static func compress(_ counts: [UInt32]) -> String {
        var out = ""
        for i in counts.indices {
            var x = Int64(counts[i])
            if i > 2 { x -= Int64(counts[i - 2]) }
            var more = true
            while more {
                var c = x & 0x1f
                x >>= 5
                more = (c & 0x10) != 0 ? x != -1 : x != 0
                if more { c |= 0x20 }
                out.append(Character(Unicode.Scalar(UInt8(c + 48))))
            }
        }
        return out
    }

    /// Foreground flags, row-major.
    static func flags(_ mask: Mask) -> [Bool] { mask.bytes.map { $0 != 0 } }

    /// [x, y, w, h] of the foreground, [0, 0, 0, 0] when empty.
    static func boundingBox(_ mask: Mask) -> [Double] {
        var xs = Int.max, ys = Int.max, xe = -1, ye = -1
        for y in 0..<mask.height {
            for x in 0..<mask.width where mask[x, y] != 0 {
                xs = min(xs, x); xe = max(xe, x); ys = min(ys, y); ye = max(ye, y)
            }
        }
        guard xe >= 0 else { return [0, 0, 0, 0] }
        return [Double(xs), Double(ys), Double(xe - xs + 1), Double(ye - ys + 1)]
    }
}

/// Random masks of several shapes for round-trip tests.
enum RandomMasks {
    /// A mask of random size (including widths around the 8/32-byte SIMD steps), with
    /// one of several fill patterns and value sets.
    static func make(_ rng: inout SplitMix64, maxSide: Int = 90) -> Mask {
        let specialWidths = [1, 2, 7, 8, 9, 31, 32, 33, 63, 64, 65, 96]
        let width = Bool.random(using: &rng)
            ? specialWidths.randomElement(using: &rng)! : Int.random(in: 1...maxSide, using: &rng)
        let height = Int.random(in: 1...maxSide, using: &rng)
        var mask = Mask(width: width, height: height)
        let values: [UInt8] = [[255], [1], [1, 128, 255], [7, 200], Array(1...255)].randomElement(using: &rng)!
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:  // noise of random density
            let p = Double.random(in: 0...1, using: &rng)
            for i in mask.bytes.indices where Double.random(in: 0..<1, using: &rng) < p {
                mask.bytes[i] = values.randomElement(using: &rng)!
            }
        case 1:  // a few rectangles
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let x0 = Int.random(in: 0..<width, using: &rng), y0 = Int.random(in: 0..<height, using: &rng)
                let x1 = Int.random(in: x0..<width, using: &rng), y1 = Int.random(in: y0..<height, using: &rng)
                let v = values.randomElement(using: &rng)!
                for y in y0...y1 { for x in x0...x1 { mask[x, y] = v } }
            }
        case 2:  // discs
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let cx = Double.random(in: 0..<Double(width), using: &rng)
                let cy = Double.random(in: 0..<Double(height), using: &rng)
                let r = Double.random(in: 0...Double(max(width, height)) / 2, using: &rng)
                let v = values.randomElement(using: &rng)!
                for y in 0..<height {
                    for x in 0..<width {
                        let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                        if dx * dx + dy * dy <= r * r { mask[x, y] = v }
                    }
                }
            }
        case 3:  // full, with a few holes
            mask.bytes = [UInt8](repeating: values.randomElement(using: &rng)!, count: width * height)
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                mask.bytes[Int.random(in: 0..<mask.bytes.count, using: &rng)] = 0
            }
        case 4:  // horizontal stripes of random runs (long runs of one value)
            var i = 0
            while i < mask.bytes.count {
                let n = Int.random(in: 1...(3 * width), using: &rng)
                let v: UInt8 = Bool.random(using: &rng) ? 0 : values.randomElement(using: &rng)!
                for k in i..<min(i + n, mask.bytes.count) { mask.bytes[k] = v }
                i += n
            }
        default:  // empty
            break
        }
        return mask
    }
}
