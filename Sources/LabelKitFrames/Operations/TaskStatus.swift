import LabelKitJSON

/// A task's settings and label-stream progress, as `labelkit frames status` and
/// `GET /frames/tasks/{task}` answer them: `{"label": {...}, "task": {...}}`.
public enum TaskStatus {
    /// The answer's JSON; with `user`, the label part also counts the units left
    /// for that annotator (`remaining_for_user`).
    ///
    /// - Throws: ``FrameStore/StoreError/unknownTask(_:)``.
    public static func json(task: String, user: String? = nil, on store: FrameStore) throws -> String {
        let info = try store.task(task)
        var label = FramesJSON.object(try store.labelStatus(task: task))
        if let user { label["remaining_for_user"] = try store.remainingUnits(task: task, user: user) }
        return "{\"label\":\(JSONText.of(label)),\"task\":\(FramesJSON.text(info))}"
    }
}
