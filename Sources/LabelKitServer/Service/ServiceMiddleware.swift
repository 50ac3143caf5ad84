import Foundation
import Hummingbird
import Logging

/// Wraps every request: answers CORS preflights, turns thrown errors into JSON
/// error responses, adds `Access-Control-Allow-Origin: *`, and logs method,
/// path, status and duration as structured metadata.
struct ServiceMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

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
                response = try await next(request, context)
            } catch {
                // The offload API (/v1) answers RFC 9457 problems; the other routes {"error": {...}}.
                let (reply, unexpected) = Reply.isProblemPath(request.uri.path)
                    ? Reply.problem(error, path: request.uri.path, method: "\(request.method)") : Reply.error(error)
                response = reply
                if unexpected { logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"]) }
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "ms": "\(String(format: "%.2f", ms))",
            ])
        return response
    }
}
