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
        case invalidInput = "invalid-input"
        case limitExceeded = "limit-exceeded"
        case unauthorized = "unauthorized"
        case notFound = "not-found"
        case unsupportedMediaType = "unsupported-media-type"
        case methodNotAllowed = "method-not-allowed"
        case busy = "busy"
        case internalError = "internal-error"

        /// The `title` member.
        var title: String {
            switch self {
            case .invalidJSON: return "Invalid JSON"
            case .invalidInput: return "Invalid input"
            case .limitExceeded: return "Limit exceeded"
            case .unauthorized: return "Unauthorized"
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
            let (status, message, retryAfter, unexpected) = Reply.describe(error)
            if unexpected || status >= 500 && status != 503 {
                return Problem(kind: .internalError, status: 500, detail: "internal error")
            }
            let kind: Kind =
                status == 401
                ? .unauthorized
                : status == 404
                    ? .notFound
                    : status == 503
                        ? .busy
                        : status == 413 ? .limitExceeded : status == 400 ? .invalidJSON : .invalidInput
            return Problem(kind: kind, status: status, detail: message, retryAfter: retryAfter)
        }
    }

    /// The problem's JSON object; `job` is the index of a batch job.
    func json(job: Int? = nil) -> String {
        var out =
            "{\"type\":\(JSONText.quoted(kind.type)),\"title\":\(JSONText.quoted(kind.title)),\"status\":\(status)"
        out += ",\"detail\":\(JSONText.quoted(Reply.cut(detail)))"
        if let limit { out += ",\"limit\":\(JSONText.quoted(limit))" }
        if let maximum { out += ",\"maximum\":\(maximum)" }
        if let job { out += ",\"job\":\(job)" }
        return out + "}"
    }
}

extension Reply {
    /// The routes under `/v1` answer errors as problems.
    static func isProblemPath(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/") || path == "/openapi.json"
    }

    /// The error as `application/problem+json` (RFC 9457) with its status;
    /// `logged` is true for errors the request did not cause.
    /// A route that exists but not for the request's method is a 405 with `Allow`.
    static func problem(_ error: any Error, path: String? = nil, method: String = "") -> (Response, logged: Bool) {
        var problem = Problem.from(error)
        if problem.status == 404, let path, let allow = OffloadEndpoint.allowedMethods(path: path) {
            problem = .methodNotAllowed(method, allow: allow)
        }
        var response = text(
            problem.json(), status: .init(code: problem.status), contentType: "application/problem+json")
        if let retryAfter = problem.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        if problem.status == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"labelkit\"" }
        if let allow = problem.allow { response.headers[.allow] = allow }
        return (response, problem.status >= 500 && problem.status != 503)
    }
}
