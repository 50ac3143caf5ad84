import Foundation
import GRDB
import LabelKitCore
import LabelKitJSON

extension FrameStore {
    /// Adds frames in one transaction; ids must be new (R2: duplicate ids are
    /// rejected, and nothing of the import is kept).
    ///
    /// - Returns: the number of frames added.
    /// - Throws: ``StoreError/duplicateFrame(_:)`` naming the first repeated id.
    @discardableResult
    public func importFrames(_ frames: [Frame]) throws -> Int {
        return try database.bulkWrite { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO frame (id, context_id, timestamp_ms, source_frame, source_uri, width, height,
                        labels, metadata, roi_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for frame in frames {
                do {
                    try insert.execute(arguments: [
                        frame.id, frame.contextID, frame.timestampMs, frame.sourceFrame, frame.sourceURI, frame.width,
                        frame.height, JSONText.array(frame.labels), JSONText.object(frame.metadata), frame.roiCount,
                    ])
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                    throw StoreError.duplicateFrame(frame.id)
                }
            }
            return frames.count
        }
    }

    /// Number of frames in the store.
    public func frameCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM frame") ?? 0 }
    }

    /// The frames with these row ids, in the given order.
    static func frames(_ db: Database, seqs: [Int64]) throws -> [Frame] {
        let select = try db.cachedStatement(sql: "SELECT * FROM frame WHERE seq = ?")
        return try seqs.map { seq in
            guard let row = try Row.fetchOne(select, arguments: [seq]) else {
                throw StoreError.invalidRequest("frame row \(seq) is missing from the store")
            }
            return Frame(row: row)
        }
    }
}

extension Frame {
    /// A frame from a `frame` table row.
    init(row: Row) {
        let labels = (try? JSONSerialization.jsonObject(with: Data((row["labels"] as String).utf8))) as? [String]
        let metadata =
            (try? JSONSerialization.jsonObject(with: Data((row["metadata"] as String).utf8))) as? [String: String]
        self.init(
            id: row["id"], contextID: row["context_id"], timestampMs: row["timestamp_ms"],
            sourceFrame: row["source_frame"], sourceURI: row["source_uri"], width: row["width"], height: row["height"],
            labels: labels ?? [], metadata: metadata ?? [:])
    }
}
