import Foundation
import LabelKitFrames
import LabelKitJSON
import Testing

/// The label stream's answers are written by hand; these tests hold them to
/// what JSONSerialization (sorted keys, slashes unescaped) writes for the same
/// values, byte for byte.
@Suite("Frame answers as JSON")
final class FramesJSONTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "labelkit-frames-json-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Strings that exercise every escape: all controls, quotes, backslashes,
    /// slashes, DEL, line separators, non-ASCII and astral characters.
    static let tricky: [String] = {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(value)!) }
        return [controls, "\"quoted\" \\ back/slash", "\u{7f}\u{2028}\u{2029}", "é 中 😀", "", "plain"]
    }()

    /// Metadata keys whose order differs between byte order and JSONSerialization's.
    static let keys = ["_x", "9", "10", "a", "A", "aa", "B", "é", "z", "Z", "x01", "x1", "ß", "😀", "a/b"]

    static func frames(count: Int) -> [Frame] {
        var random = SystemRandomNumberGenerator()
        return (0..<count).map { index in
            let pick = { tricky[Int.random(in: 0..<tricky.count, using: &random)] }
            // Columns hold no NUL (imports refuse one); labels and metadata are JSON and may.
            let column = { pick().replacingOccurrences(of: "\u{0}", with: "") }
            var metadata: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                metadata[keys.randomElement(using: &random)!] = pick()
            }
            return Frame(
                id: "frame \(index) " + column(), contextID: "ctx/" + column(), timestampMs: Int64(index) * 40 - 7,
                sourceFrame: Bool.random(using: &random) ? index : nil, sourceURI: "s3://b/\(index).jpg" + column(),
                width: Bool.random(using: &random) ? 1920 + index : nil,
                height: Bool.random(using: &random) ? 1080 : nil,
                labels: (0..<Int.random(in: 0...3, using: &random)).map { _ in pick() }, metadata: metadata)
        }
    }

    /// The frame as the dictionary JSONSerialization writes.
    static func object(_ frame: Frame) -> [String: Any] {
        [
            "id": frame.id, "context_id": frame.contextID, "timestamp_ms": frame.timestampMs,
            "source_frame": frame.sourceFrame as Any? ?? NSNull(), "source_uri": frame.sourceURI,
            "width": frame.width as Any? ?? NSNull(), "height": frame.height as Any? ?? NSNull(),
            "labels": frame.labels, "metadata": frame.metadata,
        ]
    }

    static func serialized(_ object: Any) throws -> String {
        String(
            decoding: try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]),
            as: UTF8.self)
    }

    @Test("next, heartbeat and plain-stream answers equal JSONSerialization's bytes")
    func answersMatchFoundation() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try FrameStore(path: folder.appendingPathComponent("frames.sqlite").path)
        let frames = Self.frames(count: 120)
        _ = try store.importFrames(frames)
        let byID = Dictionary(uniqueKeysWithValues: frames.map { ($0.id, $0) })
        let task = try store.createTask(filter: .empty, clipLength: 3, plan: IterationPlan(order: .random))
        for round in 0..<40 {
            let user = "annotator \(round % 7)"
            let answer = try FrameCall.nextUnit(user: user).run(task: task.id, on: store)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
            var expected = parsed
            if let listed = parsed["frames"] as? [[String: Any]] {
                expected["frames"] = try listed.map { listedFrame in
                    let id = try #require(listedFrame["id"] as? String)
                    return Self.object(try #require(byID[id]))
                }
            }
            #expect(answer == (try Self.serialized(expected)))
            if let unit = parsed["unit"] as? Int {
                let beat = try FrameCall.heartbeat(user: user, unit: unit).run(task: task.id, on: store)
                let beatObject = try JSONSerialization.jsonObject(with: Data(beat.utf8)) as? [String: Any]
                let until = try #require(beatObject?["locked_until"])
                #expect(beat == (try Self.serialized(["locked_until": until])))
                _ = try FrameCall.submit(user: user, unit: unit, result: nil).run(task: task.id, on: store)
            }
        }
        let plain = try FrameCall.nextFrames(stream: "s", count: 25).run(task: task.id, on: store)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(plain.utf8)) as? [[String: Any]])
        #expect((1...25).contains(listed.count))  // whole units, up to 25 frames
        let expected = try listed.map { delivery -> [String: Any] in
            var delivery = delivery
            let id = try #require((delivery["frame"] as? [String: Any])?["id"] as? String)
            delivery["frame"] = Self.object(try #require(byID[id]))
            return delivery
        }
        #expect(plain == (try Self.serialized(expected)))
    }

    @Test("doubles and strings are written as JSONSerialization writes them")
    func scalars() throws {
        let doubles = [
            0.0, -0.0, 0.1, 0.1 + 0.2, 1e-7, 5e-324, 1_733_345_678.123456, 1e15, 1e16, 1e16 + 2, 12_345.5, -3.25,
            1.7976931348623157e308, 123_456_789_012_345_678.0, 100.0,
        ]
        for value in doubles {
            var json = JSONWriter()
            json.double(value)
            #expect(json.text == (try Self.serialized(value)), "\(value)")
        }
        for string in Self.tricky + Self.keys {
            var json = JSONWriter()
            json.string(string)
            #expect(json.text == (try Self.serialized(string)))
        }
    }
}
