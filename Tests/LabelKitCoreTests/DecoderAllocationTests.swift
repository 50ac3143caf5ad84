#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabelKitCore
import Testing

/// Inputs found by `Fuzz/FuzzLabelStudioRLE`: a brush stream of a few bytes whose header
/// announces a huge image must be refused before the decoder allocates that image (the
/// decoders used to allocate and zero the mask, up to 1 GiB, before reading the header).
@Suite("Decoder allocation bounds")
struct DecoderAllocationTests {
    /// A header announcing `4 * width * height` words in Label Studio's layout, then one
    /// zero byte: 61 bits, far too few to produce that many words.
    static func hugeHeader(width: Int, height: Int) -> [UInt8] {
        var bits = Reference.Bits()
        bits.header(count: 4 * width * height)
        bits.write(0, 8)
        return bits.bytes
    }

    static let hugeSizes = [(32767, 32767), (1, 268_435_455), (65535, 16383)]

    /// Caps the address space at its current size plus `extra` bytes, so an allocation
    /// of the announced image fails (and traps) instead of succeeding quietly.
    static func limitAddressSpace(extra: Int) {
        var statm = [CChar](repeating: 0, count: 128)
        guard let file = fopen("/proc/self/statm", "r") else { return }
        defer { fclose(file) }
        guard fgets(&statm, Int32(statm.count), file) != nil else { return }
        let pages = Int(String(cString: statm).split(separator: " ").first ?? "") ?? 0
        let current = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        var limit = rlimit(rlim_cur: rlim_t(current + extra), rlim_max: rlim_t(current + extra))
        _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }

    /// Decodes `rle` with every brush decoder; exits 1 unless each throws `truncatedStream`.
    static func expectRefused(_ rle: [UInt8], width: Int, height: Int) {
        func refused(_ body: () throws(CoreError) -> Void) -> Bool {
            do {
                try body()
                return false
            } catch {
                return error.code == .truncatedStream
            }
        }
        let all =
            refused { () throws(CoreError) in _ = try LabelStudioRLE.decodeMask(rle, width: width, height: height) }
            && refused { () throws(CoreError) in _ = try LabelStudioRLE.decodeRGBA(rle, width: width, height: height) }
            && refused { () throws(CoreError) in _ = try LabelStudioRLE.decodeRuns(rle, width: width, height: height) }
            && refused { () throws(CoreError) in
                _ = try RLEConversion.coco(fromLabelStudio: rle, width: width, height: height)
            }
        if !all { exit(1) }
    }

    @Test("an 8-byte stream announcing a huge brush is refused without allocating it", arguments: 0..<3)
    func hugeBrushHeader(_ i: Int) async {
        await #expect(processExitsWith: .success, "size \(Self.hugeSizes[i])") { [i] in
            let (width, height) = DecoderAllocationTests.hugeSizes[i]
            let rle = DecoderAllocationTests.hugeHeader(width: width, height: height)
            DecoderAllocationTests.limitAddressSpace(extra: 256 << 20)
            DecoderAllocationTests.expectRefused(rle, width: width, height: height)
        }
    }

    @Test("the refusal names the bits available and the words announced")
    func hugeBrushMessage() {
        let rle = Self.hugeHeader(width: 32767, height: 32767)
        do {
            _ = try LabelStudioRLE.decodeMask(rle, width: 32767, height: 32767)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .truncatedStream)
            #expect(error.message.contains("cannot hold \(4 * 32767 * 32767) words"), "\(error.message)")
        }
    }

    @Test("a stream that can just hold its words still decodes")
    func longestRunsStillDecode() throws {
        // 2 x 65536 pixels of 255 = 2^19 words: 8 repeat chunks of 65536 words (27 bits each).
        var bits = Reference.Bits()
        bits.header(count: 4 * 2 * 65536)
        for _ in 0..<8 {
            bits.write(0b111, 3)
            bits.write(65535, 16)
            bits.write(255, 8)
        }
        let mask = try LabelStudioRLE.decodeMask(bits.bytes, width: 2, height: 65536)
        #expect(mask.area == 2 * 65536)
        let runs = try LabelStudioRLE.decodeRuns(bits.bytes, width: 2, height: 65536)
        #expect(runs.count == 65536)
    }
}
