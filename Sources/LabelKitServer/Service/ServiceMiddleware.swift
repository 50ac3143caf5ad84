import Foundation
import Hummingbird
import Logging
import NIOHTTP1

/// Wraps every request: answers CORS preflights, asks for the credential (when
/// the service has a token; see ``authenticate(_:)``), turns thrown errors
/// into JSON error responses, adds `Access-Control-Allow-Origin: *`, and logs
/// method, path, status and duration as structured metadata.
///
/// A request refused (401, 413) with a body over 1 MiB or of unknown length is
/// answered with `Connection: close`, and ``ConnectionGuard`` closes the
/// connection after the response unless the body had all arrived, so a client
/// cannot keep streaming a body nobody reads.
struct ServiceMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let logger: Logger
    /// Where access-log lines go when the logger's handler writes there: the
    /// line is then formatted by the sink's thread (nil: logged through `logger`).
    let accessLog: LogSink?
    /// Checks credentials (an open service when it has no token).
    let authenticator: Authenticator
    /// Requests and latencies per route.
    let metrics: ServiceMetrics
    /// Image reads answer without a credential (`--public-images`).
    let publicImages: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, HEAD, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Content-Type, Accept, If-None-Match, Authorization"
            response.headers[.accessControlMaxAge] = "86400"
        } else {
            do {
                var context = context
                context.credential = try await authenticate(request)
                response = try await next(request, context)
            } catch let error as HTTPParserError {
                // A body cut off or malformed on the wire: Hummingbird answers 400 and closes.
                throw error
            } catch {
                // Every route answers RFC 9457 problems.
                let (reply, unexpected) = Reply.problem(error, path: request.uri.path, method: "\(request.method)")
                response = reply
                if unexpected {
                    logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
                }
                if response.status == .contentTooLarge || response.status == .unauthorized, Self.hasLargeBody(request) {
                    response.headers[.connection] = "close"
                }
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        let elapsed = ContinuousClock.now - start
        metrics.request(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: response.status.code,
            duration: elapsed)
        if logger.logLevel <= .info {
            if let accessLog {
                accessLog.append(
                    AccessRecord(
                        time: time(nil), label: logger.label, method: request.method.rawValue,
                        path: Reply.cut(request.uri.path), status: response.status.code, duration: elapsed))
            } else {
                let ms = elapsed / .milliseconds(1)
                logger.info(
                    "request",
                    metadata: [
                        "method": "\(request.method)", "path": "\(Reply.cut(request.uri.path))",
                        "status": "\(response.status.code)",
                        "ms": "\(String(format: "%.2f", ms))",
                    ])
            }
        }
        return response
    }

    /// True when the request announces a body over 1 MiB or streams one of
    /// unknown length: refused unread, it is not worth draining.
    static func hasLargeBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return (Int(length) ?? .max) > 1 << 20 }
        return request.headers[.transferEncoding] != nil
    }

    /// The credential of a request when the service has a token; throws 401
    /// without one (or with a bad one) and 403 for one that may not make the
    /// change. Reads take any valid token, in the header or (for `<img>` tags and
    /// the viewer) as `?access_token=`; ``ReadRoute/open`` reads, and image reads
    /// with `--public-images`, are not checked at all (no header read, no
    /// revocation looked up). `/v1` checks every method itself (``OffloadMiddleware``).
    func authenticate(_ request: Request) async throws -> Credential? {
        let path = request.uri.path
        guard authenticator.token != nil, !Reply.isProblemPath(path) else { return nil }
        switch request.method {
        case .options: return nil
        case .get, .head:
            let route = ReadRoute(path: path)
            switch route {
            case .open, .offload: return nil
            case .image where publicImages: return nil
            case .image, .other:
                guard let credential = try await authenticator.credential(of: request, acceptingQuery: true) else {
                    throw ServiceError(
                        401,
                        "this route needs a token: Authorization: Bearer <token> or ?access_token=<token>"
                            + (route == .image ? " (or a service run with --public-images)" : ""))
                }
                return credential
            }
        default: break
        }
        guard let credential = try await authenticator.credential(of: request) else {
            throw ServiceError(401, "this route needs Authorization: Bearer <token>")
        }
        guard credential.mayChange(path: path) else {
            throw ServiceError(403, "this token may not \(request.method) \(Reply.cut(path))")
        }
        return credential
    }
}
