import LabelKitFrames
import Testing

@Suite("Frame iteration (spec R4-R13)")
struct IterationTests {
    /// The spec's clip example: A has 10 frames (t = 0...9), B has 5, C is one image.
    static var clipFrames: [Frame] {
        (0..<10).map { Frame(id: "A\($0)", contextID: "A", timestampMs: Int64($0)) }
            + (0..<5).map { Frame(id: "B\($0)", contextID: "B", timestampMs: Int64($0)) }
            + [Frame(id: "C", contextID: "C")]
    }

    static func ids(_ frames: [Frame], _ plan: IterationPlan, clip: Int, gap: Int64? = nil) -> [String] {
        let sorted = frames.sorted(by: Frame.sortsBefore)
        var it = FrameIterator(units: Units(frames: sorted, clipLength: clip, maxGapMs: gap), plan: plan)
        var out: [String] = []
        while let e = it.next() { out.append(sorted[e.frame].id) }
        return out
    }

    @Test("clips of 4 over A, B, C cut as the spec shows")
    func clipCutting() {
        let units = Units(frames: Self.clipFrames, clipLength: 4)
        #expect(units.bounds == [0, 4, 8, 10, 14, 15, 16])
    }

    @Test("random order of the clip example, and its limit of 7")
    func clipExample() {
        let plan = IterationPlan(order: .random, seed: 42)
        let stream = Self.ids(Self.clipFrames, plan, clip: 4)
        #expect(Array(stream.prefix(12)) == ["A8", "A9", "A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "C", "B0"])
        #expect(stream.count == 16)
        var limited = plan
        limited.limit = 7
        #expect(Self.ids(Self.clipFrames, limited, clip: 4) == ["A8", "A9", "A0", "A1", "A2", "A3", "A4"])
    }

    @Test("clip length 1, longer than a context, and time gaps")
    func clipVariants() {
        #expect(Units(frames: Self.clipFrames, clipLength: 1).count == 16)
        #expect(Units(frames: Self.clipFrames, clipLength: 100).bounds == [0, 10, 15, 16])
        let gapped = [0, 33, 66, 500, 533].map { Frame(id: "f\($0)", contextID: "v", timestampMs: Int64($0)) }
        #expect(Units(frames: gapped, clipLength: 10, maxGapMs: 100).bounds == [0, 3, 5])
    }

    @Test("sequential order is context, timestamp, id by UTF-8 bytes")
    func sequentialOrder() {
        let frames = [
            Frame(id: "b", contextID: "é", timestampMs: 0), Frame(id: "a", contextID: "z", timestampMs: 5),
            Frame(id: "c", contextID: "z", timestampMs: 5), Frame(id: "d", contextID: "z", timestampMs: 1),
        ]
        #expect(Self.ids(frames, IterationPlan(), clip: 1) == ["d", "a", "c", "b"])
    }

    @Test("each unit exactly once in random order, limits in frames, infinite epochs")
    func repetition() {
        let frames = (0..<50).map { Frame(id: "f\($0)", contextID: "c\($0 / 7)", timestampMs: Int64($0)) }
        let once = Self.ids(frames, IterationPlan(order: .random, seed: 9), clip: 3)
        #expect(once.count == 50 && Set(once).count == 50)
        let limited = Self.ids(frames, IterationPlan(order: .random, seed: 9, limit: 11), clip: 3)
        #expect(limited == Array(once.prefix(11)))
        let forever = Self.ids(frames, IterationPlan(order: .random, seed: 9, limit: 130, infinite: true), clip: 3)
        #expect(forever.count == 130)
        #expect(Array(forever.prefix(50)) == once)
        #expect(Set(forever[50..<100]).count == 50)
        #expect(Array(forever[50..<100]) != once)
    }

    @Test("an empty selection ends at once, even when infinite")
    func emptySelection() {
        var it = FrameIterator(units: Units(frames: [], clipLength: 4), plan: IterationPlan(infinite: true))
        #expect(it.next() == nil)
    }

    @Test("worker splits cover every unit once and share the limit")
    func workers() {
        let frames = (0..<40).map { Frame(id: "f\($0)", contextID: "c\($0 / 6)", timestampMs: Int64($0)) }
        var all: [String] = []
        for w in 0..<3 {
            all += Self.ids(frames, IterationPlan(order: .random, seed: 5, worker: w, workers: 3), clip: 4)
        }
        #expect(all.count == 40 && Set(all).count == 40)
        #expect(IterationPlan(limit: 10, workers: 3).workerLimit == 4)
    }

    @Test("resuming from a saved state continues exactly")
    func resume() {
        let frames = (0..<30).map { Frame(id: "f\($0)", contextID: "c\($0 / 4)", timestampMs: Int64($0)) }
        let units = Units(frames: frames, clipLength: 3)
        let plan = IterationPlan(order: .shuffle, seed: 0, limit: 50, infinite: true)
        var whole = FrameIterator(units: units, plan: plan)
        var reference: [Emission] = []
        while let e = whole.next() { reference.append(e) }
        var first = FrameIterator(units: units, plan: plan)
        var resumed: [Emission] = []
        for _ in 0..<17 { resumed.append(first.next()!) }
        var second = FrameIterator(units: units, plan: plan, state: first.state)
        while let e = second.next() { resumed.append(e) }
        #expect(resumed == reference)
        #expect(reference.count == 50)
    }
}
