/// The units of iteration over sorted frames (spec R4): single frames, or clips
/// of up to `clipLength` consecutive frames of one context, cut again wherever
/// consecutive timestamps are more than `maxGapMs` apart.
public struct Units: Sendable, Equatable {
    /// Unit k covers sorted frames `bounds[k]..<bounds[k + 1]`.
    public let bounds: [Int]

    /// Cuts sorted frames into units.
    ///
    /// - Parameter frames: frames in ``Frame/sortsBefore(_:_:)`` order.
    /// - Parameter clipLength: frames per clip; 0 or 1 makes every frame a unit.
    /// - Parameter maxGapMs: a larger timestamp gap also ends a clip.
    public init(frames: [Frame], clipLength: Int, maxGapMs: Int64? = nil) {
        var bounds = [0]
        var start = 0
        for i in frames.indices.dropFirst() {
            let sameContext = frames[i].contextID == frames[i - 1].contextID
            let gap = frames[i].timestampMs - frames[i - 1].timestampMs
            let full = i - start >= max(clipLength, 1)
            let tooFar = maxGapMs.map { gap > $0 } ?? false
            if !sameContext || full || tooFar {
                bounds.append(i)
                start = i
            }
        }
        if !frames.isEmpty { bounds.append(frames.count) } else { bounds = [0] }
        self.bounds = bounds
    }

    /// Number of units.
    public var count: Int { bounds.count - 1 }

    /// Number of frames.
    public var frameCount: Int { bounds.last ?? 0 }

    /// The frame range of unit `k`.
    public subscript(k: Int) -> Range<Int> { bounds[k]..<bounds[k + 1] }
}
