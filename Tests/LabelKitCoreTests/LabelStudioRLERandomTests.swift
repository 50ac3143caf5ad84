import Testing

@testable import LabelKitCore

/// Random streams through the decoder: every chunk shape, near the end of the
/// stream and away from it.
@Suite("Label Studio RLE random round trips")
struct LabelStudioRLERandomTests {
    @Test("random RGBA words of runs and literals decode to their alpha plane and their words")
    func roundTrip() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
        for trial in 0..<300 {
            let width = 1 + next(40), height = 1 + next(30)
            var words = [UInt8](repeating: 0, count: width * height * 4)
            var i = 0
            while i < words.count {
                // Runs of 1 to 70000 words (every run class), or single noisy words.
                let run = next(4) == 0 ? 1 + next(70_000) : 1 + next(6)
                let value = UInt8(next(256))
                for k in i..<min(words.count, i + run) { words[k] = next(3) == 0 ? UInt8(next(256)) : value }
                i += run
            }
            let stream = try LabelStudioRLE.encode(words: words)
            let mask = try LabelStudioRLE.decodeMask(stream, width: width, height: height)
            let alpha = stride(from: 3, to: words.count, by: 4).map { words[$0] }
            #expect(mask.bytes == alpha, "trial \(trial): \(width)x\(height)")
            #expect(try LabelStudioRLE.decodeRGBA(stream, width: width, height: height) == words, "trial \(trial)")
        }
    }
}
