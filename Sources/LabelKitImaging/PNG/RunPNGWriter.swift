import CPNG
import LabelKitCore

/// Writes 8-bit gray PNGs straight from a mask's runs, without zlib's deflate:
/// each scanline (filter byte 0, then its runs) becomes fixed-Huffman deflate
/// codes, a run as one literal plus distance-1 copies; the zlib Adler-32 is
/// computed from the runs in closed form. Work is O(runs), so a 1920 x 1080 mask
/// of a few shapes encodes in tens of microseconds. The output is an ordinary
/// PNG (one IDAT chunk) that any decoder reads.
enum RunPNGWriter {
    /// PNG bytes for `mask`, from its ``MaskRuns``.
    static func encode(_ mask: Mask, runs: MaskRuns) -> [UInt8] {
        encode(width: mask.width, height: mask.height, runs: runs)
    }

    /// PNG bytes for a `width x height` mask given only its runs.
    static func encode(width: Int, height: Int, runs: MaskRuns) -> [UInt8] {
        var stream = DeflateBitStream()
        stream.reserve(runs.count * 4 + height * 2 + 64)
        stream.writeBits(1, 1)  // BFINAL
        stream.writeBits(1, 2)  // BTYPE = 01, fixed Huffman codes
        var s1: UInt64 = 1, s2: UInt64 = 0
        let modulus: UInt64 = 65521
        @inline(__always) func adler(_ value: UInt64, _ length: UInt64) {
            s2 = (s2 + length * s1 + value * (length * (length + 1) / 2)) % modulus
            s1 = (s1 + value * length) % modulus
        }
        runs.values.withUnsafeBufferPointer { values in
            runs.lengths.withUnsafeBufferPointer { lengths in
                for y in 0..<height {
                    stream.literal(0)  // filter type None
                    adler(0, 1)
                    for k in runs.rowStart[y]..<runs.rowStart[y + 1] {
                        let v = Int(values[k])
                        var remaining = lengths[k]
                        adler(UInt64(v), UInt64(remaining))
                        stream.literal(v)
                        remaining -= 1
                        while remaining >= 3 {
                            let n = min(remaining, 258)
                            stream.copy(length: n)
                            remaining -= n
                        }
                        while remaining > 0 {
                            stream.literal(v)
                            remaining -= 1
                        }
                    }
                }
            }
        }
        stream.endOfBlock()
        var zlib: [UInt8] = [0x78, 0x01]  // deflate, 32K window, fastest
        zlib += stream.finish()
        let checksum = UInt32(s2 << 16 | s1)
        zlib += [UInt8(checksum >> 24), UInt8(checksum >> 16 & 0xFF), UInt8(checksum >> 8 & 0xFF), UInt8(checksum & 0xFF)]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.reserveCapacity(zlib.count + 64)
        var header: [UInt8] = []
        appendBigEndian(&header, UInt32(width))
        appendBigEndian(&header, UInt32(height))
        header += [8, 0, 0, 0, 0]  // 8-bit gray, deflate, adaptive filters, no interlace
        appendChunk(&png, "IHDR", header)
        appendChunk(&png, "IDAT", zlib)
        appendChunk(&png, "IEND", [])
        return png
    }

    static func appendBigEndian(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func appendChunk(_ png: inout [UInt8], _ type: String, _ data: [UInt8]) {
        appendBigEndian(&png, UInt32(data.count))
        let typed = Array(type.utf8) + data
        png += typed
        let crc = typed.withUnsafeBufferPointer { cpng_crc32(0, $0.baseAddress, $0.count) }
        appendBigEndian(&png, crc)
    }
}

/// Deflate's least-significant-bit-first bit stream with the fixed Huffman codes
/// (RFC 1951, 3.2.6).
struct DeflateBitStream {
    private var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    mutating func reserve(_ capacity: Int) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func writeBits(_ value: UInt64, _ width: Int) {
        buffer |= value << UInt64(count)
        count += width
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    /// A Huffman code, most significant bit first (reversed into the stream).
    @inline(__always)
    mutating func writeCode(_ code: Int, _ width: Int) {
        var reversed: UInt64 = 0
        var c = code
        for _ in 0..<width {
            reversed = reversed << 1 | UInt64(c & 1)
            c >>= 1
        }
        writeBits(reversed, width)
    }

    /// The fixed literal/length codes, bit-reversed for the stream, with widths.
    static let fixedCodes: [(code: UInt64, width: Int)] = (0..<288).map { s in
        let (code, width): (Int, Int)
        switch s {
        case 0...143: (code, width) = (0x30 + s, 8)
        case 144...255: (code, width) = (0x190 + s - 144, 9)
        case 256...279: (code, width) = (s - 256, 7)
        default: (code, width) = (0xC0 + s - 280, 8)
        }
        var reversed: UInt64 = 0
        var c = code
        for _ in 0..<width {
            reversed = reversed << 1 | UInt64(c & 1)
            c >>= 1
        }
        return (reversed, width)
    }

    /// A literal/length symbol of the fixed code.
    @inline(__always)
    mutating func symbol(_ s: Int) {
        let (code, width) = Self.fixedCodes[s]
        writeBits(code, width)
    }

    mutating func literal(_ value: Int) { symbol(value) }

    /// A copy of `length` (3...258) bytes at distance 1.
    mutating func copy(length: Int) {
        let (code, extraBits, base) = Self.lengthCode(length)
        symbol(code)
        if extraBits > 0 { writeBits(UInt64(length - base), extraBits) }
        writeCode(0, 5)  // distance code 0 = distance 1
    }

    mutating func endOfBlock() { symbol(256) }

    mutating func finish() -> [UInt8] {
        if count > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer = 0
            count = 0
        }
        return bytes
    }

    /// The length symbol, its extra bits and base length for a copy length.
    static func lengthCode(_ length: Int) -> (Int, Int, Int) {
        if length == 258 { return (285, 0, 258) }
        if length <= 10 { return (254 + length, 0, length) }
        var base = 11, code = 265, extra = 1
        while true {
            let span = 4 << extra  // four codes per extra-bit class, each covering 2^extra lengths
            if length < base + span {
                let step = 1 << extra
                return (code + (length - base) / step, extra, base + (length - base) / step * step)
            }
            base += span
            code += 4
            extra += 1
        }
    }
}
