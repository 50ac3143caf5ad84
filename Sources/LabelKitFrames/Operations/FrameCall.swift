import Foundation
import LabelKitJSON

/// One call on a task's streams, as the command line (`labelkit frames next`,
/// `submit`, `skip`, `postpone`, `heartbeat`) and the HTTP API
/// (`POST /frames/tasks/{task}/{action}`) make it; ``run(task:on:)`` answers the
/// JSON both print.
public enum FrameCall: Sendable, Equatable {
    /// The next `count` frames of a plain stream.
    case nextFrames(stream: String, count: Int)
    /// The next unit of the label stream for an annotator.
    case nextUnit(user: String)
    /// An annotator's annotation of a unit (the result as JSON text, if any).
    case submit(user: String, unit: Int, result: String?)
    /// A skip (what it means is the task's skip mode).
    case skip(user: String, unit: Int)
    /// A unit put aside until the annotator's main queue is done.
    case postpone(user: String, unit: Int)
    /// A lock extended by the task's lock TTL.
    case heartbeat(user: String, unit: Int)

    /// The calls by their name in the HTTP path and on the command line.
    public enum Action: String, CaseIterable, Sendable {
        case next, submit, skip, postpone, heartbeat
    }

    /// The most frames one `next` hands out.
    public static let maxCount = 10_000

    /// Reads the HTTP API's body for `action`: `next` takes `{"user"}` (label stream)
    /// or `{"stream", "count"}` (plain stream); the others `{"user", "unit"}`, and
    /// `submit` an optional `"result"` (any JSON value, kept as text).
    ///
    /// With `signedIn` (the annotator a credential names), the call is that
    /// annotator's: the body's `"user"` may be left out, and naming anyone else is refused.
    ///
    /// - Throws: ``JSONError`` naming the byte at fault;
    ///   ``FrameStore/StoreError/invalidRequest(_:)`` naming the field;
    ///   ``FrameStore/StoreError/forbidden(_:)`` for another annotator's name.
    public init(_ action: Action, json body: Data, signedIn: String? = nil) throws {
        typealias StoreError = FrameStore.StoreError
        let fields = try RequestFields(body: body)
        if action == .next, signedIn == nil, fields.object["user"] == nil {
            let count = try fields.integer("count") ?? 1
            guard (0...Self.maxCount).contains(count) else {
                throw StoreError.invalidRequest("count must be 0...\(Self.maxCount)")
            }
            self = .nextFrames(stream: try fields.string("stream") ?? "default", count: count)
            return
        }
        let named = try fields.string("user")
        if let signedIn, let named, named != signedIn {
            throw StoreError.forbidden("signed in as \"\(signedIn)\": an annotator acts only for themselves")
        }
        guard let user = signedIn ?? named else { throw StoreError.invalidRequest("\"user\" (a string) is required") }
        func unit() throws(FrameStore.StoreError) -> Int {
            guard let unit = try fields.integer("unit") else {
                throw .invalidRequest("\"unit\" (an integer) is required")
            }
            return unit
        }
        switch action {
        case .next: self = .nextUnit(user: user)
        case .submit:
            let unit = try unit()
            var text: String?
            if let value = fields.object["result"] {
                guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else {
                    throw StoreError.invalidRequest("\"result\" must be a JSON value")
                }
                text = String(decoding: data, as: UTF8.self)
            }
            self = .submit(user: user, unit: unit, result: text)
        case .skip: self = .skip(user: user, unit: try unit())
        case .postpone: self = .postpone(user: user, unit: try unit())
        case .heartbeat: self = .heartbeat(user: user, unit: try unit())
        }
    }

    /// Runs the call on `task` and returns its JSON answer: the frames handed out,
    /// the label work, `{"submitted": unit}`, `{"skipped": unit}`,
    /// `{"postponed": unit}` or `{"locked_until": seconds since 1970}`.
    ///
    /// - Throws: ``FrameStore/StoreError`` (an unknown task, a lapsed lock, ...).
    public func run(task: String, on store: FrameStore) throws -> String {
        switch self {
        case .nextFrames(let stream, let count):
            return FramesJSON.text(try store.next(task: task, stream: stream, count: count))
        case .nextUnit(let user):
            return FramesJSON.text(try store.next(task: task, user: user))
        case .submit(let user, let unit, let result):
            try store.submit(task: task, user: user, unit: unit, result: result)
            return "{\"submitted\":\(unit)}"
        case .skip(let user, let unit):
            try store.skip(task: task, user: user, unit: unit)
            return "{\"skipped\":\(unit)}"
        case .postpone(let user, let unit):
            try store.postpone(task: task, user: user, unit: unit)
            return "{\"postponed\":\(unit)}"
        case .heartbeat(let user, let unit):
            return FramesJSON.text(lockedUntil: try store.heartbeat(task: task, user: user, unit: unit))
        }
    }
}
