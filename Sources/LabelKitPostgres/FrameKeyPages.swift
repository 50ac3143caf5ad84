import LabelKitFrames
import PostgresNIO

/// Every frame's key in sort order, read a page at a time with each page packed
/// into one text by the server (`string_agg`): one row per 100,000 frames
/// instead of one per frame, which is what made creating a task over a million
/// frames take seconds on the client's row decoding alone.
///
/// A frame packs as `seq timestamp contextBytes idBytes ` then the context id
/// and the id, byte counts first, so any character may appear in either.
/// Pages follow the `frame_order` index (keyset pagination on its columns).
enum FrameKeyPages {
    /// Frames per page.
    static let pageSize = 100_000

    static func read(_ session: PostgresSession, pageSize: Int = pageSize, _ body: (FrameKey) throws -> Void) throws {
        var after: FrameKey?
        while true {
            let condition =
                after.map { key -> PostgresQuery in
                    "WHERE (context_id, timestamp_ms, id) > (\(key.contextID), \(key.timestampMs), \(key.id))"
                } ?? ""
            let query = PostgresQuery(
                unsafeSQL: """
                    SELECT count(*), string_agg(
                        seq || ' ' || timestamp_ms || ' ' || octet_length(context_id) || ' ' || octet_length(id) || ' '
                            || context_id || id, '' ORDER BY context_id, timestamp_ms, id)
                    FROM (SELECT seq, id, context_id, timestamp_ms FROM frame \(condition.sql)
                        ORDER BY context_id, timestamp_ms, id LIMIT \(pageSize)) page
                    """, binds: condition.binds)
            guard let row = try session.run(query).first else { return }
            let (count, packed) = try row.decode((Int, String?).self)
            guard count > 0, let packed else { return }
            var last: FrameKey?
            try unpack(packed) { key in
                last = key
                try body(key)
            }
            guard count == pageSize else { return }
            after = last
        }
    }

    /// Calls `body` with each key packed in `text`.
    static func unpack(_ text: String, _ body: (FrameKey) throws -> Void) throws {
        var text = text
        try text.withUTF8 { bytes in
            var position = 0
            func number() throws -> Int64 {
                var value: Int64 = 0
                var negative = false
                if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
                    negative = true
                    position += 1
                }
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: " ") {
                    let digit = bytes[position] &- UInt8(ascii: "0")
                    guard digit < 10 else { throw FrameStore.StoreError.invalidRequest("a frame key page is malformed") }
                    value = value &* 10 &+ Int64(digit)
                    position += 1
                }
                guard position > start, position < bytes.count else {
                    throw FrameStore.StoreError.invalidRequest("a frame key page is malformed")
                }
                position += 1
                return negative ? -value : value
            }
            while position < bytes.count {
                let seq = try number(), timestamp = try number()
                let contextBytes = Int(try number()), idBytes = Int(try number())
                guard contextBytes >= 0, idBytes >= 0, position + contextBytes + idBytes <= bytes.count else {
                    throw FrameStore.StoreError.invalidRequest("a frame key page is malformed")
                }
                let context = String(decoding: bytes[position..<(position + contextBytes)], as: UTF8.self)
                position += contextBytes
                let id = String(decoding: bytes[position..<(position + idBytes)], as: UTF8.self)
                position += idBytes
                try body(FrameKey(seq: seq, id: id, contextID: context, timestampMs: timestamp))
            }
        }
    }
}
