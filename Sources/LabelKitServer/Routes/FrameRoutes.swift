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
            let text = try await self.io.run { FramesJSON.text(try self.createTask(try Self.jsonObject(body))) }
            return Reply.json(text, status: .created)
        }
        router.get("/frames/tasks/:task") { _, context in
            let task = try context.parameters.require("task")
            let store = self.frames
            let text = try await self.io.run {
                let info = try store.task(task)
                let label = FramesJSON.object(try store.labelStatus(task: task))
                return "{\"label\":\(FramesJSON.text(label)),\"task\":\(FramesJSON.text(info))}"
            }
            return Reply.json(text)
        }
        router.post("/frames/tasks/:task/:action") { request, context in
            let task = try context.parameters.require("task")
            let action = try context.parameters.require("action")
            let body = try await Self.body(request, limit: self.configuration.maxBodyBytes)
            let text = try await self.io.run { try self.frameAction(action, task: task, object: try Self.jsonObject(body)) }
            return Reply.json(text)
        }
    }

    /// Runs `next`, `submit`, `skip`, `postpone` or `heartbeat` on the store
    /// (blocking: call it on the I/O pool) and returns the answer's JSON.
    func frameAction(_ action: String, task: String, object: [String: Any]) throws -> String {
        if action == "next", object["user"] == nil {
            let stream = object["stream"] as? String ?? "default"
            let count = try object["count"].map { raw in
                guard let count = JSONNumber.integer(raw) else { throw ServiceError(422, "\"count\" must be an integer") }
                return count
            } ?? 1
            guard (0...10_000).contains(count) else { throw ServiceError(422, "count must be 0...10000") }
            return FramesJSON.text(try frames.next(task: task, stream: stream, count: count).map(FramesJSON.object))
        }
        guard let user = object["user"] as? String else { throw ServiceError(422, "\"user\" (a string) is required") }
        if action == "next" { return FramesJSON.text(FramesJSON.object(try frames.next(task: task, user: user))) }
        guard let unit = JSONNumber.integer(object["unit"]) else {
            throw ServiceError(422, "\"unit\" (an integer) is required")
        }
        switch action {
        case "submit":
            let result = try object["result"].map { try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) }
            try frames.submit(task: task, user: user, unit: unit, result: result.map { String(decoding: $0, as: UTF8.self) })
            return FramesJSON.text(["submitted": unit])
        case "skip":
            try frames.skip(task: task, user: user, unit: unit)
            return FramesJSON.text(["skipped": unit])
        case "postpone":
            try frames.postpone(task: task, user: user, unit: unit)
            return FramesJSON.text(["postponed": unit])
        case "heartbeat":
            return FramesJSON.text(["locked_until": try frames.heartbeat(task: task, user: user, unit: unit)])
        default:
            throw ServiceError(404, "no action \"\(Reply.cut(action))\" (next, submit, skip, postpone, heartbeat)")
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

    /// Creates a task from `{"id", "filter", "labels", "without_labels", "where",
    /// "context", "source_prefix", "order", "seed", "limit", "infinite", "clip",
    /// "max_gap_ms", "worker", "workers", "overlap", "cohort", "skip_mode",
    /// "lock_ttl", "breadth_first", "annotator_order"}` (all optional).
    func createTask(_ object: [String: Any]) throws -> FrameStore.TaskInfo {
        func int(_ key: String) throws -> Int? {
            guard let value = object[key] else { return nil }
            guard let exact = JSONNumber.integer(value) else { throw ServiceError(422, "\"\(key)\" must be an integer") }
            return exact
        }
        func number(_ key: String) throws -> Double? {
            guard let value = object[key] else { return nil }
            guard let number = JSONNumber.finite(value) else { throw ServiceError(422, "\"\(key)\" must be a number") }
            return number
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = object[key] else { return false }
            guard let flag = JSONNumber.boolean(value) else { throw ServiceError(422, "\"\(key)\" must be true or false") }
            return flag
        }
        func strings(_ key: String) throws -> [String] {
            guard let value = object[key] else { return [] }
            guard let list = value as? [String] else { throw ServiceError(422, "\"\(key)\" must be a list of strings") }
            return list
        }
        var filters: [FrameFilter] = []
        switch object["filter"] as? String ?? "all" {
        case "all": break
        case "empty": filters.append(.empty)
        case let other: throw ServiceError(422, "\"filter\": \"\(other)\" is not all or empty")
        }
        filters += try strings("labels").map { .label($0, present: true) }
        filters += try strings("without_labels").map { .label($0, present: false) }
        for condition in try strings("where") { filters.append(try FrameFilter.condition(condition).get()) }
        if let context = object["context"] as? String { filters.append(.context(context)) }
        if let prefix = object["source_prefix"] as? String { filters.append(.sourcePrefix(prefix)) }
        let orderText = object["order"] as? String ?? "sequential"
        guard let order = IterationPlan.Order(rawValue: orderText) else {
            throw ServiceError(422, "\"order\": \"\(orderText)\" is not sequential, random or shuffle")
        }
        var seed: UInt64?
        if let text = object["seed"] as? String {
            guard let value = UInt64(text) else { throw ServiceError(422, "\"seed\" must be an unsigned 64-bit integer") }
            seed = value
        } else if object["seed"] != nil {
            guard let value = try int("seed"), value >= 0 else { throw ServiceError(422, "\"seed\" must be a non-negative integer") }
            seed = UInt64(value)
        }
        var label = LabelSettings()
        label.overlap = try int("overlap") ?? 1
        label.cohortPercent = try number("cohort") ?? 100
        if let mode = object["skip_mode"] as? String {
            guard let parsed = LabelSettings.SkipMode(name: mode) else {
                throw ServiceError(
                    422, "\"skip_mode\": \"\(mode)\" is not requeue-for-others, requeue-for-me or ignore-skipped")
            }
            label.skipMode = parsed
        }
        label.lockTTLSeconds = try number("lock_ttl") ?? 3600
        label.breadthFirst = try flag("breadth_first")
        if let text = object["annotator_order"] as? String {
            guard let parsed = LabelSettings.AnnotatorOrder(rawValue: text) else {
                throw ServiceError(422, "\"annotator_order\": \"\(text)\" is not shared or independent")
            }
            label.annotatorOrder = parsed
        }
        let plan = IterationPlan(
            order: order, limit: try int("limit"), infinite: try flag("infinite"), worker: try int("worker") ?? 0,
            workers: try int("workers") ?? 1)
        return try frames.createTask(
            id: object["id"] as? String, filter: .allOf(filters), clipLength: try int("clip") ?? 1,
            maxGapMs: try int("max_gap_ms").map { Int64($0) }, plan: plan, seed: seed, label: label)
    }
}
