import Foundation
import Hummingbird
import Logging

/// Wraps every request, before the route is matched (``ServiceResponder``):
/// answers CORS preflights, asks for the credential (when the service has a
/// token; see ``authenticate(_:)``), answers a tile URL answered before from
/// memory without routing (``ImagePipeline/knownTile(_:context:)``), turns
/// its own errors into problems as ``ProblemMiddleware`` does the routes',
/// adds `Access-Control-Allow-Origin: *`, counts the request in the metrics
/// and logs method, path, status and duration.
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
    /// Answers repeated tile URLs from memory before routing.
    let pipeline: ImagePipeline

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        var response: Response
        var route = context.endpointPath
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, HEAD, POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Content-Type, Accept, If-None-Match, Authorization"
            response.headers[.accessControlMaxAge] = "86400"
        } else {
            do {
                var context = context
                context.credential = try await authenticate(request)
                if let known = pipeline.knownTile(request, context: context) {
                    response = known.response
                    route = known.route
                } else {
                    // Errors of the routes come back as problems (ProblemMiddleware).
                    response = try await next(request, context)
                    route = context.endpointPath
                }
            } catch {
                response = try ProblemMiddleware.response(to: error, of: request, logger: logger)
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        let elapsed = ContinuousClock.now - start
        metrics.request(
            route: route ?? "NotFound", method: request.method.rawValue, status: response.status.code,
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
