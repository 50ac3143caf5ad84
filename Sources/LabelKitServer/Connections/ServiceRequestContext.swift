import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the
/// connection the request came on, so long work can notice a client that has
/// gone (see ``ConnectionRegistry/watch(_:onGone:)``).
public struct ServiceRequestContext: RequestContext {
    /// Hummingbird's per-request storage (parameters, logger).
    public var coreContext: CoreRequestContextStorage
    /// The connection of this request.
    public let channel: any Channel
    /// Who the request speaks for (set by the service middleware; nil when open or unsigned).
    var credential: Credential?

    /// A context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
