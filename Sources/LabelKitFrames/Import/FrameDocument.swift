import Foundation

/// Reads frames from the documents annotation pipelines produce: a JSON list
/// (or JSON Lines) of frame objects, a Label Studio task export, or video frame
/// lists.
///
/// - Frame objects: `{"id", "context_id", "timestamp_ms", "source_frame",
///   "source_uri", "width", "height", "labels": [...], "metadata": {...}}`, only
///   `id` required.
/// - Label Studio tasks (objects with `data`): id = task id, source = the first
///   of `data.image`, `data.video`, `data.url`; context = `data.context_id`, else
///   `data.video`, else the source; labels = one per region of the latest
///   annotation; other scalar `data` fields become metadata.
/// - Video frame lists (objects with `video` and `frame_count` or `frames`):
///   id = `video#frame`, context = the video, timestamp = frame / fps.
///
///     let frames = try FrameDocument.frames(from: data, name: "export.json")
public enum FrameDocument {
    /// A document that is not one of the accepted shapes; names the item at fault.
    public struct FormatError: Error, Equatable, CustomStringConvertible {
        /// What is wrong, e.g. `items[3] has no "id"`.
        public var message: String
        public var description: String { message }
    }

    /// The frames in `data`; `name` ending in `.jsonl` selects JSON Lines.
    public static func frames(from data: Data, name: String) throws(FormatError) -> [Frame] {
        var items: [Any] = []
        if name.lowercased().hasSuffix(".jsonl") {
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated()
            where !line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                guard let item = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) else {
                    throw FormatError(message: "line \(number + 1) is not JSON")
                }
                items.append(item)
            }
        } else {
            guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                throw FormatError(message: "not a JSON document")
            }
            items = (root as? [Any]) ?? [root]
        }
        var frames: [Frame] = []
        for (index, item) in items.enumerated() {
            guard let object = item as? [String: Any] else {
                throw FormatError(message: "items[\(index)] is not a JSON object")
            }
            if object["data"] is [String: Any] {
                frames.append(try labelStudioTask(object, index: index))
            } else if object["video"] != nil && (object["frame_count"] != nil || object["frames"] != nil) {
                frames += try videoFrames(object, index: index)
            } else {
                frames.append(try frame(object, index: index))
            }
        }
        return frames
    }

    static func text(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    static func integer(_ value: Any?, _ field: String, index: Int) throws(FormatError) -> Int64? {
        guard let value, !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, let exact = Int64(exactly: number.doubleValue) else {
            throw FormatError(message: "items[\(index)].\(field) must be an integer")
        }
        return exact
    }

    static func frame(_ object: [String: Any], index: Int) throws(FormatError) -> Frame {
        guard let id = text(object["id"]), !id.isEmpty else {
            throw FormatError(message: "items[\(index)] has no \"id\"")
        }
        let uri = object["source_uri"] as? String ?? ""
        var metadata: [String: String] = [:]
        for (key, value) in object["metadata"] as? [String: Any] ?? [:] { metadata[key] = text(value) ?? "\(value)" }
        return Frame(
            id: id, contextID: object["context_id"] as? String ?? uri,
            timestampMs: try integer(object["timestamp_ms"], "timestamp_ms", index: index) ?? 0,
            sourceFrame: try integer(object["source_frame"], "source_frame", index: index).map { Int($0) },
            sourceURI: uri,
            width: try integer(object["width"], "width", index: index).map { Int($0) },
            height: try integer(object["height"], "height", index: index).map { Int($0) },
            labels: object["labels"] as? [String] ?? [], metadata: metadata)
    }

    static func labelStudioTask(_ object: [String: Any], index: Int) throws(FormatError) -> Frame {
        guard let id = text(object["id"]) else { throw FormatError(message: "items[\(index)] (a task) has no \"id\"") }
        let data = object["data"] as? [String: Any] ?? [:]
        let source = ["image", "video", "url"].lazy.compactMap { data[$0] as? String }.first ?? ""
        var metadata: [String: String] = [:]
        for (key, value) in data where !["image", "video", "url", "context_id", "timestamp_ms"].contains(key) {
            if let scalar = text(value) { metadata[key] = scalar }
        }
        let annotations = (object["annotations"] as? [[String: Any]] ?? []).filter { ($0["was_cancelled"] as? Bool) != true }
        let latest = annotations.max { (text($0["id"]).flatMap(Int.init) ?? 0) < (text($1["id"]).flatMap(Int.init) ?? 0) }
        var labels: [String] = []
        var width: Int?
        var height: Int?
        for region in latest?["result"] as? [[String: Any]] ?? [] {
            width = width ?? (region["original_width"] as? NSNumber)?.intValue
            height = height ?? (region["original_height"] as? NSNumber)?.intValue
            let value = region["value"] as? [String: Any] ?? [:]
            if let label = value.first(where: { $0.key.hasSuffix("labels") })?.value as? [String], let first = label.first {
                labels.append(first)
            }
        }
        return Frame(
            id: id, contextID: data["context_id"] as? String ?? data["video"] as? String ?? source,
            timestampMs: try integer(data["timestamp_ms"], "data.timestamp_ms", index: index) ?? 0, sourceURI: source,
            width: width, height: height, labels: labels, metadata: metadata)
    }

    static func videoFrames(_ object: [String: Any], index: Int) throws(FormatError) -> [Frame] {
        guard let video = object["video"] as? String, !video.isEmpty else {
            throw FormatError(message: "items[\(index)].video must be a non-empty string")
        }
        let fps = (object["fps"] as? NSNumber)?.doubleValue ?? 0
        guard fps > 0, fps.isFinite else { throw FormatError(message: "items[\(index)].fps must be a positive number") }
        var numbers: [(Int64, [String])] = []
        if let list = object["frames"] as? [Any] {
            for (i, entry) in list.enumerated() {
                if let entry = entry as? [String: Any] {
                    guard let n = try integer(entry["frame"], "frames[\(i)].frame", index: index) else {
                        throw FormatError(message: "items[\(index)].frames[\(i)] has no \"frame\"")
                    }
                    numbers.append((n, entry["labels"] as? [String] ?? []))
                } else if let n = try integer(entry, "frames[\(i)]", index: index) {
                    numbers.append((n, []))
                }
            }
        } else if let count = try integer(object["frame_count"], "frame_count", index: index) {
            let start = try integer(object["start_frame"], "start_frame", index: index) ?? 0
            let step = try integer(object["step"], "step", index: index) ?? 1
            guard count >= 0, count <= 100_000_000, step >= 1 else {
                throw FormatError(message: "items[\(index)]: frame_count must be 0...1e8 and step at least 1")
            }
            numbers = stride(from: start, to: start + count, by: Int(step)).map { ($0, []) }
        }
        let width = try integer(object["width"], "width", index: index).map { Int($0) }
        let height = try integer(object["height"], "height", index: index).map { Int($0) }
        return numbers.map { n, labels in
            Frame(
                id: "\(video)#\(n)", contextID: video, timestampMs: Int64((Double(n) * 1000 / fps).rounded()),
                sourceFrame: Int(n), sourceURI: video, width: width, height: height, labels: labels)
        }
    }
}
