import LabelKitCore
import Testing

/// Seeded fuzzing of both decoders: random and mutated inputs must either decode to a
/// well-formed result or throw a `CoreError` with a plausible code, never trap.
@Suite("Decoder fuzzing")
struct DecoderFuzzTests {
    /// A valid Label Studio stream with the image size it belongs to.
    struct Stream {
        var rle: [UInt8]
        var width: Int
        var height: Int
    }

    /// Small fixture streams (all kinds), plus encoder output for small random masks
    /// and thi.ng-style streams with multi-word literals.
    static func seedStreams() throws -> [Stream] {
        var streams: [Stream] = []
        for entry in LSIndex.entries() where entry.width * entry.height <= 4096 {
            let c = try LSCase.load(entry)
            streams.append(Stream(rle: c.rle, width: c.width, height: c.height))
        }
        var rng = SplitMix64(seed: 77)
        for _ in 0..<8 {
            let mask = RandomMasks.make(&rng, maxSide: 12)
            streams.append(Stream(rle: try LabelStudioRLE.encode(mask), width: mask.width, height: mask.height))
        }
        // 2x3 mask as thi.ng writes it (no extra padding byte).
        streams.append(Stream(rle: [0, 0, 0, 24, 57, 27, 252, 96, 19, 255, 219, 0], width: 3, height: 2))
        return streams
    }

    struct Mutator {
        var rng: SplitMix64

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &rng) }
        mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in byte() } }

        /// One or more random edits: bit flips, truncation, insertion, deletion, overwrite, duplication.
        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var s = input
            for _ in 0..<int(1...3) {
                switch int(0...6) {
                case 0, 1:  // bit flips
                    guard !s.isEmpty else { continue }
                    for _ in 0..<int(1...3) {
                        s[int(0...(s.count - 1))] ^= UInt8(1) << UInt8(int(0...7))
                    }
                case 2:  // truncation
                    s = Array(s.prefix(int(0...s.count)))
                case 3:  // insertion of 1...4 random bytes
                    let at = int(0...s.count)
                    s.insert(contentsOf: bytes(int(1...4)), at: at)
                case 4:  // deletion of a range
                    guard !s.isEmpty else { continue }
                    let a = int(0...(s.count - 1)), b = int(a...min(s.count, a + 8))
                    s.removeSubrange(a..<b)
                case 5:  // overwrite
                    guard !s.isEmpty else { continue }
                    s[int(0...(s.count - 1))] = byte()
                default:  // duplicate a slice
                    guard !s.isEmpty else { continue }
                    let a = int(0...(s.count - 1)), b = int(a...min(s.count, a + 16))
                    s.insert(contentsOf: s[a..<b], at: int(0...s.count))
                }
            }
            return s
        }
    }

    static let allowedLSCodes: Set<CoreError.Code> = [
        .truncatedStream, .countMismatch, .valueOutOfRange, .invalidDimensions, .invalidHeader,
    ]

    /// Runs the three Label Studio decoders on one input and checks the outcome.
    struct LSHarness {
        var calls = 0
        var successes = 0
        var codes: Set<CoreError.Code> = []
        var problems: [String] = []

        mutating func mask(_ rle: [UInt8], _ width: Int, _ height: Int) {
            calls += 1
            do {
                let m = try LabelStudioRLE.decodeMask(rle, width: width, height: height)
                successes += 1
                if m.width != width || m.height != height || m.bytes.count != width * height {
                    problems.append("decodeMask gave \(m.width)x\(m.height) for \(width)x\(height): \(rle)")
                }
            } catch {
                codes.insert(error.code)
            }
        }

        mutating func rgba(_ rle: [UInt8], _ width: Int, _ height: Int) {
            calls += 1
            do {
                let p = try LabelStudioRLE.decodeRGBA(rle, width: width, height: height)
                successes += 1
                if p.count != 4 * width * height { problems.append("decodeRGBA gave \(p.count) bytes: \(rle)") }
            } catch {
                codes.insert(error.code)
            }
        }

        mutating func words(_ rle: [UInt8]) {
            calls += 1
            do {
                let w = try LabelStudioRLE.decodeWords(rle, limit: 1 << 20)
                successes += 1
                if let header = try? LabelStudioRLE.header(of: rle), header.wordCount != w.count {
                    problems.append("decodeWords gave \(w.count) words, header says \(header.wordCount): \(rle)")
                }
                if let header = try? LabelStudioRLE.header(of: rle), header.wordSize < 32,
                    let big = w.first(where: { $0 >> UInt32(header.wordSize) != 0 })
                {
                    problems.append("decodeWords gave \(big), wider than \(header.wordSize) bits: \(rle)")
                }
            } catch {
                codes.insert(error.code)
            }
        }
    }

    @Test("Label Studio decoders survive 100,000+ random and mutated streams")
    func labelStudioFuzz() throws {
        let streams = try Self.seedStreams()
        var m = Mutator(rng: SplitMix64(seed: 0x15_2024))
        var h = LSHarness()
        var iteration = 0
        while h.calls < 110_000 {
            iteration += 1
            switch iteration % 4 {
            case 0:  // pure random bytes with a random small size
                let rle = m.bytes(m.int(0...40))
                h.mask(rle, m.int(1...16), m.int(1...16))
                h.words(rle)
            case 1:  // a valid header for the size, then a random body
                let w = m.int(1...12), ht = m.int(1...12)
                var bits = Reference.Bits()
                if m.int(0...3) == 0 {
                    bits.header(
                        count: 4 * w * ht, wordSize: m.int(1...32),
                        sizes: (0..<4).map { _ in m.int(1...16) })
                } else {
                    bits.header(count: 4 * w * ht)
                }
                let rle = bits.bytes + m.bytes(m.int(0...48))
                h.mask(rle, w, ht)
                h.words(rle)
            default:  // a mutated valid stream, decoded with its own size (sometimes a wrong one)
                let s = streams[m.int(0...(streams.count - 1))]
                let rle = m.mutate(s.rle)
                if m.int(0...9) == 0 {
                    h.mask(rle, m.int(0...3) == 0 ? m.int(-2...0) : s.width + m.int(-1...1), s.height)
                } else {
                    h.mask(rle, s.width, s.height)
                }
                if iteration % 8 == 2 { h.rgba(rle, s.width, s.height) }
                h.words(rle)
            }
        }
        #expect(h.calls >= 100_000)
        #expect(h.problems.isEmpty, "\(h.problems.prefix(5))")
        #expect(h.codes.isSubset(of: Self.allowedLSCodes), "\(h.codes)")
        // The inputs are varied enough to reach both outcomes and the main error codes.
        #expect(h.successes > 1000)
        #expect(h.codes.isSuperset(of: [.truncatedStream, .countMismatch, .invalidDimensions]), "\(h.codes)")
    }

    /// Runs the COCO string parser on one input and checks the outcome.
    struct COCOHarness {
        var calls = 0
        var successes = 0
        var codes: Set<CoreError.Code> = []
        var problems: [String] = []

        mutating func parse(_ s: String, _ height: Int, _ width: Int) {
            calls += 1
            do {
                let rle = try COCORLE(height: height, width: width, compressedCounts: s)
                successes += 1
                let sum = rle.counts.reduce(0) { $0 + Int($1) }
                if sum != height * width { problems.append("counts add up to \(sum) for \(height)x\(width): \(s)") }
                if rle.counts != Reference.decompress(s) { problems.append("counts differ from the reference: \(s)") }
                if rle.compressedCounts != Reference.compress(rle.counts) {
                    problems.append("compressedCounts differs from the reference for \(s)")
                }
                if height * width <= 4096 {
                    let m = rle.decode()
                    if m.bytes.count != height * width { problems.append("decode size for \(s)") }
                    if m.bytes.count(where: { $0 != 0 }) != rle.area { problems.append("area for \(s)") }
                }
            } catch {
                codes.insert(error.code)
            }
        }
    }

    @Test("COCO counts parser survives 100,000+ random and mutated strings")
    func cocoFuzz() throws {
        var seeds: [(String, Int, Int)] = []
        for entry in COCOIndex.entries() {
            let c = try Fixtures.load(COCOMaskCase.self, "coco_rle/\(entry.json)")
            seeds.append((c.rle.counts, c.height, c.width))
        }
        for p in COCOPairs.all() {
            seeds.append((p.a.counts, p.a.height, p.a.width))
            seeds.append((p.union.counts, p.union.height, p.union.width))
        }
        var m = Mutator(rng: SplitMix64(seed: 0xC0C0))
        var h = COCOHarness()
        let alphabet = Array(48...111).map(UInt8.init)
        var iteration = 0
        while h.calls < 110_000 {
            iteration += 1
            switch iteration % 5 {
            case 0:  // random characters in '0'...'o'
                let s = (0..<m.int(0...24)).map { _ in alphabet[m.int(0...63)] }
                h.parse(String(decoding: s, as: UTF8.self), m.int(0...12), m.int(0...12))
            case 1:  // random bytes, many outside '0'...'o' (and invalid UTF-8)
                h.parse(String(decoding: m.bytes(m.int(0...24)), as: UTF8.self), m.int(0...12), m.int(0...12))
            case 2:  // valid counts for a random size, then mutated (sometimes not at all)
                let height = m.int(1...20), width = m.int(1...20)
                var counts: [UInt32] = []
                var left = height * width
                while left > 0 {
                    let n = m.int(0...min(left, 40))
                    counts.append(UInt32(n))
                    left -= n
                }
                let s = Array(Reference.compress(counts).utf8)
                let mutated = m.int(0...3) == 0 ? s : m.mutate(s)
                h.parse(String(decoding: mutated, as: UTF8.self), height, width)
            default:  // mutated fixture strings, with the fixture size
                let (s, height, width) = seeds[m.int(0...(seeds.count - 1))]
                var bytes = Array(s.utf8)
                bytes = m.mutate(bytes)
                if m.int(0...4) == 0, !bytes.isEmpty {  // a character just outside the alphabet
                    bytes[m.int(0...(bytes.count - 1))] = [47, 112, 0, 127, 255].randomElement(using: &m.rng)!
                }
                h.parse(String(decoding: bytes, as: UTF8.self), height, width)
            }
        }
        #expect(h.calls >= 100_000)
        #expect(h.problems.isEmpty, "\(h.problems.prefix(5))")
        #expect(h.codes.isSubset(of: [.invalidCounts, .invalidDimensions]), "\(h.codes)")
        #expect(h.successes > 1000)
        #expect(h.codes.contains(.invalidCounts))
    }

    @Test("COCO counts lists with random values either validate or throw invalidCounts")
    func cocoCountsListFuzz() {
        var rng = SplitMix64(seed: 99)
        var calls = 0, ok = 0
        for _ in 0..<20_000 {
            let height = Int.random(in: 0...10, using: &rng), width = Int.random(in: 0...10, using: &rng)
            let counts = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                UInt32.random(in: 0...UInt32(max(1, height * width / 2)), using: &rng)
            }
            calls += 1
            do {
                let rle = try COCORLE(height: height, width: width, counts: counts)
                ok += 1
                #expect(rle.counts.reduce(0) { $0 + Int($1) } == height * width)
            } catch {
                #expect(error.code == .invalidCounts)
            }
        }
        #expect(calls == 20_000 && ok > 100)
    }
}

extension Reference {
    /// pycocotools `rleFrString`, for strings already known to parse.
    static func decompress(_ s: String) -> [UInt32] {
        let bytes = Array(s.utf8)
        var counts: [Int64] = []
        var p = 0
        while p < bytes.count {
            var x: Int64 = 0, k: Int64 = 0, more = true, c: Int64 = 0
            while more {
                c = Int64(bytes[p]) - 48
                x |= (c & 0x1f) << (5 * k)
                more = c & 0x20 != 0
                p += 1
                k += 1
            }
            if c & 0x10 != 0 { x |= -1 << (5 * k) }
            if counts.count > 2 { x += counts[counts.count - 2] }
            counts.append(x)
        }
        return counts.map { UInt32(truncatingIfNeeded: $0) }
    }
}
