import Hummingbird

/// The service's responder: ``ServiceMiddleware`` around the router's
/// responder. The middleware runs before the route is matched (a router's own
/// middleware runs after), so it can answer repeated tile URLs without routing,
/// and it still wraps every route and every not-found answer.
public struct ServiceResponder: HTTPResponder {
    let middleware: ServiceMiddleware
    let router: RouterResponder<ServiceRequestContext>

    /// Answers `request` through the middleware and, unless it answers itself, the router.
    public func respond(to request: Request, context: ServiceRequestContext) async throws -> Response {
        try await middleware.handle(request, context: context) { request, context in
            try await router.respond(to: request, context: context)
        }
    }
}
