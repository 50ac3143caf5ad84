import Foundation
import LabelKitFrames
import LabelKitJSON

/// What a simulated annotator of `bench frames` calls: a store in the same
/// process, or `labelkit serve` over HTTP (`--url`).
protocol LabelClient {
    /// The next unit for `user`.
    func next(user: String) throws -> LabelClientAnswer
    /// Submits (or skips) `unit` for `user`.
    func mark(user: String, unit: Int, skip: Bool) throws
}

/// The label stream's answer to `next`, as the bench needs it.
enum LabelClientAnswer {
    case unit(Int)
    case locked
    case done
}

/// Where the bench's annotators work: which ``LabelClient`` each thread makes.
enum LabelTarget: Sendable {
    case store(FrameStore)
    /// A `labelkit serve` base URL and the bearer token to send (none: an open service).
    case http(url: String, token: String?)

    /// A client for one annotator's thread (an HTTP client keeps one connection).
    func client(task: String) throws -> any LabelClient {
        switch self {
        case .store(let store): return StoreLabelClient(store: store, task: task)
        case .http(let url, let token): return try HTTPLabelClient(url: url, token: token, task: task)
        }
    }
}

/// The store's own calls.
struct StoreLabelClient: LabelClient {
    let store: FrameStore
    let task: String

    func next(user: String) throws -> LabelClientAnswer {
        switch try store.next(task: task, user: user).assignment {
        case .unit(let unit, _, _): return .unit(unit)
        case .locked: return .locked
        case .done: return .done
        }
    }

    func mark(user: String, unit: Int, skip: Bool) throws {
        if skip {
            try store.skip(task: task, user: user, unit: unit)
        } else {
            try store.submit(task: task, user: user, unit: unit, result: "{}")
        }
    }
}

/// `POST /frames/tasks/{task}/next|submit|skip` over one keep-alive connection.
final class HTTPLabelClient: LabelClient {
    let http: BlockingHTTPClient
    let headers: [String: String]
    let task: String

    init(url: String, token: String?, task: String) throws {
        http = try BlockingHTTPClient(url: url)
        headers = token.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        self.task = task
    }

    func next(user: String) throws -> LabelClientAnswer {
        let object = try call("next", #"{"user":\#(JSONText.quoted(user))}"#)
        switch object["status"] as? String {
        case "unit":
            guard let unit = JSONNumber.integer(object["unit"]) else { break }
            return .unit(unit)
        case "locked": return .locked
        case "done": return .done
        default: break
        }
        throw CommandFailure(message: "next: an answer without a status: \(object)", exitCode: 1)
    }

    func mark(user: String, unit: Int, skip: Bool) throws {
        let fields = #""user":\#(JSONText.quoted(user)),"unit":\#(unit)"#
        _ = try call(skip ? "skip" : "submit", skip ? "{\(fields)}" : #"{\#(fields),"result":{}}"#)
    }

    private func call(_ action: String, _ body: String) throws -> [String: Any] {
        let answer = try http.request(
            "POST", "/frames/tasks/\(task)/\(action)", body: Array(body.utf8), headers: headers)
        guard answer.status == 200, let object = try? ExactJSON.parse(Data(answer.body)) as? [String: Any] else {
            throw CommandFailure(
                message: "\(action): HTTP \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))",
                exitCode: 1)
        }
        return object
    }
}
