import Hummingbird
import Logging
import NIOHTTP1

/// Turns what a route throws into an RFC 9457 problem response. It runs inside
/// the router, where Hummingbird would otherwise answer its own errors (a path
/// without a route, a method the route does not take) in its own format.
///
/// A request refused (401, 413) with a body over 1 MiB or of unknown length is
/// answered with `Connection: close`, and ``ConnectionGuard`` closes the
/// connection after the response unless the body had all arrived, so a client
/// cannot keep streaming a body nobody reads.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(to: error, of: request, logger: logger)
        }
    }

    /// The problem response to `error`, logged when it was not one of the
    /// service's own. A body cut off or malformed on the wire is rethrown:
    /// Hummingbird answers 400 and closes.
    static func response(to error: any Error, of request: Request, logger: Logger) throws -> Response {
        if error is HTTPParserError { throw error }
        var (response, unexpected) = Reply.problem(error, path: request.uri.path, method: "\(request.method)")
        if unexpected {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        }
        if response.status == .contentTooLarge || response.status == .unauthorized, hasLargeBody(request) {
            response.headers[.connection] = "close"
        }
        return response
    }

    /// True when the request announces a body over 1 MiB or streams one of
    /// unknown length: refused unread, it is not worth draining.
    static func hasLargeBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return (Int(length) ?? .max) > 1 << 20 }
        return request.headers[.transferEncoding] != nil
    }
}
