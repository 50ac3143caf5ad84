import Foundation
import GRDB

extension FrameStore {
    /// The next `count` frames of a task's stream `stream`, advancing and saving its
    /// position in the same transaction, so a crash never loses or repeats one.
    /// Separate streams (workers, consumers) keep separate positions.
    public func next(task id: String, stream: String = "default", count: Int = 1) throws -> [Delivery] {
        return try database.write { db in
            let info = try Self.taskInfo(db, id)
            let snapshot = try snapshot(db, task: id)
            let stateJSON = try String.fetchOne(
                db, sql: "SELECT state FROM stream WHERE task_id = ? AND name = ?", arguments: [id, stream])
            let state = try stateJSON.map { try JSONDecoder().decode(IterationState.self, from: Data($0.utf8)) }
            var iterator = FrameIterator(units: snapshot.units, plan: info.plan, state: state ?? IterationState())
            var emissions: [Emission] = []
            while emissions.count < count, let emission = iterator.next() { emissions.append(emission) }
            let frames = try Self.frames(db, seqs: emissions.map { snapshot.frameSeqs[$0.frame] })
            let encoded = String(decoding: try JSONEncoder().encode(iterator.state), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO stream (task_id, name, state) VALUES (?, ?, ?)
                    ON CONFLICT(task_id, name) DO UPDATE SET state = excluded.state
                    """,
                arguments: [id, stream, encoded])
            return zip(frames, emissions).map { Delivery(frame: $0, emission: $1) }
        }
    }
}
