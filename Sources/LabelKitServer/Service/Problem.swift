import Foundation
import Hummingbird
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitJSON

/// An RFC 9457 problem: how every `/v1` route reports an error, as
/// `application/problem+json`:
///
///     {"type": "urn:labelkit:problem:limit-exceeded", "title": "Limit exceeded",
///      "status": 422, "detail": "the mask has 4000000 pixels; the limit is 1000000",
///      "limit": "mask_pixels", "maximum": 1000000}
///
/// In a batch, a failed job's answer is `{"error": problem}` (with `"job"`, its index).
struct Problem: Error, Sendable, CustomStringConvertible {
    /// The kinds of problem, each with its type URI suffix and title.
    enum Kind: String, Sendable, CaseIterable {
        case invalidJSON = "invalid-json"
        case badRequest = "bad-request"
        case invalidInput = "invalid-input"
        case conflict = "conflict"
        case notImplemented = "not-implemented"
        case limitExceeded = "limit-exceeded"
        case unauthorized = "unauthorized"
        case forbidden = "forbidden"
        case notFound = "not-found"
        case unsupportedMediaType = "unsupported-media-type"
        case methodNotAllowed = "method-not-allowed"
        case busy = "busy"
        case internalError = "internal-error"

        /// The `title` member.
        var title: String {
            switch self {
            case .invalidJSON: return "Invalid JSON"
            case .badRequest: return "Bad request"
            case .invalidInput: return "Invalid input"
            case .conflict: return "Conflict"
            case .notImplemented: return "Not implemented"
            case .limitExceeded: return "Limit exceeded"
            case .unauthorized: return "Unauthorized"
            case .forbidden: return "Forbidden"
            case .notFound: return "Not found"
            case .unsupportedMediaType: return "Unsupported media type"
            case .methodNotAllowed: return "Method not allowed"
            case .busy: return "Busy"
            case .internalError: return "Internal error"
            }
        }

        /// The `type` member: a URN, stable and not meant to be fetched.
        var type: String { "urn:labelkit:problem:" + rawValue }
    }

    /// What kind of problem.
    var kind: Kind
    /// The HTTP status.
    var status: Int
    /// What went wrong, naming the field, job or limit.
    var detail: String
    /// The limit's name (`body_bytes`, `mask_pixels`, `regions`, `vertices`, `points`, `jobs`).
    var limit: String?
    /// The limit's value.
    var maximum: Int?
    /// Seconds after which a retry may succeed (503).
    var retryAfter: Int?
    /// The methods the route takes (405).
    var allow: String?

    var description: String { "\(status) \(kind.rawValue): \(detail)" }

    /// A 422 naming the field or value at fault.
    static func invalid(_ detail: String) -> Problem {
        Problem(kind: .invalidInput, status: 422, detail: detail)
    }

    /// The 405 of a method the route does not take.
    static func methodNotAllowed(_ method: String, allow: String) -> Problem {
        Problem(kind: .methodNotAllowed, status: 405, detail: "\(method) is not allowed here (\(allow))", allow: allow)
    }

    /// A limit problem: 413 for the body size, 422 for the others.
    static func limit(_ name: String, maximum: Int, _ detail: String) -> Problem {
        Problem(
            kind: .limitExceeded, status: name == OffloadLimits.Name.bodyBytes ? 413 : 422, detail: detail,
            limit: name, maximum: maximum)
    }

    /// The 503 of a full work queue.
    static func busy(queueLimit: Int) -> Problem {
        Problem(
            kind: .busy, status: 503, detail: "busy: \(queueLimit) jobs are waiting; retry shortly", limit: "queue",
            maximum: queueLimit, retryAfter: 1)
    }

    /// Any error the offload routes meet, as a problem (unexpected errors are a 500
    /// that says nothing about the internals).
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let error as JSONError: return Problem(kind: .invalidJSON, status: 400, detail: error.description)
        case let error as FormatsError:
            if error.code == .invalidJSON { return Problem(kind: .invalidJSON, status: 400, detail: error.message) }
            return .invalid(error.message)
        case let error as CoreError: return .invalid(error.message)
        case let error as ImagingError:
            if error.code == .tooLarge {
                return Problem(
                    kind: .limitExceeded, status: 422, detail: error.message, limit: OffloadLimits.Name.maskPixels)
            }
            if error.code == .io { return Problem(kind: .internalError, status: 500, detail: "internal error") }
            return .invalid(error.message)
        case let error as HTTPError where error.status == .notFound:
            return Problem(kind: .notFound, status: 404, detail: error.body ?? "no such route")
        default:
            return general(error)
        }
    }

    /// Any error of the image, annotation and frame routes as a problem, with the
    /// statuses of ``Reply/describe(_:)``; errors the request did not cause are a
    /// 500 that says nothing about the internals.
    static func general(_ error: any Error) -> Problem {
        let (status, message, retryAfter, unexpected) = Reply.describe(error)
        guard !unexpected else { return Problem(kind: .internalError, status: 500, detail: "internal error") }
        let kind: Kind
        switch status {
        case 400:
            let json = error is JSONError || (error as? FormatsError)?.code == .invalidJSON
            kind = json ? .invalidJSON : .badRequest
        case 401: kind = .unauthorized
        case 403: kind = .forbidden
        case 404: kind = .notFound
        case 405: kind = .methodNotAllowed
        case 409: kind = .conflict
        case 413: kind = .limitExceeded
        case 415: kind = .unsupportedMediaType
        case 501: kind = .notImplemented
        case 503: kind = .busy
        case 500...: return Problem(kind: .internalError, status: 500, detail: "internal error")
        default: kind = .invalidInput
        }
        return Problem(kind: kind, status: status, detail: message, retryAfter: retryAfter)
    }

    /// The problem's JSON object; `job` is the index of a batch job. `legacy` adds
    /// the routes outside `/v1`'s first error shape, `"error": {"status", "message"}`,
    /// as an extension member, so clients written for it keep working.
    func json(job: Int? = nil, legacy: Bool = false) -> String {
        var out =
            "{\"type\":\(JSONText.quoted(kind.type)),\"title\":\(JSONText.quoted(kind.title)),\"status\":\(status)"
        // With the legacy member the detail is written twice: each gets half the echo budget.
        let echoed = Reply.cut(detail, to: legacy ? Reply.maxMessageBytes / 2 : Reply.maxMessageBytes)
        out += ",\"detail\":\(JSONText.quoted(echoed))"
        if let limit { out += ",\"limit\":\(JSONText.quoted(limit))" }
        if let maximum { out += ",\"maximum\":\(maximum)" }
        if let job { out += ",\"job\":\(job)" }
        if legacy { out += ",\"error\":{\"status\":\(status),\"message\":\(JSONText.quoted(echoed))}" }
        return out + "}"
    }
}

extension Reply {
    /// The offload API: `/v1` and its document.
    static func isProblemPath(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/") || path == "/openapi.json"
    }

    /// Any route's error as `application/problem+json` (RFC 9457) with its status;
    /// `logged` is true for errors the request did not cause. Under `/v1` a route
    /// that exists but not for the request's method is a 405 with `Allow`; the other
    /// routes also carry their first shape, `"error": {"status", "message"}`.
    static func problem(_ error: any Error, path: String, method: String = "") -> (Response, logged: Bool) {
        let offload = isProblemPath(path)
        var problem = offload ? Problem.from(error) : Problem.general(error)
        if offload, problem.status == 404, let allow = OffloadEndpoint.allowedMethods(path: path) {
            problem = .methodNotAllowed(method, allow: allow)
        }
        var response = text(
            problem.json(legacy: !offload), status: .init(code: problem.status),
            contentType: "application/problem+json")
        if let retryAfter = problem.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        if problem.status == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"labelkit\"" }
        if let allow = problem.allow { response.headers[.allow] = allow }
        return (response, problem.status >= 500 && problem.status != 503)
    }
}
