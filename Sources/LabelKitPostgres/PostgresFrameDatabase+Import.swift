import LabelKitFrames
import NIOCore
import PostgresNIO

extension PostgresFrameDatabase {
    /// Streams the frames with `COPY` into a temporary table, names the first
    /// frame (in import order) whose id repeats an earlier one or one already
    /// stored, then moves them into `frame` in one statement.
    ///
    /// - Throws: ``FrameStore/StoreError/duplicateFrame(_:)``.
    public func importFrames(_ frames: [Frame]) throws -> Int {
        guard !frames.isEmpty else { return 0 }
        return try database.transaction { session in
            try session.run(
                """
                CREATE TEMPORARY TABLE frame_import (
                    ord BIGINT NOT NULL, id TEXT COLLATE "C" NOT NULL, context_id TEXT NOT NULL,
                    timestamp_ms BIGINT NOT NULL, source_frame BIGINT, source_uri TEXT NOT NULL, width BIGINT,
                    height BIGINT, labels TEXT NOT NULL, metadata TEXT NOT NULL, roi_count BIGINT NOT NULL
                ) ON COMMIT DROP
                """)
            let (connection, logger) = (session.connection, session.logger)
            let rows = Self.copyRows(frames)
            try session.await {
                try await connection.copyFrom(table: "frame_import", logger: logger) { writer in
                    for chunk in rows { try await writer.write(chunk) }
                }
            }
            let repeated = try session.run(
                """
                SELECT id FROM (
                    SELECT id, ord, row_number() OVER (PARTITION BY id ORDER BY ord) AS k FROM frame_import
                ) i WHERE k > 1 OR EXISTS (SELECT 1 FROM frame f WHERE f.id = i.id) ORDER BY ord LIMIT 1
                """)
            if let id = try repeated.first?.decode(String.self) { throw FrameStore.StoreError.duplicateFrame(id) }
            do {
                try session.run(
                    """
                    INSERT INTO frame (id, context_id, timestamp_ms, source_frame, source_uri, width, height, labels,
                        metadata, roi_count)
                    SELECT id, context_id, timestamp_ms, source_frame, source_uri, width, height, labels, metadata,
                        roi_count FROM frame_import ORDER BY ord
                    """)
            } catch let error as PostgresServerError where error.isUniqueViolation {
                // Another replica stored one of these ids since the check.
                throw FrameStore.StoreError.duplicateFrame(Self.key(in: error.detail) ?? "?")
            }
            return frames.count
        }
    }

    /// The frames as COPY text rows (tab-separated, `\N` for null), in chunks of about 1 MiB.
    static func copyRows(_ frames: [Frame]) -> [ByteBuffer] {
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 20)
        for (ord, frame) in frames.enumerated() {
            let fields: [String?] = [
                String(ord), frame.id, frame.contextID, String(frame.timestampMs), frame.sourceFrame.map(String.init),
                frame.sourceURI, frame.width.map(String.init), frame.height.map(String.init), frame.labelsJSON,
                frame.metadataJSON, String(frame.roiCount),
            ]
            for (i, field) in fields.enumerated() {
                if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                guard let field else {
                    buffer.writeString("\\N")
                    continue
                }
                for byte in field.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
            if buffer.readableBytes >= 1 << 20 {
                chunks.append(buffer)
                buffer = ByteBuffer()
            }
        }
        if buffer.readableBytes > 0 { chunks.append(buffer) }
        return chunks
    }

    /// The key of a unique violation's detail, `Key (id)=(x) already exists.`
    static func key(in detail: String?) -> String? {
        guard let detail, let start = detail.range(of: ")=("),
            let end = detail.range(of: ") already exists", options: .backwards)
        else { return nil }
        return String(detail[start.upperBound..<end.lowerBound])
    }
}
