/// Which frames a task covers (spec R3): all, the empty ones (no ROI), or a
/// custom predicate over labels, metadata, source and context. The selection is
/// snapshotted when the task is created.
///
///     let filter = FrameFilter.allOf([.empty, .metadata("weather", .equal, "rain"), .context("drive-7")])
public indirect enum FrameFilter: Hashable, Sendable, Codable {
    /// Every frame.
    case all
    /// Frames without ROIs.
    case empty
    /// Frames with (or, when `present` is false, without) an ROI of this label.
    case label(String, present: Bool)
    /// Frames whose metadata field compares true with the value.
    case metadata(String, MetadataComparison, String)
    /// Frames of one context (video/sequence).
    case context(String)
    /// Frames whose source URI starts with this prefix.
    case sourcePrefix(String)
    /// Frames matching every filter (all frames when empty).
    case allOf([FrameFilter])
    /// Frames matching at least one filter (no frame when empty).
    case anyOf([FrameFilter])
    /// Frames not matching the filter.
    case not(FrameFilter)

    /// True when `frame` is selected.
    public func matches(_ frame: Frame) -> Bool {
        switch self {
        case .all: return true
        case .empty: return frame.roiCount == 0
        case .label(let label, let present): return frame.labels.contains(label) == present
        case .metadata(let key, let comparison, let value): return comparison.holds(frame.metadata[key], value)
        case .context(let context): return frame.contextID == context
        case .sourcePrefix(let prefix): return frame.sourceURI.utf8.starts(with: prefix.utf8)
        case .allOf(let filters): return filters.allSatisfy { $0.matches(frame) }
        case .anyOf(let filters): return filters.contains { $0.matches(frame) }
        case .not(let filter): return !filter.matches(frame)
        }
    }
}

/// How a metadata field is compared with a value. Ordering comparisons are
/// numeric and hold only when both the field and the value are numbers; equality
/// compares the text.
public enum MetadataComparison: String, Hashable, Sendable, Codable, CaseIterable {
    /// The field equals the value (text).
    case equal = "="
    /// The field is absent or differs from the value.
    case notEqual = "!="
    /// Numerically less.
    case less = "<"
    /// Numerically less or equal.
    case lessOrEqual = "<="
    /// Numerically greater.
    case greater = ">"
    /// Numerically greater or equal.
    case greaterOrEqual = ">="

    /// True when `field` (nil: absent) compares true with `value`.
    public func holds(_ field: String?, _ value: String) -> Bool {
        switch self {
        case .equal: return field == value
        case .notEqual: return field != value
        default:
            guard let field, let a = Double(field), let b = Double(value) else { return false }
            switch self {
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            default: return a >= b
            }
        }
    }
}

extension FrameFilter {
    /// Parses a metadata condition `KEY=VALUE`, `KEY!=VALUE`, or a numeric
    /// `KEY<N`, `KEY<=N`, `KEY>N`, `KEY>=N` (the first operator splits key and value).
    ///
    /// `N` must be a finite number: `1e400` (which overflows), `inf`, `-Infinity` and
    /// `NaN` in any case are refused, since no comparison with them means anything.
    /// `=` and `!=` compare text and take any value.
    ///
    ///     FrameFilter.condition("speed>=12.5")  // .success(.metadata("speed", .greaterOrEqual, "12.5"))
    ///     FrameFilter.condition("speed>=NaN")   // .failure(.invalidPlan(...))
    ///
    /// - Returns: the filter, or ``FrameStore/StoreError/invalidPlan(_:)`` naming the text.
    public static func condition(_ text: String) -> Result<FrameFilter, FrameStore.StoreError> {
        let operators: [(String, MetadataComparison)] = [
            ("!=", .notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("=", .equal), ("<", .less), (">", .greater),
        ]
        var best: (range: Range<String.Index>, comparison: MetadataComparison)?
        for (symbol, comparison) in operators {
            if let range = text.range(of: symbol), best.map({ range.lowerBound < $0.range.lowerBound }) ?? true {
                best = (range, comparison)
            }
        }
        guard let best, best.range.lowerBound > text.startIndex else {
            return .failure(.invalidPlan("\"\(text)\": expected KEY=VALUE, KEY!=VALUE, KEY<N, KEY<=N, KEY>N or KEY>=N"))
        }
        let value = String(text[best.range.upperBound...])
        if ![.equal, .notEqual].contains(best.comparison) {
            guard let number = Double(value) else {
                return .failure(
                    .invalidPlan("\"\(text)\": \(best.comparison.rawValue) compares numbers, \"\(value)\" is not one"))
            }
            guard number.isFinite else {
                return .failure(
                    .invalidPlan(
                        "\"\(text)\": \(best.comparison.rawValue) compares finite numbers, \"\(value)\" is "
                            + (number.isNaN ? "not a number" : "infinite or out of range")))
            }
        }
        return .success(.metadata(String(text[..<best.range.lowerBound]), best.comparison, value))
    }
}
