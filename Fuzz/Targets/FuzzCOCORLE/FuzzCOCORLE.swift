import FuzzSupport
import LabelKitCore

/// Fuzzes COCO RLE: the compressed counts string and the polygon / box rasterizer.
///
/// Input: one flags byte, then by `flags & 3`:
///
///     0   height, width = 2 x uint16, then the counts string (any size: only masks of
///         at most 2^20 pixels are decoded)
///     1   height, width = 2 x (byte % 33), then the counts string (small: always decoded)
///     2   height, width = 2 x byte, then polygon coordinates, int32 / 16 each (about ±1.3e8)
///     3   height, width = 2 x byte, then a box [x, y, w, h], int32 / 16 each
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCOCORLE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    let flags = input.uint8()
    switch flags & 3 {
    case 0:
        let height = Int(input.uint16()), width = Int(input.uint16())
        checkString(input.restString, height: height, width: width)
    case 1:
        let height = Int(input.uint8() % 33), width = Int(input.uint8() % 33)
        checkString(input.restString, height: height, width: width)
    default:
        let height = Int(input.uint8()), width = Int(input.uint8())
        var coordinates: [Double] = []
        while input.bytes.count >= 4 { coordinates.append(Double(Int32(bitPattern: input.uint32())) / 16) }
        checkShape(height, width) { () throws(CoreError) -> COCORLE in
            flags & 3 == 2
                ? try COCORLE(polygon: coordinates, height: height, width: width)
                : try COCORLE(box: coordinates, height: height, width: width)
        }
    }
    return 0
}

/// The largest mask decoded.
let decodeLimit = 1 << 20

func checkString(_ text: String, height: Int, width: Int) {
    let rle: COCORLE
    do {
        rle = try COCORLE(height: height, width: width, compressedCounts: text)
    } catch {
        fuzzCheck(error.code == .invalidCounts, "COCO string refused with \(error.code), not invalidCounts")
        return
    }
    check(rle, height: height, width: width)
    // Characters are 5-bit groups in '0'...'o': a parsed string is ASCII.
    fuzzCheck(text.utf8.allSatisfy { (48...111).contains($0) }, "a string with characters outside '0'...'o' parsed")
}

func checkShape(_ height: Int, _ width: Int, _ make: () throws(CoreError) -> COCORLE) {
    let rle: COCORLE
    do {
        rle = try make()
    } catch {
        fuzzCheck(error.code == .invalidGeometry, "a shape was refused with \(error.code)")
        return
    }
    check(rle, height: height, width: width)
    fuzzCheck(rle.counts.dropFirst().allSatisfy { $0 > 0 }, "the polygon rasterizer wrote a zero run inside")
}

/// The invariants of any valid RLE.
func check(_ rle: COCORLE, height: Int, width: Int) {
    let total = height * width
    fuzzCheck(rle.height == height && rle.width == width, "size changed")
    fuzzCheck(rle.counts.reduce(0) { $0 + Int($1) } == total, "counts do not add up to \(total)")
    // The compressed string reads back to the same counts.
    let text = rle.compressedCounts
    guard let again = try? COCORLE(height: height, width: width, compressedCounts: text) else {
        fuzzFail("compressedCounts \"\(text)\" does not parse")
    }
    fuzzCheck(again.counts == rle.counts, "compressedCounts round trip changed the counts")
    fuzzCheck(again.compressedCounts == text, "compressedCounts is not a fixed point")

    guard total > 0, total <= decodeLimit else { return }
    let mask = rle.decode(foreground: 255)
    fuzzCheck(mask.width == width && mask.height == height && mask.bytes.count == total, "decode size")
    fuzzCheck(mask.bytes.allSatisfy { $0 == 0 || $0 == 255 }, "decode wrote a byte other than 0 and 255")
    let reference = referenceDecode(rle)
    fuzzCheck(mask.bytes == reference, "decode differs from the reference")
    let inside = reference.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
    fuzzCheck(rle.area == inside, "area \(rle.area) != \(inside)")
    fuzzCheck(rle.decode(foreground: 1).bytes == reference.map { $0 != 0 ? 1 : 0 }, "decode(foreground: 1)")

    // Encoding the mask gives the canonical counts (no zero run but the first).
    let encoded = COCORLE(encoding: mask)
    fuzzCheck(encoded.counts == canonical(rle.counts), "encode(decode(rle)) != canonical counts")
    fuzzCheck(encoded.boundingBox == box(of: mask), "boundingBox \(encoded.boundingBox) != \(box(of: mask))")
    // The column-major entry points agree: the decode's bytes are the counts' runs in
    // order, and encoding them back gives the canonical counts.
    let columns = rle.decodeColumnMajor(foreground: 1)
    fuzzCheck(columns == referenceColumnMajor(rle), "decodeColumnMajor differs from the runs in order")
    let columnEncoded = columns.withUnsafeBufferPointer {
        try? COCORLE(encodingColumnMajor: $0, height: height, width: width)
    }
    fuzzCheck(columnEncoded?.counts == canonical(rle.counts), "encodingColumnMajor != canonical counts")

    // Set algebra on equal masks, whatever their counts look like.
    guard let union = try? rle.union(encoded), let intersection = try? rle.intersection(encoded) else {
        fuzzFail("union / intersection of two RLEs of one size threw")
    }
    fuzzCheck(union.decode(foreground: 255) == mask, "rle ∪ rle != rle")
    fuzzCheck(intersection.decode(foreground: 255) == mask, "rle ∩ rle != rle")
    // IoU of canonical counts with themselves is 1 (0 when empty). Counts with zero runs
    // inside may score less: cocoapi's rleIou walk stops where both lists reach a zero run
    // at once, and LabelKit reproduces it value for value; any score stays in [0, 1].
    let iou = COCORLE.iou([encoded, rle], [encoded, rle])
    fuzzCheck(iou.count == 2 && iou.allSatisfy { $0.count == 2 }, "iou shape")
    fuzzCheck(iou[0][0] == (inside > 0 ? 1 : 0), "iou(canonical, canonical) = \(iou[0][0])")
    fuzzCheck(iou.joined().allSatisfy { $0 >= 0 && $0 <= 1 }, "iou outside [0, 1]: \(iou)")
}

/// Column-major runs, decoded pixel by pixel.
func referenceDecode(_ rle: COCORLE) -> [UInt8] {
    let column = referenceColumnMajor(rle).map { $0 * 255 }
    var out = [UInt8](repeating: 0, count: column.count)
    for x in 0..<rle.width {
        for y in 0..<rle.height { out[y * rle.width + x] = column[x * rle.height + y] }
    }
    return out
}

/// The counts' runs in order, one byte per pixel: 0, then 1, alternating.
func referenceColumnMajor(_ rle: COCORLE) -> [UInt8] {
    var column = [UInt8](repeating: 0, count: rle.height * rle.width)
    var p = 0
    for (i, c) in rle.counts.enumerated() {
        for _ in 0..<Int(c) {
            column[p] = UInt8(i & 1)
            p += 1
        }
    }
    return column
}

/// The counts pycocotools' encode would write for the same pixels.
func canonical(_ counts: [UInt32]) -> [UInt32] {
    var out: [UInt32] = [0]
    var value = 0  // value of out.last
    for (i, c) in counts.enumerated() where c > 0 {
        if i & 1 == value {
            out[out.count - 1] += c
        } else {
            out.append(c)
            value = i & 1
        }
    }
    return out
}

/// `[x, y, w, h]` of the non-zero pixels, `[0, 0, 0, 0]` when there are none.
func box(of mask: Mask) -> [Double] {
    var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
    for y in 0..<mask.height {
        for x in 0..<mask.width where mask.bytes[y * mask.width + x] != 0 {
            x0 = min(x0, x)
            y0 = min(y0, y)
            x1 = max(x1, x)
            y1 = max(y1, y)
        }
    }
    guard x1 >= 0 else { return [0, 0, 0, 0] }
    return [Double(x0), Double(y0), Double(x1 - x0 + 1), Double(y1 - y0 + 1)]
}
