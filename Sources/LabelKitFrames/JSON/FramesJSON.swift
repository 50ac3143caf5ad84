import Foundation
import LabelKitJSON

/// The JSON shapes of frames, deliveries and label work, shared by the
/// command line and the HTTP routes (snake_case keys, sorted). The label
/// stream's answers are written straight into bytes (``JSONWriter``).
public enum FramesJSON {
    /// A frame as `{"context_id", "height", "id", "labels", "metadata",
    /// "source_frame", "source_uri", "timestamp_ms", "width"}` (absent values as null).
    static func write(_ frame: Frame, into json: inout JSONWriter) {
        json.raw("{\"context_id\":")
        json.string(frame.contextID)
        json.raw(",\"height\":")
        json.integer(frame.height)
        json.raw(",\"id\":")
        json.string(frame.id)
        json.raw(",\"labels\":")
        json.strings(frame.labels)
        json.raw(",\"metadata\":")
        json.object(frame.metadata)
        json.raw(",\"source_frame\":")
        json.integer(frame.sourceFrame)
        json.raw(",\"source_uri\":")
        json.string(frame.sourceURI)
        json.raw(",\"timestamp_ms\":")
        json.integer(frame.timestampMs)
        json.raw(",\"width\":")
        json.integer(frame.width)
        json.raw("}")
    }

    /// Stream deliveries: `[{"epoch", "frame", "offset", "position", "unit"}]`.
    static func text(_ deliveries: [FrameStore.Delivery]) -> String {
        var json = JSONWriter(capacity: 64 + 320 * deliveries.count)
        json.raw("[")
        for (index, delivery) in deliveries.enumerated() {
            json.raw(index == 0 ? "{\"epoch\":" : ",{\"epoch\":")
            json.integer(delivery.emission.epoch)
            json.raw(",\"frame\":")
            write(delivery.frame, into: &json)
            json.raw(",\"offset\":")
            json.integer(delivery.emission.offset)
            json.raw(",\"position\":")
            json.integer(delivery.emission.position)
            json.raw(",\"unit\":")
            json.integer(delivery.emission.unit)
            json.raw("}")
        }
        json.raw("]")
        return json.text
    }

    /// Label work: `{"frames", "locked_until", "reason", "status": "unit", "unit"}`,
    /// `{"retry_at", "status": "locked"}` or `{"status": "done"}` (times in
    /// seconds since 1970).
    static func text(_ work: FrameStore.LabelWork) -> String {
        var json = JSONWriter(capacity: 96 + 320 * work.frames.count)
        switch work.assignment {
        case .unit(let unit, let lockedUntil, let reason):
            json.raw("{\"frames\":[")
            for (index, frame) in work.frames.enumerated() {
                if index > 0 { json.raw(",") }
                write(frame, into: &json)
            }
            json.raw("],\"locked_until\":")
            json.double(lockedUntil)
            json.raw(",\"reason\":")
            json.string(reason.rawValue)
            json.raw(",\"status\":\"unit\",\"unit\":")
            json.integer(unit)
            json.raw("}")
        case .locked(let retryAt):
            json.raw("{\"retry_at\":")
            json.double(retryAt)
            json.raw(",\"status\":\"locked\"}")
        case .done:
            json.raw("{\"status\":\"done\"}")
        }
        return json.text
    }

    /// A heartbeat's answer: `{"locked_until"}`.
    static func text(lockedUntil: Double) -> String {
        var json = JSONWriter(capacity: 40)
        json.raw("{\"locked_until\":")
        json.double(lockedUntil)
        json.raw("}")
        return json.text
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
