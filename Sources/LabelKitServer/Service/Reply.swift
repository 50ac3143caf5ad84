import Foundation
import Hummingbird
import LabelKitCore
import LabelKitFormats
import LabelKitFrames
import LabelKitImaging
import LabelKitJSON

/// Building responses: bytes with cache headers, JSON, and errors as JSON.
enum Reply {
    /// True when the request's `If-None-Match` names `etag` (weak or strong) or is `*`.
    static func isNotModified(_ request: Request, etag: String) -> Bool {
        guard let match = request.headers[.ifNoneMatch] else { return false }
        return match.split(separator: ",").contains { tag in
            var tag = tag.trimmingCharacters(in: .whitespaces)
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag || tag == "*"
        }
    }

    /// A 200 with `body` and its cache headers, or a 304 with the headers alone.
    static func cached(_ body: ByteBuffer?, contentType: String, etag: String, cacheControl: String) -> Response {
        guard let body else {
            var headers = HTTPFields()
            headers[.eTag] = etag
            headers[.cacheControl] = cacheControl
            return Response(status: .notModified, headers: headers)
        }
        return Response(
            status: .ok, headers: cacheHeaders(contentType: contentType, etag: etag, cacheControl: cacheControl),
            body: ResponseBody(byteBuffer: body))
    }

    /// The headers of a 200 from the cache (``cached(_:contentType:etag:cacheControl:)``).
    static func cacheHeaders(contentType: String, etag: String, cacheControl: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = cacheControl
        headers[.contentType] = contentType
        return headers
    }

    /// JSON text, not to be cached.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Reply.text(text, status: status, contentType: "application/json")
    }

    /// Text of any type (XML, HTML, JSON), not to be cached.
    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        bytes(ByteBuffer(string: text), status: status, contentType: contentType)
    }

    /// Bytes of any type, not to be cached.
    static func bytes(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// JSON of a Foundation object.
    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        json(JSONText.of(object), status: status)
    }

    /// Longest error message or logged path, in UTF-8 bytes: identifiers and
    /// values a client sent are echoed, but never more than this.
    static let maxMessageBytes = 512

    /// `text` cut to `limit` bytes on a character boundary, with "..." when cut.
    static func cut(_ text: String, to limit: Int = maxMessageBytes) -> String {
        guard text.utf8.count > limit else { return text }
        var out = ""
        var bytes = 0
        for character in text {
            bytes += character.utf8.count
            guard bytes <= limit - 3 else { break }
            out.append(character)
        }
        return out + "..."
    }

    /// Status and message of any error the routes throw.
    static func describe(_ error: any Error) -> (Int, String, Int?, Bool) {
        switch error {
        case let error as ServiceError: return (error.status, error.message, error.retryAfter, false)
        case let error as IIIFError: return (error.status, error.message, nil, false)
        case let error as ImagingError:
            switch error.code {
            case .tooLarge: return (413, error.message, nil, false)
            case .io: return (500, error.message, nil, true)
            case .cancelled: return (503, error.message, nil, false)
            default: return (422, error.message, nil, false)
            }
        case let error as JSONError: return (400, error.description, nil, false)
        case let error as FormatsError: return (error.code == .invalidJSON ? 400 : 422, error.message, nil, false)
        case let error as CoreError: return (422, error.message, nil, false)
        case let error as FrameStore.StoreError:
            switch error {
            case .unknownTask: return (404, error.description, nil, false)
            case .duplicateFrame, .duplicateTask, .conflict: return (409, error.description, nil, false)
            case .invalidPlan, .invalidRequest: return (422, error.description, nil, false)
            case .forbidden: return (403, error.description, nil, false)
            }
        case let error as FrameDocument.FormatError: return (422, error.message, nil, false)
        case let error as HTTPError:
            return (Int(error.status.code), error.body ?? error.status.reasonPhrase, nil, false)
        default:
            return (500, "internal error", nil, true)
        }
    }
}
