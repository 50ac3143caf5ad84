import Foundation
import Hummingbird
import LabelKitFrames
import LabelKitJSON

/// The frame store over HTTP, with the command line's JSON shapes (the work is
/// ``TaskRequest``, ``FrameCall`` and ``TaskStatus``, run on the I/O pool):
struct FrameController {
    /// The store.
    let frames: FrameStore
    /// Where blocking store calls run.
    let io: WorkPool
    /// Largest request body.
    let maxBodyBytes: Int
    /// Label-stream operations and conflicts.
    let metrics: ServiceMetrics

    /// Routes:
    ///
    /// - `POST /frames/import` (a frames document) -> `{"imported"}`
    /// - `POST /frames/tasks` (settings) -> the task, 201
    /// - `GET /frames/tasks/{task}` -> `{"task", "label"}`
    /// - `POST /frames/tasks/{task}/next` `{"user"}` -> label work, or `{"stream", "count"}` -> frames
    /// - `POST /frames/tasks/{task}/submit|skip|postpone|heartbeat` `{"user", "unit", "result"?}`
    func addRoutes(to router: Router<ServiceRequestContext>) {
        let (io, maxBodyBytes) = (self.io, self.maxBodyBytes)
        let metrics = self.metrics
        router.post("/frames/import") { request, _ in
            let body = try await RequestBody.read(request, limit: maxBodyBytes)
            let store = frames
            let imported = try await io.run {
                try store.importFrames(try FrameDocument.frames(from: Data(body), name: "body.json"))
            }
            return Reply.json(["imported": imported])
        }
        router.post("/frames/tasks") { request, _ in
            let body = try await RequestBody.read(request, limit: maxBodyBytes)
            let store = frames
            let text = try await io.run {
                FramesJSON.text(try TaskRequest(json: Data(body)).run(on: store))
            }
            return Reply.json(text, status: .created)
        }
        router.get("/frames/tasks/:task") { _, context in
            let task = try context.parameters.require("task")
            let store = frames
            let text = try await io.run { try TaskStatus.json(task: task, on: store) }
            return Reply.json(text)
        }
        // An annotator's token fixes who the label stream acts for.
        router.post("/frames/tasks/:task/:action") { request, context in
            let task = try context.parameters.require("task")
            let name = try context.parameters.require("action")
            guard let action = FrameCall.Action(rawValue: name) else {
                throw ServiceError(404, "no action \"\(Reply.cut(name))\" (next, submit, skip, postpone, heartbeat)")
            }
            let body = try await RequestBody.read(request, limit: maxBodyBytes)
            let (store, signedIn) = (frames, context.credential?.signedInAnnotator)
            do {
                let text = try await io.run {
                    try FrameCall(action, json: Data(body), signedIn: signedIn).run(task: task, on: store)
                }
                metrics.labelOperation(name, conflict: false)
                return Reply.json(text)
            } catch FrameStore.StoreError.conflict(let message) {
                metrics.labelOperation(name, conflict: true)
                throw FrameStore.StoreError.conflict(message)
            }
        }
    }
}
