import Foundation
import Hummingbird
import LabelKitJSON
import LabelKitFrames

extension LabelKitService {
    /// The frame store over HTTP, with the command line's JSON shapes:
    ///
    /// - `POST /frames/import` (a frames document) -> `{"imported"}`
    /// - `POST /frames/tasks` (settings) -> the task, 201
    /// - `GET /frames/tasks/{task}` -> `{"task", "label"}`
    /// - `POST /frames/tasks/{task}/next` `{"user"}` -> label work, or `{"stream", "count"}` -> frames
    /// - `POST /frames/tasks/{task}/submit|skip|postpone|heartbeat` `{"user", "unit", "result"?}`
    func addFrameRoutes(_ router: Router<ServiceRequestContext>) {
        router.post("/frames/import") { request, _ in
            let body = try await Self.body(request, limit: self.configuration.maxBodyBytes)
            let store = self.frames
            let imported = try await self.io.run {
                try store.importFrames(try FrameDocument.frames(from: Data(body), name: "body.json"))
            }
            return Reply.json(["imported": imported])
        }
        router.post("/frames/tasks") { request, _ in
            let body = try await Self.body(request, limit: self.configuration.maxBodyBytes)
            let store = self.frames
            let text = try await self.io.run {
                FramesJSON.text(try TaskRequest(json: try Self.jsonObject(body)).run(on: store))
            }
            return Reply.json(text, status: .created)
        }
        router.get("/frames/tasks/:task") { _, context in
            let task = try context.parameters.require("task")
            let store = self.frames
            let text = try await self.io.run { try TaskStatus.json(task: task, on: store) }
            return Reply.json(text)
        }
        router.post("/frames/tasks/:task/:action") { request, context in
            let task = try context.parameters.require("task")
            let name = try context.parameters.require("action")
            guard let action = FrameCall.Action(rawValue: name) else {
                throw ServiceError(404, "no action \"\(Reply.cut(name))\" (next, submit, skip, postpone, heartbeat)")
            }
            let body = try await Self.body(request, limit: self.configuration.maxBodyBytes)
            let store = self.frames
            let text = try await self.io.run {
                try FrameCall(action, json: try Self.jsonObject(body)).run(task: task, on: store)
            }
            return Reply.json(text)
        }
    }

    /// The request body, refused with 413 past `limit` bytes (before reading
    /// it when Content-Length says so).
    static func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ServiceError(413, "the body has \(length) bytes; the limit is \(limit)")
        }
        // Chunks are gathered in one buffer (reserved from Content-Length) and copied out once.
        var collected = ByteBuffer()
        if let length = request.headers[.contentLength].flatMap({ Int($0) }) { collected.reserveCapacity(length) }
        for try await var chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw ServiceError(413, "the body is over the limit of \(limit) bytes")
            }
            collected.writeBuffer(&chunk)
        }
        return collected.readBytes(length: collected.readableBytes) ?? []
    }

    /// A request body as a JSON object, numbers read exactly (``ExactJSON``).
    static func jsonObject(_ body: [UInt8]) throws -> [String: Any] {
        let root = try ExactJSON.parse(Data(body))  // a JSONError is a 400 naming the byte
        guard let object = root as? [String: Any] else { throw ServiceError(400, "the body must be a JSON object") }
        return object
    }
}
