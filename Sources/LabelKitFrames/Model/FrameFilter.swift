/// Which frames a task covers (spec R3): all, the empty ones (no ROI), or a
/// custom predicate. The selection is snapshotted when the task is created.
public enum FrameFilter: Hashable, Sendable, Codable {
    /// Every frame.
    case all
    /// Frames without ROIs.
    case empty
    /// Frames with (or, when `present` is false, without) an ROI of this label.
    case label(String, present: Bool)
    /// Frames whose metadata field equals the value.
    case metadata(key: String, equals: String)
    /// Frames of one context (video/sequence).
    case context(String)
    /// Frames matching every filter.
    indirect case allOf([FrameFilter])

    /// True when `frame` is selected.
    public func matches(_ frame: Frame) -> Bool {
        switch self {
        case .all: return true
        case .empty: return frame.roiCount == 0
        case .label(let label, let present): return frame.labels.contains(label) == present
        case .metadata(let key, let value): return frame.metadata[key] == value
        case .context(let context): return frame.contextID == context
        case .allOf(let filters): return filters.allSatisfy { $0.matches(frame) }
        }
    }
}
