/// Runs one piece of work per key at a time: callers asking for a key already
/// in flight wait for that run's result instead of starting their own (no
/// stampede when a viewer asks for the same tile twice).
actor SingleFlight<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]

    /// The value for `key`, computed by `work` unless a run for `key` is in flight.
    func value(for key: String, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] { return try await task.value }
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}
