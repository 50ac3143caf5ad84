import FuzzSupport
import LabelKitCore

/// Fuzzes the Label Studio brush RLE decoders.
///
/// Input: one flags byte, the image size, then the `rle` bytes.
///
///     flags & 1 == 0   width = 1 + byte, height = 1 + byte (at most 256 x 256); every
///                      decoder is checked against ``ReferenceRLE`` and the encoder
///                      round trip
///     flags & 1 == 1   width, height = two signed 32-bit integers (any size, negative
///                      ones too): the decoders must refuse or decode without allocating
///                      more than the stream can fill
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabelStudioRLE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let flags = input.uint8()
    if flags & 1 == 0 {
        let width = 1 + Int(input.uint8()), height = 1 + Int(input.uint8())
        checkSmall(input.rest, width: width, height: height)
    } else {
        let width = Int(Int32(bitPattern: input.uint32())), height = Int(Int32(bitPattern: input.uint32()))
        checkAnySize(input.rest, width: width, height: height)
    }
    return 0
}

/// Every decoder against the reference, then the encoder round trip.
func checkSmall(_ rle: [UInt8], width: Int, height: Int) {
    let expected = 4 * width * height
    let reference = ReferenceRLE.decode(rle, maxValue: 255, limit: expected)
    let brush = reference.flatMap { $0.count == expected ? $0 : nil }

    fuzzCheck((try? LabelStudioRLE.header(of: rle)) != nil || rle.count < 7, "header(of:) refused \(rle.count) bytes")

    let mask: Mask?
    do {
        let m = try LabelStudioRLE.decodeMask(rle, width: width, height: height)
        fuzzCheck(m.width == width && m.height == height && m.bytes.count == width * height, "decodeMask size")
        mask = m
    } catch {
        mask = nil
    }
    fuzzCheck((mask == nil) == (brush == nil), "decodeMask \(mask == nil ? "failed" : "succeeded"), reference did not")
    if let mask, let brush {
        for i in 0..<mask.bytes.count where UInt32(mask.bytes[i]) != brush[4 * i + 3] {
            fuzzFail("decodeMask pixel \(i) is \(mask.bytes[i]), reference alpha \(brush[4 * i + 3])")
        }
    }

    let rgba = try? LabelStudioRLE.decodeRGBA(rle, width: width, height: height)
    fuzzCheck((rgba == nil) == (brush == nil), "decodeRGBA disagrees with the reference on success")
    if let rgba, let brush { fuzzCheck(rgba.map(UInt32.init) == brush, "decodeRGBA differs from the reference") }

    let runs = try? LabelStudioRLE.decodeRuns(rle, width: width, height: height)
    fuzzCheck((runs == nil) == (brush == nil), "decodeRuns disagrees with the reference on success")
    if let runs, let mask { checkRuns(runs, of: mask) }

    let wordLimit = 1 << 18
    let words = try? LabelStudioRLE.decodeWords(rle, limit: wordLimit)
    let referenceWords = ReferenceRLE.decode(rle, maxValue: UInt32.max, limit: wordLimit)
    fuzzCheck(
        (words == nil) == (referenceWords == nil),
        "decodeWords \(words == nil ? "failed" : "succeeded"), the reference did not")
    if let words, let referenceWords {
        fuzzCheck(words == referenceWords, "decodeWords differs from the reference")
        if words.allSatisfy({ $0 <= 255 }), !words.isEmpty {
            // Arbitrary 8-bit words: encode(words:) and back.
            let bytes = words.map { UInt8($0) }
            guard let encoded = try? LabelStudioRLE.encode(words: bytes) else { fuzzFail("encode(words:) failed") }
            fuzzCheck((try? LabelStudioRLE.decodeWords(encoded, limit: wordLimit)) == words, "encode(words:) round trip")
        }
    }

    guard let mask else { return }
    checkRoundTrip(mask, rle: rle, reference: brush!)
}

/// The encoder and the conversions on a decoded mask.
func checkRoundTrip(_ mask: Mask, rle: [UInt8], reference: [UInt32]) {
    guard let encoded = try? LabelStudioRLE.encode(mask) else { fuzzFail("encode failed on a decoded mask") }
    guard let again = try? LabelStudioRLE.decodeMask(encoded, width: mask.width, height: mask.height) else {
        fuzzFail("the encoder's stream does not decode")
    }
    fuzzCheck(again == mask, "decodeMask(encode(mask)) != mask")
    // Encoder output is canonical: decoding and encoding again gives the same bytes.
    fuzzCheck((try? LabelStudioRLE.encode(again)) == encoded, "encode is not a fixed point on its own output")
    // Its reference decoding has R = G = B = A = the mask byte.
    guard let canonical = ReferenceRLE.decode(encoded, maxValue: 255, limit: 4 * mask.pixelCount) else {
        fuzzFail("the reference refuses the encoder's stream")
    }
    for i in 0..<mask.pixelCount {
        let v = UInt32(mask.bytes[i])
        if canonical[4 * i] != v || canonical[4 * i + 1] != v || canonical[4 * i + 2] != v || canonical[4 * i + 3] != v {
            fuzzFail("encoder pixel \(i) is not R = G = B = A = \(v)")
        }
    }
    // A stream whose pixels all have R = G = B = A (what mask2rle writes) holds the same
    // words as the encoder's stream for its mask.
    var isGray = true
    for i in 0..<mask.pixelCount {
        let alpha: UInt32 = reference[4 * i + 3]
        if reference[4 * i] != alpha || reference[4 * i + 1] != alpha || reference[4 * i + 2] != alpha {
            isGray = false
            break
        }
    }
    fuzzCheck(!isGray || reference == canonical, "a gray stream and the encoder's stream hold different words")
    // COCO conversions agree on the foreground.
    guard let coco = try? RLEConversion.coco(fromLabelStudio: rle, width: mask.width, height: mask.height) else {
        fuzzFail("RLEConversion.coco failed on a stream that decodes")
    }
    let inside = mask.bytes.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    fuzzCheck(coco.area == inside, "COCO area \(coco.area) != \(inside) non-zero pixels")
    let binary = mask.bytes.map { $0 != 0 ? UInt8(255) : 0 }
    fuzzCheck(coco.decode(foreground: 255).bytes == binary, "COCO decode != binarized mask")
    guard let back = try? RLEConversion.labelStudio(fromCOCO: coco),
        let backMask = try? LabelStudioRLE.decodeMask(back, width: mask.width, height: mask.height)
    else { fuzzFail("RLEConversion.labelStudio failed") }
    fuzzCheck(backMask.bytes == binary, "LS -> COCO -> LS != binarized mask")
}

/// Runs are well formed, canonical (equal neighbours merged) and expand to the mask.
func checkRuns(_ runs: MaskRuns, of mask: Mask) {
    fuzzCheck(runs.rowStart.count == mask.height + 1, "decodeRuns has \(runs.rowStart.count - 1) rows")
    fuzzCheck(runs.values.count == runs.lengths.count, "decodeRuns values/lengths")
    fuzzCheck(runs.rowStart.first == 0 && runs.rowStart.last == runs.values.count, "decodeRuns rowStart ends")
    for y in 0..<mask.height {
        let a = runs.rowStart[y], b = runs.rowStart[y + 1]
        fuzzCheck(a < b, "decodeRuns row \(y) is empty")
        var total = 0
        for k in a..<b {
            fuzzCheck(runs.lengths[k] > 0, "decodeRuns run of length \(runs.lengths[k])")
            fuzzCheck(k == a || runs.values[k] != runs.values[k - 1], "decodeRuns left equal neighbours unmerged")
            total += runs.lengths[k]
        }
        fuzzCheck(total == mask.width, "decodeRuns row \(y) covers \(total) of \(mask.width) pixels")
    }
    fuzzCheck(Mask(width: mask.width, height: mask.height, runs: runs) == mask, "decodeRuns != decodeMask")
    let scanned = mask.rowRuns()
    fuzzCheck(
        scanned.values == runs.values && scanned.lengths == runs.lengths && scanned.rowStart == runs.rowStart,
        "decodeRuns != mask.rowRuns()")
}

/// Any size: no trap, no allocation beyond what the stream can fill (with inputs of at
/// most 16 KiB, a mask of about 100 MB), sizes as asked. decodeRuns keeps one run per row
/// at least, so it is only asked for up to 2^20 rows.
func checkAnySize(_ rle: [UInt8], width: Int, height: Int) {
    if let m = try? LabelStudioRLE.decodeMask(rle, width: width, height: height) {
        fuzzCheck(m.width == width && m.height == height && m.bytes.count == width * height, "decodeMask size")
    }
    if height <= 1 << 20, let runs = try? LabelStudioRLE.decodeRuns(rle, width: width, height: height) {
        fuzzCheck(runs.rowStart.count == height + 1 && runs.rowStart.last == runs.values.count, "decodeRuns rows")
        fuzzCheck(runs.lengths.reduce(0, +) == width * height, "decodeRuns covers the wrong pixel count")
    }
    if width * height <= 1 << 22, let rgba = try? LabelStudioRLE.decodeRGBA(rle, width: width, height: height) {
        fuzzCheck(rgba.count == 4 * width * height, "decodeRGBA size")
    }
}

/// A plain bit-by-bit `rle-pack` decoder written from the format description, with no
/// shortcuts: the oracle for every LabelKit decoder.
enum ReferenceRLE {
    /// The words of the stream, or nil for any malformed stream: fewer than 53 header
    /// bits, a header count above `limit`, a chunk cut short, a literal chunk past the
    /// count, or a word above `maxValue`. Repeat chunks past the count are clamped.
    static func decode(_ rle: [UInt8], maxValue: UInt32, limit: Int) -> [UInt32]? {
        var position = 0
        func read(_ n: Int) -> UInt32? {
            guard position + n <= rle.count * 8 else { return nil }
            var v: UInt32 = 0
            for _ in 0..<n {
                let bit = (rle[position >> 3] >> (7 - UInt8(position & 7))) & 1
                v = v << 1 | UInt32(bit)
                position += 1
            }
            return v
        }
        guard let count = read(32), let ws = read(5) else { return nil }
        var sizes: [Int] = []
        for _ in 0..<4 {
            guard let s = read(4) else { return nil }
            sizes.append(Int(s) + 1)
        }
        let total = Int(count), wordSize = Int(ws) + 1
        guard total <= limit else { return nil }
        var words: [UInt32] = []
        while words.count < total {
            guard let tag = read(3), let n1 = read(sizes[Int(tag & 3)]) else { return nil }
            let n = Int(n1) + 1
            if tag & 4 != 0 {
                guard let v = read(wordSize), v <= maxValue else { return nil }
                words += repeatElement(v, count: min(n, total - words.count))
            } else {
                guard n <= total - words.count else { return nil }
                for _ in 0..<n {
                    guard let v = read(wordSize), v <= maxValue else { return nil }
                    words.append(v)
                }
            }
        }
        return words
    }
}
