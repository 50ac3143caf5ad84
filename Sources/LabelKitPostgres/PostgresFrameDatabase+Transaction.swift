import Foundation
import LabelKitFrames
import PostgresNIO

extension PostgresFrameDatabase {
    /// The statements over one connection inside a transaction.
    struct Transaction: FrameTransaction {
        let session: PostgresSession

        func frameCount() throws -> Int {
            try session.run("SELECT count(*) FROM frame").first?.decode(Int.self) ?? 0
        }

        func frames(seqs: [Int64]) throws -> [Frame] {
            guard !seqs.isEmpty else { return [] }
            let rows = try session.run(
                "SELECT f.seq, \(unescaped: Self.frameColumns) FROM frame f WHERE f.seq = ANY(\(Array(Set(seqs))))")
            var bySeq: [Int64: Frame] = [:]
            for row in rows {
                let cells = row.makeRandomAccess()
                bySeq[try cells[0].decode(Int64.self)] = try Self.frame(cells, from: 1)
            }
            return try seqs.map { seq in
                guard let frame = bySeq[seq] else {
                    throw FrameStore.StoreError.invalidRequest("frame row \(seq) is missing from the store")
                }
                return frame
            }
        }

        /// A frame's columns after its row id, as ``frame(_:from:)`` reads them.
        static let frameColumns =
            "f.id, f.context_id, f.timestamp_ms, f.source_frame, f.source_uri, f.width, f.height, f.labels, f.metadata"

        /// The frame in the ``frameColumns`` of `cells`, starting at column `first`.
        static func frame(_ cells: PostgresRandomAccessRow, from first: Int) throws -> Frame {
            Frame(
                id: try cells[first].decode(String.self), contextID: try cells[first + 1].decode(String.self),
                timestampMs: try cells[first + 2].decode(Int64.self), sourceFrame: try cells[first + 3].decode(Int?.self),
                sourceURI: try cells[first + 4].decode(String.self), width: try cells[first + 5].decode(Int?.self),
                height: try cells[first + 6].decode(Int?.self), labelsJSON: try cells[first + 7].decode(String.self),
                metadataJSON: try cells[first + 8].decode(String.self))
        }

        /// Filters run in Swift (``FrameFilter/matches(_:)``, the predicate the
        /// SQLite store's SQL is tested against), over rows read in sort order.
        func selectFrames(_ filter: FrameFilter, _ body: (FrameKey) throws -> Void) throws {
            if filter == .all { return try FrameKeyPages.read(session, body) }
            let rows = try session.run(
                """
                SELECT seq, id, context_id, timestamp_ms, source_uri, labels, metadata FROM frame
                ORDER BY context_id, timestamp_ms, id
                """)
            for row in rows {
                let (seq, id, context, timestamp, sourceURI, labels, metadata) = try row.decode(
                    (Int64, String, String, Int64, String, String, String).self)
                let frame = Frame(
                    id: id, contextID: context, timestampMs: timestamp, sourceFrame: nil, sourceURI: sourceURI,
                    width: nil, height: nil, labelsJSON: labels, metadataJSON: metadata)
                if filter.matches(frame) {
                    try body(FrameKey(seq: seq, id: id, contextID: context, timestampMs: timestamp))
                }
            }
        }

        func taskJSON(_ id: String) throws -> String? {
            try session.run("SELECT json FROM task WHERE id = \(id)").first?.decode(String.self)
        }

        func lockTask(_ id: String) throws -> Int64? {
            try session.run("SELECT version FROM task WHERE id = \(id) FOR UPDATE").first?.decode(Int64.self)
        }

        func insertTask(id: String, json: String, frames: Data, units: Data) throws {
            do {
                try session.run("INSERT INTO task (id, json) VALUES (\(id), \(json))")
            } catch let error as PostgresServerError where error.isUniqueViolation {
                throw FrameStore.StoreError.duplicateTask(id)
            }
            try session.run("INSERT INTO task_snapshot (task_id, frames, units) VALUES (\(id), \(frames), \(units))")
        }

        func snapshot(_ id: String) throws -> (frames: Data, units: Data)? {
            try session.run("SELECT frames, units FROM task_snapshot WHERE task_id = \(id)").first?.decode(
                (Data, Data).self)
        }

        func streamState(task: String, name: String) throws -> String? {
            try session.run("SELECT state FROM stream WHERE task_id = \(task) AND name = \(name)").first?.decode(
                String.self)
        }

        func setStreamState(task: String, name: String, state: String) throws {
            try session.run(
                """
                INSERT INTO stream (task_id, name, state) VALUES (\(task), \(name), \(state))
                ON CONFLICT (task_id, name) DO UPDATE SET state = excluded.state
                """)
        }

        func labelState(task id: String) throws -> LabelState {
            var state = LabelState()
            for row in try session.run(#"SELECT "user", unit, kind, seq FROM label_mark WHERE task_id = \#(id)"#) {
                let (user, unit, kindName, sequence) = try row.decode((String, Int, String, Int64).self)
                guard let kind = LabelMarkKind(rawValue: kindName) else { continue }
                state.marks.append(.init(user: user, unit: unit, kind: kind, sequence: sequence))
            }
            for row in try session.run(#"SELECT "user", unit, expires_at FROM label_lock WHERE task_id = \#(id)"#) {
                let (user, unit, expiresAt) = try row.decode((String, Int, Double).self)
                state.locks.append(.init(user: user, unit: unit, expiresAt: expiresAt))
            }
            let decoder = JSONDecoder()
            for row in try session.run(#"SELECT "user", position, deferred FROM annotator WHERE task_id = \#(id)"#) {
                let (user, position, deferred) = try row.decode((String, Int, String).self)
                state.annotators.append(
                    .init(
                        user: user, position: position,
                        deferred: try decoder.decode([Int].self, from: Data(deferred.utf8))))
            }
            return state
        }

        func labelWrites(task id: String, after: Int64, through: Int64) throws -> [LabelWrite]? {
            guard through - after <= LabelLog.reach else { return nil }
            let rows = try session.run(
                """
                SELECT version, write FROM label_log WHERE task_id = \(id) AND version > \(after) AND version <= \(through)
                ORDER BY version, idx
                """)
            return try LabelLog.writes(rows.map { try $0.decode((Int64, String).self) }, after: after, through: through)
        }

        func result(task: String, user: String, unit: Int) throws -> String? {
            try session.run(
                #"""
                SELECT result FROM label_mark
                WHERE task_id = \#(task) AND "user" = \#(user) AND unit = \#(unit) AND kind = 'submitted'
                """#
            ).first?.decode(String?.self) ?? nil
        }
    }
}
