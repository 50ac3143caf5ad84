import Foundation

extension FrameStore {
    /// The next `count` frames of a task's stream `stream`, advancing and saving its
    /// position in the same transaction, so a crash never loses or repeats one.
    /// Separate streams (workers, consumers) keep separate positions. The task is
    /// locked first, so calls on one stream from several processes or replicas
    /// take turns rather than reading the same position.
    public func next(task id: String, stream: String = "default", count: Int = 1) throws -> [Delivery] {
        try Self.checkTaskID(id)
        guard !stream.utf8.contains(0) else {
            throw StoreError.invalidRequest("a stream name must not hold NUL characters")
        }
        return try backend.write(bulk: false) { transaction in
            guard try transaction.lockTask(id) != nil else { throw StoreError.unknownTask(id) }
            let info = try Self.taskInfo(transaction, id)
            let snapshot = try snapshot(transaction, task: id)
            let stateJSON = try transaction.streamState(task: id, name: stream)
            let state = try stateJSON.map { try JSONDecoder().decode(IterationState.self, from: Data($0.utf8)) }
            var iterator = FrameIterator(units: snapshot.units, plan: info.plan, state: state ?? IterationState())
            var emissions: [Emission] = []
            while emissions.count < count, let emission = iterator.next() { emissions.append(emission) }
            let frames = try transaction.frames(seqs: emissions.map { snapshot.frameSeqs[$0.frame] })
            let encoded = String(decoding: try JSONEncoder().encode(iterator.state), as: UTF8.self)
            try transaction.setStreamState(task: id, name: stream, state: encoded)
            return zip(frames, emissions).map { Delivery(frame: $0, emission: $1) }
        }
    }
}
