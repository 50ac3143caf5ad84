import Foundation

/// The JSON shapes of frames, deliveries and label work, shared by the
/// command line and the HTTP routes (snake_case keys, sorted).
public enum FramesJSON {
    /// A frame as `{"id", "context_id", "timestamp_ms", "source_frame", "source_uri",
    /// "width", "height", "labels", "metadata"}` (absent values as null).
    static func object(_ frame: Frame) -> [String: Any] {
        [
            "id": frame.id, "context_id": frame.contextID, "timestamp_ms": frame.timestampMs,
            "source_frame": frame.sourceFrame as Any? ?? NSNull(), "source_uri": frame.sourceURI,
            "width": frame.width as Any? ?? NSNull(), "height": frame.height as Any? ?? NSNull(),
            "labels": frame.labels, "metadata": frame.metadata,
        ]
    }

    /// A stream delivery: `{"frame", "position", "unit", "offset", "epoch"}`.
    static func object(_ delivery: FrameStore.Delivery) -> [String: Any] {
        [
            "frame": object(delivery.frame), "position": delivery.emission.position, "unit": delivery.emission.unit,
            "offset": delivery.emission.offset, "epoch": delivery.emission.epoch,
        ]
    }

    /// Label work: `{"status": "unit", "unit", "locked_until", "reason", "frames"}`,
    /// `{"status": "locked", "retry_at"}` or `{"status": "done"}` (times in
    /// seconds since 1970).
    static func object(_ work: FrameStore.LabelWork) -> [String: Any] {
        switch work.assignment {
        case .unit(let unit, let lockedUntil, let reason):
            return [
                "status": "unit", "unit": unit, "locked_until": lockedUntil, "reason": reason.rawValue,
                "frames": work.frames.map(object),
            ]
        case .locked(let retryAt):
            return ["status": "locked", "retry_at": retryAt]
        case .done:
            return ["status": "done"]
        }
    }

    /// Label progress: the ``LabelStatus`` fields in snake_case.
    static func object(_ status: LabelStatus) -> [String: Any] {
        [
            "units": status.units, "complete": status.complete, "locked": status.locked,
            "submitted": status.submitted, "skipped": status.skipped, "postponed": status.postponed,
            "annotators": status.annotators,
        ]
    }

    /// A task's settings as JSON text (the ``FrameStore/TaskInfo`` fields; written
    /// by an encoder so 64-bit seeds keep every digit).
    public static func text(_ task: FrameStore.TaskInfo) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(task)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
