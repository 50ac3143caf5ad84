/// The units of iteration over sorted frames (spec R4): single frames, or clips
/// of up to `clipLength` consecutive frames of one context, cut again wherever
/// consecutive timestamps are more than `maxGapMs` apart.
public struct Units: Sendable, Equatable {
    /// Unit k covers sorted frames `bounds[k]..<bounds[k + 1]`.
    public let bounds: [Int]

    /// Units over known bounds (`[0, ..., frameCount]`, ascending).
    init(bounds: [Int]) {
        self.bounds = bounds.isEmpty ? [0] : bounds
    }

    /// Cuts sorted frames into units.
    ///
    /// - Parameter frames: frames in ``Frame/sortsBefore(_:_:)`` order.
    /// - Parameter clipLength: frames per clip; 0 or 1 makes every frame a unit.
    /// - Parameter maxGapMs: a larger timestamp gap also ends a clip.
    public init(frames: [Frame], clipLength: Int, maxGapMs: Int64? = nil) {
        var builder = Builder(clipLength: clipLength, maxGapMs: maxGapMs)
        for frame in frames { builder.append(contextID: frame.contextID, timestampMs: frame.timestampMs) }
        self = builder.units
    }

    /// Number of units.
    public var count: Int { bounds.count - 1 }

    /// Number of frames.
    public var frameCount: Int { bounds.last ?? 0 }

    /// The frame range of unit `k`.
    public subscript(k: Int) -> Range<Int> { bounds[k]..<bounds[k + 1] }

    /// Cuts frames into units one frame at a time, in sort order, so a
    /// selection can be read from a database without keeping its frames.
    public struct Builder: Sendable {
        let clipLength: Int
        let maxGapMs: Int64?
        private var bounds = [0]
        private var count = 0
        private var start = 0
        private var lastContext = ""
        private var lastTimestamp: Int64 = 0

        /// A builder for clips of `clipLength` frames (0 or 1: single frames).
        public init(clipLength: Int, maxGapMs: Int64? = nil) {
            self.clipLength = max(clipLength, 1)
            self.maxGapMs = maxGapMs
        }

        /// Adds the next frame in sort order.
        public mutating func append(contextID: String, timestampMs: Int64) {
            if count > 0 {
                let full = count - start >= clipLength
                let tooFar = maxGapMs.map { timestampMs - lastTimestamp > $0 } ?? false
                if full || tooFar || contextID != lastContext {
                    bounds.append(count)
                    start = count
                }
            }
            lastContext = contextID
            lastTimestamp = timestampMs
            count += 1
        }

        /// The units of the frames added so far.
        public var units: Units {
            Units(bounds: count == 0 ? [0] : bounds + [count])
        }
    }
}
